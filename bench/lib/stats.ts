/**
 * Timing helpers for the benchmarks: every loop is bounded in count AND time, baselines and
 * candidates are measured interleaved (A, B, A, B...) so a noisy neighbour hits both alike, and
 * results are medians and p99s, compared as ratios taken in the same run.
 */
export interface Sample {
  median: number;
  p99: number;
  n: number;
}

export function summarise(ms: readonly number[]): Sample {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { median: at(0.5), p99: at(0.99), n: sorted.length };
}

export async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Runs each named function in turn, round after round, until `rounds` rounds or `budgetMs` have
 * passed (after `warmup` unmeasured rounds), and returns a sample per name.
 */
export async function interleaved(
  fns: Record<string, () => Promise<unknown>>,
  rounds: number,
  budgetMs: number,
  warmup = 2,
): Promise<Record<string, Sample>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < warmup; i++) for (const fn of Object.values(fns)) await fn();
  const deadline = performance.now() + budgetMs;
  for (let r = 0; r < rounds && performance.now() < deadline; r++) {
    for (const [name, fn] of Object.entries(fns)) times[name]!.push(await timeOnce(fn));
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summarise(v)]));
}

export const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
