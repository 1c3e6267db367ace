/**
 * How every wire reader (jaeger/, zipkin/, otlp/ and elasticsearch/ `to-model.ts`) shows an odd value
 * in a span warning. One function so that all of them survive what exact-json.ts may hand them: a
 * `bigint` (plain JSON.stringify throws on it, which would turn one odd value into a failed mapping).
 */
import { stringifyJsonExact } from './exact-json.js';

const MAX_SHOWN = 60;

/** `'text'` for strings, `missing` for undefined, JSON (bigints as the integers they are) for the rest; cut at 60 characters. */
export function describeValue(value: unknown): string {
  const shown = typeof value === 'string' ? `'${value}'` : value === undefined ? 'missing' : (stringifyJsonExact(value) ?? String(value));
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN)}…` : shown;
}
