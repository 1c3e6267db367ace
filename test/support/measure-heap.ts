/**
 * Heap measurement inside a test process: what `make()` keeps alive, per copy, after full
 * collections. vitest runs tests without --expose-gc, so gc is switched on at run time
 * (`--expose-gc` through v8.setFlagsFromString, then the `gc` of a fresh context).
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** V8 heap in use plus native memory held by JS objects (Buffers), after two full collections. */
export function usedBytes(): number {
  gc();
  gc();
  return v8.getHeapStatistics().used_heap_size + process.memoryUsage().external;
}

/** Average bytes one result of `make()` keeps alive, over `copies` results held together. */
export async function retainedBytesPerCopy(make: () => unknown, copies: number): Promise<number> {
  const kept: unknown[] = new Array(copies);
  const before = usedBytes();
  for (let i = 0; i < copies; i++) kept[i] = await make();
  const after = usedBytes();
  kept.length = 0;
  return (after - before) / copies;
}
