import { describe, expect, it } from 'vitest';
import { decode, encode, encodeSoon } from '../../src/cache/codec.js';

describe('cache value codec', () => {
  it('round-trips small values uncompressed', () => {
    const bytes = encode({ value: { a: 1 }, expiresAt: 5 }, 1_024);
    expect(String.fromCharCode(bytes[0]!)).toBe('j');
    expect(decode(bytes)).toEqual({ value: { a: 1 }, expiresAt: 5 });
  });

  it('compresses values above the threshold', () => {
    const value = 'x'.repeat(10_000);
    const bytes = encode({ value, expiresAt: 5 }, 1_024);
    expect(String.fromCharCode(bytes[0]!)).toBe('z');
    expect(bytes.length).toBeLessThan(1_000);
    expect(decode<string>(bytes)?.value).toBe(value);
  });

  it('treats a foreign or corrupt entry as a miss', () => {
    expect(decode(Buffer.from('hello'))).toBeUndefined();
    expect(decode(Buffer.from('j{not json'))).toBeUndefined();
  });

  it('encodes a small value at once and compresses a big one on the thread pool, to the same bytes as encode', async () => {
    const small = encodeSoon({ value: { a: 1 }, expiresAt: 5 }, 1_024);
    expect('bytes' in small && small.bytes).toEqual(encode({ value: { a: 1 }, expiresAt: 5 }, 1_024));
    const value = 'x'.repeat(10_000);
    const big = encodeSoon({ value, expiresAt: 5 }, 1_024);
    expect('pending' in big).toBe(true);
    const bytes = 'pending' in big ? await big.pending : Buffer.alloc(0);
    expect(bytes).toEqual(encode({ value, expiresAt: 5 }, 1_024));
    expect(decode<string>(bytes)?.value).toBe(value);
  });
});
