/**
 * The request deadline: one AbortSignal per GraphQL request that fires when the overall budget runs
 * out, so no backend call outlives the request however its own timeout is set.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Epoch ms at which the deadline fires. */
  readonly expiresAt: number;
  remainingMs(): number;
}

export function createDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = parent ? AbortSignal.any([parent, timeout]) : timeout;
  const expiresAt = Date.now() + timeoutMs;
  return { signal, expiresAt, remainingMs: () => Math.max(0, expiresAt - Date.now()) };
}
