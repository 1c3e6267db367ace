/**
 * What a decoded cache value costs on the V8 heap, estimated by walking it: the in-process layer
 * charges decoded answers at this size (memory-store.ts), because their encoded size says nothing
 * about it (the 1,000-span demo trace is 50 kB gzipped and 1.8–2.5 MB decoded).
 *
 * The figures are V8's object layout on 64-bit Node without pointer compression (the official
 * builds): an 8-byte slot per property or element, a 24-byte object header, 32 bytes of array plus
 * its 16-byte backing store header, a 16-byte HeapNumber per double, a 16-byte string header plus
 * one byte per Latin-1 character (two otherwise). Each choice leans high, so the estimate is an
 * upper bound for values built by JSON.parse or a backend's mapper: objects are charged two slots
 * per property and at least four (V8 keeps properties added after creation, as structuredClone
 * adds them, out of object, with slack), and strings that V8 shares (short values JSON.parse
 * internalises) are charged per occurrence; property names are free, they live in hidden classes.
 * test/cache/heap-size.test.ts checks the estimate against measured heap on real shapes.
 *
 * Not handled: Maps, Sets, typed arrays and class instances other than plain objects and arrays;
 * cached values are JSON data (they go through JSON to Redis), so none reach here. A value seen
 * twice (shared sub-object) is charged twice, which again leans high; cycles cannot occur in JSON.
 */

const SLOT = 8;
const OBJECT_HEADER = 24;
/** A new object starts with room for four properties, used or not (`{}` from JSON.parse is 56 bytes). */
const MIN_OBJECT_SLOTS = 4;
const ARRAY_HEADER = 32 + 16;
const HEAP_NUMBER = 16;
const STRING_HEADER = 16;
/** Anything outside Latin-1 makes V8 store the whole string two bytes per character. */
const TWO_BYTE = /[\u0100-\uffff]/;

const align = (bytes: number): number => (bytes + 7) & ~7;

export function stringHeapBytes(text: string): number {
  return align(STRING_HEADER + (TWO_BYTE.test(text) ? 2 * text.length : text.length));
}

/** Bytes a value holds beyond the slot that points at it. */
export function estimateHeapBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringHeapBytes(value);
    case 'number':
      // Small integers live in the slot itself (Smi); every other number is a boxed double.
      return (value | 0) === value && !Object.is(value, -0) ? 0 : HEAP_NUMBER;
    case 'object': {
      if (value === null) return 0;
      if (Array.isArray(value)) {
        let bytes = ARRAY_HEADER + SLOT * value.length;
        for (const item of value) bytes += estimateHeapBytes(item);
        return bytes;
      }
      let properties = 0;
      let bytes = OBJECT_HEADER;
      for (const key in value) {
        properties++;
        bytes += estimateHeapBytes((value as Record<string, unknown>)[key]);
      }
      return bytes + SLOT * Math.max(MIN_OBJECT_SLOTS, 2 * properties);
    }
    default:
      // booleans, undefined: immortal oddballs, the slot points at them.
      return 0;
  }
}
