/**
 * The request deadline: one AbortSignal per GraphQL request that fires when the overall budget runs
 * out, so no backend call outlives the request however its own timeout is set.
 *
 * The signal (and the timer behind it) is made on first use, by the first backend call: a request
 * the cache answers whole (fan-out.ts, answerFromMemory) or that calls no backend never arms a timer.
 * `isExpired()` answers without making it.
 */
export interface Deadline {
  /** Made on first read, firing at `expiresAt` (or when the parent signal aborts). */
  readonly signal: AbortSignal;
  /** Epoch ms at which the deadline fires. */
  readonly expiresAt: number;
  remainingMs(): number;
  /** The deadline has passed or the parent aborted, without arming the signal. */
  isExpired(): boolean;
}

class LazyDeadline implements Deadline {
  private made: AbortSignal | undefined;

  constructor(
    readonly expiresAt: number,
    private readonly parent: AbortSignal | undefined,
  ) {}

  get signal(): AbortSignal {
    if (this.made === undefined) {
      const remaining = this.remainingMs();
      // Made after the deadline passed: aborted already, as the eager signal would be by now.
      const timeout =
        remaining > 0
          ? AbortSignal.timeout(remaining)
          : AbortSignal.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      this.made = this.parent ? AbortSignal.any([this.parent, timeout]) : timeout;
    }
    return this.made;
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - Date.now());
  }

  isExpired(): boolean {
    return this.made?.aborted === true || this.parent?.aborted === true || Date.now() >= this.expiresAt;
  }
}

export function createDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  return new LazyDeadline(Date.now() + timeoutMs, parent);
}
