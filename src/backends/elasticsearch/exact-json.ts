/**
 * JSON with exact 64-bit integers. JSON.parse turns an integer beyond ±2^53 into the nearest double,
 * and Jaeger stores int64 tag values as JSON numbers (jaeger.md §3.4), so `9223372036854775807` would
 * come back as …808. Here such an integer becomes a `bigint` built from its source text (Node ≥ 21
 * passes the text to revivers), which to-model.ts turns into the exact decimal text the canonical
 * model keeps. Used by client.ts for every response, and by the fixture recorder and tests.
 */

/**
 * Whether the body may hold a number token beyond ±2^53 (9,007,199,254,740,991): 17 or more digits, or
 * 16 starting with 9, right after `:`, `,` or `[`. Digits inside strings (hex ids are full of zero runs)
 * and 16-digit µs timestamps do not count, so ordinary bodies skip the reviver, which is several
 * times slower than plain JSON.parse (bench/RESULTS.md, scenario 1).
 */
export function hasLongIntegers(text: string): boolean {
  return /[:,[]\s*-?(?:\d{17}|9\d{15})/.test(text);
}

function reviveLongIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    const source = context?.source;
    if (source !== undefined && /^-?\d+$/.test(source)) return BigInt(source);
  }
  return value;
}

export function parseJsonExact(text: string): unknown {
  return hasLongIntegers(text) ? JSON.parse(text, reviveLongIntegers as (key: string, value: unknown) => unknown) : JSON.parse(text);
}

/** JSON.rawJSON (Node ≥ 21), not yet in TypeScript's ES2023 lib. */
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** JSON.stringify that writes bigints as the integers they are. */
export function stringifyJsonExact(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? rawJson(v.toString()) : v), indent);
}
