/**
 * A small seeded PRNG for the demo dataset: the same seed gives the same ids, names and shape on
 * every machine and Node version, which Math.random cannot promise. mulberry32 (Tommy Ettinger's
 * 32-bit generator) is fast and good enough for test data; it is not for anything secret.
 */

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Fold the seed into 32 bits so fractional or huge seeds still give a stable stream.
    this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Invariant violation: pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight; `entries` are [value, weight] with positive weights. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /**
   * A duration in µs between min and max, skewed towards min the way latencies are (most requests
   * fast, a long tail): the square of a uniform draw.
   */
  latencyUs(minUs: number, maxUs: number): number {
    const u = this.next();
    return Math.round(minUs + (maxUs - minUs) * u * u);
  }

  /** `digits` lowercase hex characters, never all zeros. */
  hex(digits: number): string {
    let text = '';
    while (text.length < digits) text += (Math.floor(this.next() * 0x1_0000_0000) >>> 0).toString(16).padStart(8, '0');
    text = text.slice(0, digits);
    return /^0+$/.test(text) ? `${text.slice(0, -1)}1` : text;
  }
}
