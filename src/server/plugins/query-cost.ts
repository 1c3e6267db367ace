/**
 * Rejects an operation whose planning price (limits/static-cost.ts) is above `limits.maxCost`, as
 * QUERY_TOO_COMPLEX with HTTP 400, before any backend is asked. It runs once the operation is
 * resolved, because only then are the variables known: `first: $f` is priced at the value of `$f`,
 * exactly as `first: 200` would be (a validation rule, which Apollo caches per document, never sees
 * variables). Variables that do not coerce are left to execution, which answers BAD_USER_INPUT and
 * runs nothing.
 *
 * The price depends only on the operation and its variables, and Apollo hands every request of one
 * query text the same parsed document (its document store), so prices are remembered per operation
 * node and variables (`CostMemo`): a dashboard repeating one query prices it once, not per request.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, Kind, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { LimitsConfig } from '../../config/index.js';
import { ErrorCode, LimitExceededError } from '../../errors.js';
import type { RequestContext } from '../context.js';
import { listSizes, type ListSizeFacts, type ListSizes } from '../limits/list-sizes.js';
import { estimateCost } from '../limits/static-cost.js';

/** Prices remembered per operation: this many variable sets each, the oldest dropped first. */
const PRICES_PER_OPERATION = 64;
/** Variables longer than this as JSON (a long `ids:` list) are priced every time rather than kept as a key. */
const MAX_KEY_CHARS = 2_048;

/**
 * Prices by operation node (weakly held: it goes with Apollo's cached document) and the variables as
 * sent, as JSON; `null` when they do not coerce. Keyed by the variables as sent, not as coerced: the
 * same JSON coerces the same way under one schema, and a hit then skips the coercion too.
 */
class CostMemo {
  private readonly byOperation = new WeakMap<OperationDefinitionNode, Map<string, number | null>>();

  get(operation: OperationDefinitionNode, key: string): number | null | undefined {
    return this.byOperation.get(operation)?.get(key);
  }

  set(operation: OperationDefinitionNode, key: string, cost: number | null): void {
    let prices = this.byOperation.get(operation);
    if (!prices) this.byOperation.set(operation, (prices = new Map()));
    if (prices.size >= PRICES_PER_OPERATION) prices.delete(prices.keys().next().value!);
    prices.set(key, cost);
  }
}

/** The variables as a memo key, or undefined: too long, or too deeply nested to serialise (left to coercion to refuse). */
function memoKey(variables: Record<string, unknown>): string | undefined {
  try {
    const json = JSON.stringify(variables);
    return json.length <= MAX_KEY_CHARS ? json : undefined;
  } catch {
    return undefined;
  }
}

export function queryCostPlugin(limits: LimitsConfig, backendCount: number): ApolloServerPlugin<RequestContext> {
  const facts: ListSizeFacts = { backendCount, maxTraceIds: limits.maxTraceIds, maxPageSize: limits.maxPageSize };
  const sizesOf = new WeakMap<GraphQLSchema, ListSizes>();
  const memos = new WeakMap<GraphQLSchema, CostMemo>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, response }) {
          if (!operation) return;
          const variables = request.variables ?? {};
          let memo = memos.get(schema);
          if (!memo) memos.set(schema, (memo = new CostMemo()));
          const key = memoKey(variables);
          let cost = key === undefined ? undefined : memo.get(operation, key);
          if (cost === undefined) {
            const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
            if (coerced.errors) cost = null;
            else {
              let sizes = sizesOf.get(schema);
              if (!sizes) sizesOf.set(schema, (sizes = listSizes(schema, facts)));
              const fragments: Record<string, FragmentDefinitionNode> = {};
              for (const definition of document.definitions)
                if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
              cost = estimateCost({ schema, operation, fragments, variables: coerced.coerced, sizes, facts });
            }
            if (key !== undefined) memo.set(operation, key, cost);
          }
          if (cost === null || cost <= limits.maxCost) return;
          response.http.status = 400;
          throw new LimitExceededError(
            ErrorCode.QUERY_TOO_COMPLEX,
            'maxCost',
            limits.maxCost,
            `the query is estimated at ${Math.round(cost).toLocaleString('en')} response values, more than limits.maxCost (${limits.maxCost.toLocaleString('en')}); ask for fewer items (first:, ids:), fewer nested lists or fewer aliases`,
          );
        },
      };
    },
  };
}
