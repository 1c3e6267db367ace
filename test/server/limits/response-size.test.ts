import { describe, expect, it } from 'vitest';
import { jsonLengthUpTo } from '../../../src/server/limits/response-size.js';

describe('the JSON length of a response, measured before it is written', () => {
  it.each([
    { description: 'an empty object', value: {} },
    { description: 'an empty list', value: [] },
    { description: 'null, booleans and numbers', value: [null, true, false, 0, 7, -12, 1776243600123456, 0.5, -1.25e-7, 2 ** 53 + 2] },
    { description: 'strings and keys', value: { traceId: 'fc399502bce824169cf1ea00b42069cf', name: '', spans: ['a', 'bc'] } },
    {
      description: 'nested objects in lists',
      value: {
        data: {
          trace: {
            spans: [
              { spanId: 'a', parent: null, children: [] },
              { spanId: 'b', events: [{ name: 'x', attributes: [{ key: 'k', value: 1 }] }] },
            ],
          },
        },
      },
    },
    { description: 'undefined fields are left out, as JSON leaves them', value: { a: 1, b: undefined, c: 'x' } },
    {
      description: 'an object without a prototype (what graphql-js builds)',
      value: Object.assign(Object.create(null), { a: [1, 2], b: { c: true } }),
    },
  ])('is exact for $description', ({ value }) => {
    expect(jsonLengthUpTo(value, Number.MAX_SAFE_INTEGER)).toBe(JSON.stringify(value).length);
  });

  it('gives up once past the bound, without walking the rest', () => {
    const value = { data: { spans: Array.from({ length: 1_000 }, (_, i) => ({ spanId: String(i) })) } };
    const length = JSON.stringify(value).length;
    expect(jsonLengthUpTo(value, length)).toBe(length);
    expect(jsonLengthUpTo(value, length - 1)).toBe(Number.POSITIVE_INFINITY);
    // One long string referenced from every item: its length counts each time, as JSON writes it.
    const big = 'x'.repeat(1_000_000);
    const repeated = { spans: Array.from({ length: 1_000 }, () => ({ value: big })) };
    expect(jsonLengthUpTo(repeated, 10_000_000)).toBe(Number.POSITIVE_INFINITY);
  });
});
