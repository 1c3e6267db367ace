/**
 * How the memory backend honours `call.signal`. Its work is synchronous, so an abort that a timer
 * fires cannot land while a scan runs; the guard therefore checks the signal before any work, after
 * every unit of work, and, on large stores, yields to the event loop every few thousand spans so that
 * a timeout or deadline can fire mid-scan. On a few hundred traces the scan never yields at all.
 */
import { BackendError } from '../../errors.js';

/** Spans processed between two yields to the event loop. */
const SPANS_PER_SLICE = 20_000;

export class CallGuard {
  private sinceYield = 0;

  constructor(
    private readonly backend: string,
    private readonly signal: AbortSignal,
  ) {
    this.check();
  }

  /** Throws BACKEND_TIMEOUT when the call was aborted (timeout or request deadline). */
  check(): void {
    if (this.signal.aborted) {
      throw new BackendError('BACKEND_TIMEOUT', this.backend, `memory backend call was aborted: ${describeReason(this.signal.reason)}`, undefined, {
        cause: this.signal.reason,
      });
    }
  }

  /**
   * Records `spans` of work done and re-checks the signal. Returns true when a slice is used up: the
   * caller then awaits `pause()`. (Two steps, so a scan that never fills a slice awaits nothing.)
   */
  tick(spans: number): boolean {
    this.check();
    this.sinceYield += spans;
    if (this.sinceYield < SPANS_PER_SLICE) return false;
    this.sinceYield = 0;
    return true;
  }

  /** Lets timers (and so the abort) run, then re-checks the signal. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.check();
  }
}

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'no reason given' : String(reason);
}
