/**
 * Reads a Prometheus text exposition (what /metrics answers) into `name{label="value",…}` → value,
 * labels sorted by name, so tests can compare scrapes and take deltas.
 */
export type Scrape = ReadonlyMap<string, number>;

const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function seriesKey(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const pairs = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? name : `${name}{${pairs.join(',')}}`;
}

export function parseScrape(text: string): Scrape {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = value!;
    out.set(seriesKey(match[1]!, labels), Number(match[3]));
  }
  return out;
}

/** Every series whose value changed from `before` to `after` (new series count from 0), with the change. */
export function changedSeries(before: Scrape, after: Scrape, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, value] of after) {
    if (!key.startsWith(prefix)) continue;
    const change = value - (before.get(key) ?? 0);
    if (change !== 0) out.set(key, change);
  }
  return out;
}
