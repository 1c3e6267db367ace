import { describe, expect, it } from 'vitest';
import { hasLongIntegers, parseJsonExact } from '../../../src/backends/shared/exact-json.js';

describe('exact JSON for Elasticsearch bodies', () => {
  it.each([
    ['{"v":9223372036854775807}', true],
    ['{"v":[1,-12345678901234567]}', true],
    ['{"v": 9007199254740993}', true],
    ['{"startTime":1795361120375502,"traceID":"be0c0000000000000000000000002710"}', false],
    ['{"id":"12345678901234567890"}', false],
  ])('%s may hold an integer beyond 2^53: %s', (text, expected) => {
    expect(hasLongIntegers(text)).toBe(expected);
  });

  it('keeps large integers exact and leaves everything else as JSON.parse does', () => {
    expect(parseJsonExact('{"big":9223372036854775807,"t":1795361120375502,"id":"00000000000000000001"}')).toEqual({ big: 9223372036854775807n, t: 1795361120375502, id: '00000000000000000001' });
  });
});
