/** Small helpers every federated resolver uses: fan-out options from the request context. */
import { logBackendFailure } from '../backends/shared/backend-failure.js';
import type { FanOutOptions } from '../federation/index.js';
import type { RequestContext } from '../server/context.js';

export function fanOutOptions(ctx: RequestContext): FanOutOptions {
  return {
    deadline: ctx.deadline,
    ...(ctx.tenant !== null ? { scope: ctx.tenant } : {}),
    timeoutMs: (b) => ctx.gateway.timeoutMs(b),
    onUnexpected: (b, error) => ctx.gateway.logger.error({ err: error, backend: b.name }, 'unexpected backend error'),
    onFailure: (b, outcome, error) => logBackendFailure(ctx.gateway.logger, b.name, outcome.code ?? outcome.state, error, outcome.reason ?? undefined),
    onOutcome: (outcome) => ctx.gateway.outcomeListener?.recordOutcome(outcome),
  };
}

export function isComplete(parent: { backendStatus: ReadonlyArray<{ state: string }> }): boolean {
  return parent.backendStatus.every((o) => o.state === 'OK');
}
