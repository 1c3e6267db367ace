/**
 * Time units. Every time inside Tracegate is microseconds since the Unix epoch (`Micros`), and every
 * duration is microseconds (`DurationUs`). Jaeger, Zipkin and both Elasticsearch schemas speak
 * microseconds; a double holds them exactly until the year 2255, so no bigint on hot paths.
 * OTLP nanoseconds are converted here, from their decimal-string form, without passing through a
 * lossy double.
 */

/** Microseconds since the Unix epoch. */
export type Micros = number;
/** A duration in microseconds. */
export type DurationUs = number;

export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;

/** "1700000000123456789" (ns, as OTLP JSON writes it) → 1700000000123456 µs, truncating sub-µs digits. */
export function nanosStringToMicros(raw: string | number | bigint): Micros {
  if (typeof raw === 'bigint') return Number(raw / 1000n);
  if (typeof raw === 'number') return Math.trunc(raw / 1000);
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return Number.NaN;
  if (text.length <= 3) return 0;
  return Number(text.slice(0, -3));
}

/** 1700000000123456 µs → "1700000000123456000" ns, exact. */
export function microsToNanosString(us: Micros): string {
  if (us === 0) return '0';
  return `${Math.trunc(us)}000`;
}

/** RFC 3339 with microsecond precision, e.g. 2026-11-22T10:00:00.123456Z. */
export function microsToIso(us: Micros): string {
  const ms = Math.floor(us / US_PER_MS);
  const micro = Math.trunc(us - ms * US_PER_MS);
  const iso = new Date(ms).toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ
  return `${iso.slice(0, 23)}${String(micro).padStart(3, '0')}Z`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses RFC 3339 keeping microseconds (Date alone would drop them). Undefined when malformed. */
export function isoToMicros(text: string): Micros | undefined {
  const m = RFC3339.exec(text.trim());
  if (!m) return undefined;
  const [, base, frac = '', zone] = m;
  const ms = Date.parse(`${base}${zone!.toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  const us = Number(frac.padEnd(6, '0').slice(0, 6));
  return ms * US_PER_MS + us;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 0.001,
  us: 1,
  µs: 1,
  ms: US_PER_MS,
  s: US_PER_SECOND,
  m: 60 * US_PER_SECOND,
  h: 3600 * US_PER_SECOND,
  d: 86400 * US_PER_SECOND,
};

/** "15m", "1h30m", "250ms" → µs. Undefined when malformed. Same units as Go's time.ParseDuration plus "d". */
export function parseDurationToMicros(text: string): DurationUs | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0) return undefined;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * DURATION_UNITS[match[2]!]!;
    consumed = part.lastIndex;
  }
  if (consumed !== trimmed.length) return undefined;
  return Math.round(total);
}

/** 1500 µs → "1.5ms": Go duration syntax, as Jaeger's v1 API expects for minDuration/maxDuration. */
export function microsToGoDuration(us: DurationUs): string {
  return `${Math.round(us)}us`;
}

export function nowMicros(): Micros {
  return Date.now() * US_PER_MS;
}
