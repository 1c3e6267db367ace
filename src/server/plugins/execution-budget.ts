/**
 * Gives each request its execution budget (limits/execution-budget.ts) when execution starts, and
 * checks the response before it is serialised. A request that spent its budget, ran out of time, or
 * whose response would be longer than `limits.maxResponseBytes` (limits/response-size.ts) is
 * answered with that one error alone, HTTP 400: partial data cut at an arbitrary field would look
 * like a complete answer, and the errors[] of every field refused after the budget ran out say
 * nothing more. The response is replaced here, after every other plugin has added to it (this
 * plugin must come last), and before Apollo writes it out.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { LimitsConfig } from '../../config/index.js';
import { ErrorCode, LimitExceededError } from '../../errors.js';
import type { RequestContext } from '../context.js';
import { ExecutionBudget } from '../limits/execution-budget.js';
import { jsonLengthUpTo } from '../limits/response-size.js';
import { nextTurn } from '../../next-turn.js';

/** An answer of this many values (a few thousand spans) is measured in a turn of the event loop of its own. */
const BIG_RESULT_VALUES = 20_000;

/** Request context → its budget; the schema's counted resolvers look theirs up here. */
export class ExecutionBudgets {
  private readonly byContext = new WeakMap<object, ExecutionBudget>();

  readonly budgetOf = (context: unknown): ExecutionBudget | undefined =>
    typeof context === 'object' && context !== null ? this.byContext.get(context) : undefined;

  start(context: object, limits: LimitsConfig): ExecutionBudget {
    const budget = new ExecutionBudget(limits);
    this.byContext.set(context, budget);
    return budget;
  }
}

export function executionBudgetPlugin(
  budgets: ExecutionBudgets,
  limits: LimitsConfig,
  logger: Pick<Logger, 'info'>,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ contextValue }) {
          budgets.start(contextValue, limits);
        },
        async willSendResponse({ contextValue, response, operationName }) {
          if (response.body.kind !== 'single') return;
          const budget = budgets.budgetOf(contextValue);
          let error = budget?.error;
          // Executing a big answer was one turn of the event loop; measuring it is the next (next-turn.ts).
          if (!error && (budget?.produced ?? 0) >= BIG_RESULT_VALUES) await nextTurn();
          if (!error && jsonLengthUpTo(response.body.singleResult, limits.maxResponseBytes) > limits.maxResponseBytes) {
            error = new LimitExceededError(
              ErrorCode.RESULT_TOO_LARGE,
              'maxResponseBytes',
              limits.maxResponseBytes,
              `the response would be longer than limits.maxResponseBytes (${limits.maxResponseBytes.toLocaleString('en')} bytes); ask for fewer items or fields`,
            );
          }
          if (!error) return;
          // A caller's mistake, not the server's: one info line, so operators can see which limit bites.
          logger.info({ limit: error.limit, operationName, producedValues: budget?.produced }, 'request stopped by a limit');
          response.body.singleResult = { errors: [formatted(error)] };
          response.http.status = 400;
        },
      };
    },
  };
}

/** As server/format-error.ts shapes a TracegateError; this runs after formatting is done. */
function formatted(error: LimitExceededError): GraphQLFormattedError {
  return { message: error.message, extensions: { ...error.extensions } };
}
