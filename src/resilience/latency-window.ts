/**
 * The durations of a target's last successful calls, for "what it usually needs": the median decides
 * whether a call still fits the request's remaining deadline (resilient-backend.ts), the p95 when a
 * hedged fetch sends its second request (hedge.ts). A fixed ring of recent samples, so a backend that
 * got slower is judged by how it is now, and no sample costs more than a store.
 */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private count = 0;

  constructor(
    size = 64,
    /** Below this many samples there is no estimate (a cold start must not refuse or hedge on one call). */
    private readonly minSamples = 10,
  ) {
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.count < this.samples.length) this.count++;
  }

  /** The q-quantile (0 < q ≤ 1) of the recent samples in ms, or undefined before `minSamples`. */
  quantile(q: number): number | undefined {
    if (this.count < this.minSamples) return undefined;
    const sorted = this.samples.slice(0, this.count).sort();
    return sorted[Math.min(this.count - 1, Math.max(0, Math.ceil(q * this.count) - 1))];
  }
}
