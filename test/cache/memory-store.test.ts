import { describe, expect, it } from 'vitest';
import { encode } from '../../src/cache/codec.js';
import { estimateHeapBytes } from '../../src/cache/heap-size.js';
import { ENTRY_OVERHEAD_BYTES, MemoryStore } from '../../src/cache/memory-store.js';
import { usedBytes } from '../support/measure-heap.js';

const NOW = 1_000_000;
const HOUR = 3_600_000;
const bytesOf = (value: unknown, expiresAt = NOW + HOUR) => encode({ value, expiresAt }, 16 * 1024);
const store = (maxBytes = 1_000_000, maxDecodedBytes = 500_000) => new MemoryStore({ maxEntries: 1_000, maxBytes, maxDecodedBytes });
const put = (s: MemoryStore, key: string, value: unknown, expiresAt = NOW + HOUR) => s.set(key, value, bytesOf(value, expiresAt), expiresAt, NOW);

describe('MemoryStore', () => {
  it('returns the same object on every hit while the entry is held decoded', () => {
    const s = store();
    const value = [{ spanId: 'a' }];
    put(s, 'k', value);
    expect(s.get('k', NOW)).toBe(value);
    expect(s.get('k', NOW)).toBe(value);
  });

  it('charges the encoded tier the exact bytes and the decoded tier the estimated heap', () => {
    const s = store();
    const value = Array.from({ length: 50 }, (_, i) => ({ spanId: `span-${i}`, startTimeUs: 1_700_000_000_000_000 + i }));
    put(s, 'k', value);
    const key = 24; // 'k': a 16-byte string header and one character, aligned to 8
    expect(s.usage).toEqual({
      encodedBytes: bytesOf(value).length + key + ENTRY_OVERHEAD_BYTES,
      decodedBytes: estimateHeapBytes(value) + key + ENTRY_OVERHEAD_BYTES,
      entries: 1,
      decodedEntries: 1,
    });
  });

  it('decodes an entry the decoded tier evicted from its bytes, then holds it decoded again', () => {
    const value = (n: number) => Array.from({ length: 100 }, (_, i) => `value-${n}-${i}`);
    const one = estimateHeapBytes(value(0)) + 1_000;
    const s = store(100 * one, one);
    put(s, 'first', value(1));
    put(s, 'second', value(2)); // evicts first from the decoded tier only
    expect(s.usage).toMatchObject({ entries: 2, decodedEntries: 1 });
    const decoded = s.get<string[]>('first', NOW);
    expect(decoded).toEqual(value(1));
    expect(s.get('first', NOW)).toBe(decoded);
  });

  it('serves an entry too large for the decoded tier from its bytes on every hit', () => {
    const s = store(1_000_000, 1_000);
    const value = Array.from({ length: 100 }, (_, i) => `value-${i}`);
    put(s, 'big', value);
    expect(s.usage).toMatchObject({ entries: 1, decodedEntries: 0, decodedBytes: 0 });
    const first = s.get('big', NOW);
    expect(first).toEqual(value);
    expect(s.get('big', NOW)).not.toBe(first);
  });

  it('drops the older decoded copy when a newer value under the key is too large to hold decoded', () => {
    const s = store(1_000_000, 2_000);
    put(s, 'k', ['small']);
    const large = Array.from({ length: 100 }, (_, i) => `value-${i}`);
    put(s, 'k', large);
    expect(s.get('k', NOW)).toEqual(large);
  });

  it('misses an entry whose envelope has expired, in either tier', () => {
    const s = store(1_000_000, 1_000);
    put(
      s,
      'short',
      Array.from({ length: 100 }, (_, i) => `value-${i}`),
      NOW + 10,
    );
    expect(s.get('short', NOW + 10)).toBeUndefined();
    expect(s.usage.entries).toBe(0);
  });

  it('stores nothing already expired', () => {
    const s = store();
    put(s, 'old', ['x'], NOW);
    expect(s.usage).toMatchObject({ entries: 0, decodedEntries: 0 });
  });

  it('keeps its own copy of bytes that are a slice of a larger buffer (a Redis reply, the Buffer pool)', () => {
    const s = store(50_000_000, 1); // nothing held decoded: hits decode the stored bytes
    const before = usedBytes();
    for (let i = 0; i < 200; i++) {
      const reply = Buffer.alloc(256 * 1024);
      const bytes = bytesOf([`v${i}`]);
      bytes.copy(reply, 1_000);
      s.set(`k${i}`, [`v${i}`], reply.subarray(1_000, 1_000 + bytes.length), NOW + HOUR, NOW);
    }
    // Holding the slices would keep 200 × 256 kB = 50 MB alive.
    expect(usedBytes() - before).toBeLessThan(1_000_000);
    expect(s.get('k7', NOW)).toEqual(['v7']);
  });
});
