import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../src/backends/memory/index.js';
import { generateDemoSpans } from '../../src/demo/index.js';
import { estimateHeapBytes, stringHeapBytes } from '../../src/cache/heap-size.js';
import { nowMicros, type TraceId } from '../../src/model/index.js';
import { zooSpans } from '../support/attribute-zoo.js';
import { makeSpan } from '../support/make-span.js';
import { retainedBytesPerCopy } from '../support/measure-heap.js';
import { spansOf as answeredSpans } from '../support/spans-of.js';

const NOW = nowMicros();
const DEMO = generateDemoSpans({ seed: 42, nowUs: NOW });
const BIG_ID = 'fc399502bce824169cf1ea00b42069cf' as TraceId;
const spansOf = (id: TraceId) => DEMO.filter((s) => s.traceId === id);
const backend = new MemoryBackend('demo');
backend.addSpans(DEMO);
const call = { signal: new AbortController().signal };
const smallestId = [...new Set(DEMO.map((s) => s.traceId))].sort((a, b) => spansOf(a).length - spansOf(b).length)[0]!;

/** JSON round trip: how the cache decodes an entry from its bytes or from Redis. */
const parsed = (value: unknown) => {
  const json = JSON.stringify(value);
  return () => JSON.parse(json) as unknown;
};

// Shapes whose heap is far larger than their JSON, the case a size-from-JSON rule gets wrong.
const smallNumbers = [makeSpan('a', { attributes: [{ key: 'ids', type: 'ARRAY', value: Array.from({ length: 20_000 }, (_, i) => i % 10) }] })];
const emptyMaps = [makeSpan('b', { attributes: [{ key: 'maps', type: 'ARRAY', value: Array.from({ length: 5_000 }, () => ({})) }] })];
const twoByteText = [makeSpan('c', { attributes: [{ key: 'text', type: 'STRING', value: 'ünïcødé ✓ '.repeat(5_000) }] })];
const zoo = zooSpans(NOW);

/** `maxRatio`: how far above the measured heap the estimate may be (1.8 unless the case says why). */
const CASES: Array<{ description: string; make: () => unknown; copies: number; maxRatio?: number }> = [
  { description: 'the 1,000-span demo trace as the cache decodes it', make: parsed(spansOf(BIG_ID)), copies: 12 },
  {
    description: 'the 1,000-span demo trace as the memory backend hands it out (structuredClone)',
    make: async () => answeredSpans(await backend.getTraces([BIG_ID], call))[0],
    copies: 12,
  },
  { description: 'the smallest demo trace, decoded', make: parsed(spansOf(smallestId)), copies: 500 },
  { description: 'every attribute type, events and links (the zoo trace), decoded', make: parsed([...zoo.primary, ...zoo.copies]), copies: 500 },
  {
    description: '200 search summaries, decoded',
    make: parsed(
      Array.from({ length: 200 }, (_, i) => ({
        traceId: BIG_ID,
        rootName: `op-${i}`,
        services: ['a', 'b'],
        startTimeUs: NOW + i,
        durationUs: 1_000 + i,
        spanCount: i,
        errorCount: 0,
        sources: ['demo'],
      })),
    ),
    copies: 100,
  },
  // JSON.parse internalises short strings, so copies share them; the estimate charges each copy.
  {
    description: 'a list of ten service names, decoded',
    make: parsed(Array.from({ length: 10 }, (_, i) => `service-${i}`)),
    copies: 5_000,
    maxRatio: 4,
  },
  { description: 'an array attribute of 20,000 small integers', make: parsed(smallNumbers), copies: 50 },
  { description: 'an array attribute of 5,000 empty maps', make: parsed(emptyMaps), copies: 50 },
  { description: 'a 50,000-character text outside Latin-1', make: parsed(twoByteText), copies: 50 },
];

describe('estimateHeapBytes', () => {
  it.each(CASES)('is an upper bound, close above, of the measured heap of $description', async ({ make, copies, maxRatio = 1.8 }) => {
    const sample = await make();
    const measured = await retainedBytesPerCopy(make, copies);
    const estimate = estimateHeapBytes(sample);
    // 2% for what else the measuring loop allocates: three shapes are charged exactly.
    expect(estimate).toBeGreaterThanOrEqual(0.98 * measured);
    expect(estimate).toBeLessThanOrEqual(maxRatio * measured);
  });

  it('charges text outside Latin-1 two bytes a character', () => {
    expect(stringHeapBytes('abcd')).toBe(24);
    expect(stringHeapBytes('abc✓')).toBe(24);
    expect(stringHeapBytes('ab✓✓✓')).toBe(32);
  });

  it('charges a double and a small integer differently', () => {
    expect(estimateHeapBytes([1])).toBe(estimateHeapBytes([0]));
    expect(estimateHeapBytes([1.5])).toBe(estimateHeapBytes([0]) + 16);
    expect(estimateHeapBytes([1_700_000_000_000_000])).toBe(estimateHeapBytes([0]) + 16);
  });
});
