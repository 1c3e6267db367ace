/**
 * In-process single-flight: concurrent misses for one key share one backend call. The entry is
 * removed when the call settles, success or failure, so a failure is never remembered.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  get(key: string): Promise<T> | undefined {
    return this.inFlight.get(key);
  }

  /** Registers `promise` for `key` until it settles. */
  track(key: string, promise: Promise<T>): void {
    this.inFlight.set(key, promise);
    const clear = (): void => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    };
    promise.then(clear, clear);
  }

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const promise = work();
    this.track(key, promise);
    return promise;
  }

  get size(): number {
    return this.inFlight.size;
  }
}
