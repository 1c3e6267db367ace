/**
 * A test's change to a wire object: a key set to `undefined` stands for a field the server left out.
 * A wire type's optional field cannot hold `undefined` (exactOptionalPropertyTypes), so a helper that
 * applies a patch casts the result back to the wire type; the readers treat both the same.
 */
export type WirePatch<T> = { [K in keyof T]?: T[K] | undefined };
