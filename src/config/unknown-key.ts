/**
 * Says what a misspelt configuration key was probably meant to be. Every object in the config
 * schemas is strict, so zod reports `server.prot` or a backend's `timeoutMS` as an unrecognised key;
 * this walks the schema along the path to the object that refused it and suggests the known
 * key closest in spelling ("did you mean 'port'?").
 */
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object schema at `path`, through defaults, optionals, arrays and pipes; undefined if none. */
function objectAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, z.ZodType> | undefined {
  let current: z.ZodType | undefined = schema;
  let index = 0;
  while (current) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (index === path.length) return def.type === 'object' ? def.shape : undefined;
    else if (def.type === 'array' && typeof path[index] === 'number') {
      current = def.element;
      index++;
    } else if (def.type === 'object' && typeof path[index] === 'string') {
      current = def.shape?.[path[index] as string];
      index++;
    } else return undefined;
  }
  return undefined;
}

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: "prot" is one from "port". */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The known key `key` most likely misspells (same letters in another case, or at most two edits). */
export function suggestKey(schema: z.ZodType, path: readonly PropertyKey[], key: string): string | undefined {
  const known = Object.keys(objectAt(schema, path) ?? {});
  const sameLetters = known.find((k) => k.toLowerCase() === key.toLowerCase());
  if (sameLetters) return sameLetters;
  const ranked = known.map((k) => ({ k, d: editDistance(k.toLowerCase(), key.toLowerCase()) })).sort((x, y) => x.d - y.d);
  return ranked[0] && ranked[0].d <= Math.min(2, Math.max(1, Math.floor(key.length / 3))) ? ranked[0].k : undefined;
}
