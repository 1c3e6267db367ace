/** The automatic-persisted-query store is bounded in bytes (server/persisted-queries.ts). */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BoundedQueryStore } from '../../src/server/persisted-queries.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('the persisted-query store', () => {
  it('never holds more than its byte budget, dropping the least recently used', async () => {
    const store = new BoundedQueryStore(20_000);
    for (let i = 0; i < 1_000; i++) await store.set(sha256(String(i)), `{ q${i} ${'x'.repeat(100)} }`);
    expect(store.bytes).toBeLessThanOrEqual(20_000);
    expect(store.size).toBeGreaterThan(10);
    expect(store.size).toBeLessThan(1_000);
    expect(await store.get(sha256('999'))).toContain('q999');
    expect(await store.get(sha256('0'))).toBeUndefined();
  });
});
