/**
 * How one backend fared in one fan-out: the per-backend status list that every federated answer
 * carries, so a client that ignores GraphQL `errors` still sees which backends are missing.
 */
export type OutcomeState = 'OK' | 'FAILED' | 'TIMEOUT' | 'SKIPPED';

export interface BackendOutcome {
  backend: string;
  kind: string;
  state: OutcomeState;
  /** Wall time of the call; 0 for skipped backends. */
  latencyMs: number;
  /** The ErrorCode for FAILED/TIMEOUT/SKIPPED, null when OK. */
  code: string | null;
  reason: string | null;
  /** True when the answer came from the cache instead of the backend. */
  cached: boolean;
}
