import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../src/backends/memory/index.js';
import { generateDemoSpans } from '../../src/demo/index.js';
import { parseCacheConfig } from '../../src/cache/config.js';
import { LayeredCache } from '../../src/cache/layered.js';
import { CacheStats } from '../../src/cache/stats.js';
import { nowMicros, type Span, type TraceId } from '../../src/model/index.js';
import { usedBytes } from '../support/measure-heap.js';
import { spansOf } from '../support/spans-of.js';

const MiB = 1024 * 1024;
const BIG_ID = 'fc399502bce824169cf1ea00b42069cf' as TraceId;
const backend = new MemoryBackend('demo');
backend.addSpans(generateDemoSpans({ seed: 42, nowUs: nowMicros() }));
const call = { signal: new AbortController().signal };
/** A fresh copy of the 1,000-span demo trace, as a backend answer: 50 kB gzipped, ~2.5 MB on the heap. */
const bigTrace = async () => spansOf(await backend.getTraces([BIG_ID], call))[0]!;

describe('LayeredCache in-process layer', () => {
  it('keeps the heap within memory.maxBytes under a flood of distinct large entries', async () => {
    const maxBytes = 16 * MiB;
    const cache = new LayeredCache(parseCacheConfig({ memory: { maxBytes } }), new CacheStats(), undefined);
    const before = usedBytes();
    // 40 × ~2.5 MB: six times the cap. Charged at their gzip size they would all stay (2 MB "used").
    for (let i = 0; i < 40; i++) await cache.set('trace', `flood:${i}`, await bigTrace(), 3_600);
    const grown = usedBytes() - before;
    expect(grown).toBeLessThanOrEqual(maxBytes);
    const usage = cache.memoryUsage;
    expect(usage.encodedBytes + usage.decodedBytes).toBeLessThanOrEqual(maxBytes);
    // Every entry is still served: the encoded tier holds all 40 at ~50 kB each.
    expect(usage.entries).toBe(40);
    const [first] = await cache.getMany<Span[]>('trace', ['flood:0']);
    expect(first).toHaveLength(1_000);
  });

  it('charges each entry at least what it holds, small entries included', async () => {
    const cache = new LayeredCache(parseCacheConfig({ memory: { maxEntries: 20_000 } }), new CacheStats(), undefined);
    const before = usedBytes();
    for (let i = 0; i < 20_000; i++) await cache.set('services', `small:${i}`, [`svc-${i}`, 'frontend'], 3_600);
    const grown = usedBytes() - before;
    const usage = cache.memoryUsage;
    expect(usage.decodedEntries).toBe(20_000);
    expect(usage.encodedBytes + usage.decodedBytes).toBeGreaterThanOrEqual(grown);
  });
});
