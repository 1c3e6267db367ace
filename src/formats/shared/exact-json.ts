/**
 * JSON with exact 64-bit integers, for every body and file Tracegate reads: the HTTP client (Jaeger,
 * Zipkin), the Elasticsearch client, the trace-file importer, the fixture recorder and tests.
 * JSON.parse turns an integer beyond ±2^53 into the nearest double, and Jaeger writes int64 tag values
 * as JSON numbers (docs/formats/elasticsearch.md §1.4), as do lax OTLP writers for `intValue`, so `9223372036854775807`
 * would come back as …808. Here such an integer becomes a `bigint` built from its source text (Node ≥ 21
 * passes the text to revivers); every other value is what JSON.parse gives.
 *
 * A `bigint` is a wire value, never a canonical one: each reader (jaeger/, otlp/, zipkin/ and
 * elasticsearch/ `to-model.ts`) turns it into the exact decimal text an INT attribute keeps
 * (model/attributes.ts), an exact nanosecond time, or a warning where a double is expected (µs times).
 */

/**
 * Whether the body may hold a number token beyond ±2^53 (9,007,199,254,740,991): 17 or more digits, or
 * 16 starting with 9, right after `:`, `,` or `[`. Digits inside strings (hex ids are full of zero runs,
 * OTLP writes nanoseconds as strings) and 16-digit µs timestamps do not count, so ordinary bodies skip
 * the reviver, which is several times slower than plain JSON.parse (bench/RESULTS.md, scenario 1).
 * A false positive (such digits inside a string) only costs the slow path.
 */
export function hasLongIntegers(text: string): boolean {
  return /[:,[]\s*-?(?:\d{17}|9\d{15})/.test(text);
}

function reviveLongIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    const source = context?.source;
    // `1e20` or `12345678901234567.0` are written as doubles: they stay doubles.
    if (source !== undefined && /^-?\d+$/.test(source)) return BigInt(source);
  }
  return value;
}

/** JSON.parse, except that integers beyond ±2^53 become exact bigints. Throws SyntaxError as JSON.parse does. */
export function parseJsonExact(text: string): unknown {
  return hasLongIntegers(text) ? JSON.parse(text, reviveLongIntegers as (key: string, value: unknown) => unknown) : JSON.parse(text);
}

/** JSON.rawJSON (Node ≥ 21), not yet in TypeScript's ES2023 lib. */
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/**
 * JSON.stringify that writes bigints as the integers they are (plain JSON.stringify throws on them), for
 * fixtures and for showing a wire value that may hold one in a warning or error message.
 */
export function stringifyJsonExact(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? rawJson(v.toString()) : v), indent);
}
