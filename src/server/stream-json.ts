/**
 * JSON.stringify in pieces: the same characters, produced a chunk at a time, so a big GraphQL answer
 * (100,000 spans: tens of MB) never exists as one string and the event loop gets a turn between
 * chunks (stream-response.ts sends them). What it owns is exactness: the concatenated chunks are
 * JSON.stringify(value), which test/server/stream-json.test.ts and the jit/graphql-js equivalence
 * test (test/server/jit-executor.test.ts) check byte for byte.
 *
 * Only the outer levels and long lists are walked here; every other value (a span, an attribute
 * list) is handed whole to the native JSON.stringify, which is where the speed is. Walked containers
 * follow the steps of ECMA-262 §25.5.2.2 SerializeJSONProperty: own enumerable string keys in
 * Object.keys order, a member whose value has no JSON form (undefined, a function, a symbol) left
 * out of an object and written `null` in an array. Anything that is not a plain object or array
 * (toJSON, boxed primitives, class instances) is never walked, so its native serialisation applies.
 */

/** Characters per chunk: big enough that the per-chunk cost vanishes, small enough to interleave. */
export const STREAM_CHUNK_CHARS = 64 * 1024;

/** Levels walked whatever their size: root → data → root field → its list. */
const WALKED_DEPTH = 4;
/** Below WALKED_DEPTH, lists at least this long are walked too (a trace's spans inside traces(ids:)). */
const LONG_LIST = 64;
/** Past this depth nothing is walked: the native serialisation throws on cycles, as JSON.stringify does. */
const MAX_WALK_DEPTH = 32;

function isPlain(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function isWalked(value: unknown, depth: number): value is Record<string, unknown> | unknown[] {
  if (depth > MAX_WALK_DEPTH || !isPlain(value)) return false;
  return depth < WALKED_DEPTH || (Array.isArray(value) && value.length >= LONG_LIST);
}

interface Frame {
  /** The container being written. */
  value: Record<string, unknown> | unknown[];
  /** Object keys in Object.keys order; null for an array. */
  keys: string[] | null;
  /** Next member to write. */
  index: number;
  /** Members written so far (a comma goes before every later one). */
  written: number;
  depth: number;
}

/**
 * Yields JSON.stringify(value) in chunks of about `chunkChars` characters (a single member may make
 * one longer). Nothing is yielded for a value without a JSON form (JSON.stringify gives undefined).
 */
export function* jsonChunks(value: unknown, chunkChars = STREAM_CHUNK_CHARS): Generator<string, void, undefined> {
  if (!isWalked(value, 0)) {
    const whole = JSON.stringify(value) as string | undefined;
    if (whole !== undefined) yield whole;
    return;
  }
  let parts: string[] = [];
  let size = 0;
  const push = (text: string) => {
    parts.push(text);
    size += text.length;
  };
  const open = (container: Record<string, unknown> | unknown[], depth: number): Frame => {
    const keys = Array.isArray(container) ? null : Object.keys(container);
    push(keys === null ? '[' : '{');
    return { value: container, keys, index: 0, written: 0, depth };
  };
  const stack: Frame[] = [open(value, 0)];
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    const { keys } = frame;
    const length = keys === null ? (frame.value as unknown[]).length : keys.length;
    if (frame.index >= length) {
      push(keys === null ? ']' : '}');
      stack.pop();
    } else {
      const key = keys === null ? null : keys[frame.index]!;
      const member = key === null ? (frame.value as unknown[])[frame.index] : (frame.value as Record<string, unknown>)[key];
      frame.index++;
      const walked = isWalked(member, frame.depth + 1);
      const text = walked ? undefined : (JSON.stringify(member) as string | undefined);
      if (walked || text !== undefined || key === null) {
        const prefix = (frame.written++ > 0 ? ',' : '') + (key === null ? '' : `${JSON.stringify(key)}:`);
        if (prefix !== '') push(prefix);
        if (walked) stack.push(open(member, frame.depth + 1));
        else push(text ?? 'null');
      }
    }
    if (size >= chunkChars) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}
