/**
 * The length of a response's JSON text, measured on the result object before it is serialised, and
 * given up as soon as it passes a bound: a response too large to send is never written out. The
 * count value limit (execution-budget.ts) bounds how many values a response holds; this bounds their
 * bytes, which a few values can multiply (one 1 MB attribute selected under 1,000 spans is 1 GB of
 * JSON, and V8 cannot build a string past about 512 MB: `RangeError: Invalid string length`).
 *
 * Strings count their characters plus quotes, not their escapes or UTF-8 length: a lower bound of
 * the bytes sent that is exact for ASCII without control characters, which is what trace data holds.
 */

/** Characters the JSON text of `value` takes, or `Infinity` once it exceeds `maxBytes`. */
export function jsonLengthUpTo(value: unknown, maxBytes: number): number {
  let total = 0;
  const visit = (v: unknown): boolean => {
    switch (typeof v) {
      case 'string':
        total += v.length + 2;
        break;
      case 'number':
        total += numberLength(v);
        break;
      case 'boolean':
        total += v ? 4 : 5;
        break;
      case 'object':
        if (v === null) {
          total += 4;
        } else if (Array.isArray(v)) {
          total += 2 + Math.max(0, v.length - 1);
          for (const item of v) if (!visit(item)) return false;
        } else {
          total += 2;
          let first = true;
          for (const key in v) {
            const item = (v as Record<string, unknown>)[key];
            if (item === undefined || typeof item === 'function') continue;
            total += key.length + (first ? 3 : 4);
            first = false;
            if (!visit(item)) return false;
          }
        }
        break;
      default:
        // undefined, functions and symbols: JSON leaves them out (or writes null in an array).
        total += 4;
    }
    return total <= maxBytes;
  };
  return visit(value) ? total : Number.POSITIVE_INFINITY;
}

function numberLength(n: number): number {
  if (!Number.isFinite(n)) return 4; // null
  if (!Number.isSafeInteger(n)) return String(n).length;
  let digits = 1;
  for (let bound = 10, abs = Math.abs(n); abs >= bound; bound *= 10) digits++;
  return digits + (n < 0 ? 1 : 0);
}
