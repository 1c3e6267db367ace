/**
 * A hedged call: if the first attempt has not answered after `delayMs`, a second identical one starts,
 * and the first to succeed wins; the one still running is aborted. For idempotent reads from a backend
 * behind several replicas (a slow replica, a GC pause), never for writes. An attempt that fails before
 * the delay fails the call at once: hedging is for slowness, not a retry. When both fail, the first
 * attempt's error is thrown (the second is a copy of the same question).
 */
export function hedged<T>(attempt: (signal: AbortSignal) => Promise<T>, delayMs: number, signal: AbortSignal, onHedge?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const running = new Set<AbortController>();
    const errors: unknown[] = [];
    let isDone = false;
    const finish = (): void => {
      isDone = true;
      clearTimeout(timer);
      for (const c of running) c.abort(new DOMException('the other hedged attempt answered first', 'AbortError'));
    };
    const start = (index: number): void => {
      const own = new AbortController();
      running.add(own);
      attempt(AbortSignal.any([signal, own.signal])).then(
        (value) => {
          running.delete(own);
          if (isDone) return;
          finish();
          resolve(value);
        },
        (error: unknown) => {
          running.delete(own);
          errors[index] = error;
          if (isDone) return;
          // Nothing left running: before the delay (no hedge for a failure), or both attempts failed.
          if (running.size === 0) {
            finish();
            reject(errors[0]);
          }
        },
      );
    };
    const timer = setTimeout(() => {
      if (isDone) return;
      onHedge?.();
      start(1);
    }, delayMs);
    start(0);
  });
}
