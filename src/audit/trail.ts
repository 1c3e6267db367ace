/**
 * What one request did, for its audit line: the trace ids it asked for and every backend call's
 * outcome. The request context (server/context.ts) feeds it from the fan-out's outcome callback and the
 * trace loaders, so every API (GraphQL, Jaeger, Zipkin) is covered by the same two hooks.
 */
import type { BackendOutcome } from '../model/index.js';

export class RequestTrail {
  readonly traceIds = new Set<string>();
  /** Backend name → worst outcome state seen in this request (FAILED/TIMEOUT over SKIPPED over OK). */
  readonly backends = new Map<string, BackendOutcome['state']>();
  /** The tenant the request acted for (null: the whole gateway). */
  tenant: string | null = null;
  /** The GraphQL operation's name, once Apollo resolved it (audit/operation-plugin.ts). */
  operation: string | null = null;

  recordOutcome(outcome: BackendOutcome): void {
    const seen = this.backends.get(outcome.backend);
    if (seen === undefined || RANK[outcome.state] > RANK[seen]) this.backends.set(outcome.backend, outcome.state);
  }

  recordTraceId(id: string): void {
    this.traceIds.add(id);
  }
}

const RANK: Record<BackendOutcome['state'], number> = { OK: 0, SKIPPED: 1, TIMEOUT: 2, FAILED: 3 };
