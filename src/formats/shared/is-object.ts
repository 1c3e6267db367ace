/**
 * Run-time shape checks for wire data. Bodies and files are untrusted JSON (a server of another
 * version, a hand-edited export), so every reader and client checks shapes whatever the wire types
 * say; these two checks are the ones all of them need.
 */

/** A JSON object (not null, not an array), narrowed to the wire type the caller expects there. */
export function isObject<T extends object>(value: T | null | undefined): value is T {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object of unknown content, for checking a body's fields one by one. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
