import { describe, expect, it } from 'vitest';
import { hasLongIntegers, parseJsonExact, stringifyJsonExact } from '../../../src/formats/shared/exact-json.js';

describe('exact JSON for every body Tracegate reads', () => {
  it.each([
    ['{"v":9223372036854775807}', true],
    ['{"v":[1,-12345678901234567]}', true],
    ['{"v": 9007199254740993}', true],
    ['[-9223372036854775808]', true],
    // 2^53 − 1 itself is safe, but a 16-digit number starting with 9 is worth the careful path.
    ['{"v":9007199254740991}', true],
    ['{"startTime":1795361120375502,"traceID":"be0c0000000000000000000000002710"}', false],
    ['{"id":"12345678901234567890"}', false],
    ['{"startTimeUnixNano":"1795361120375502001"}', false],
  ])('%s may hold an integer beyond 2^53: %s', (text, expected) => {
    expect(hasLongIntegers(text)).toBe(expected);
  });

  it('keeps large integers exact and leaves everything else as JSON.parse does', () => {
    expect(parseJsonExact('{"big":9223372036854775807,"t":1795361120375502,"id":"00000000000000000001"}')).toEqual({
      big: 9223372036854775807n,
      t: 1795361120375502,
      id: '00000000000000000001',
    });
  });

  it.each([
    { description: 'the largest safe integer stays a number', text: '[9007199254740991]', expected: [9007199254740991] },
    { description: '2^53 + 1 becomes a bigint', text: '[9007199254740993]', expected: [9007199254740993n] },
    {
      description: 'the int64 minimum and maximum, nested',
      text: '{"a":[{"min":-9223372036854775808}],"max":9223372036854775807}',
      expected: { a: [{ min: -9223372036854775808n }], max: 9223372036854775807n },
    },
    { description: 'beyond uint64 too', text: '[18446744073709551616]', expected: [18446744073709551616n] },
    {
      description: 'numbers written as doubles stay doubles',
      text: '[100000000000000000000.5,1e20,12345678901234567.0]',
      // biome-ignore lint/correctness/noPrecisionLoss: the expected value is JSON.parse's rounding of the text, on purpose
      expected: [1e20, 1e20, 12345678901234567],
    },
  ])('$description', ({ text, expected }) => {
    expect(parseJsonExact(text)).toEqual(expected);
  });

  it('throws SyntaxError on text that is not JSON, as JSON.parse does', () => {
    expect(() => parseJsonExact('{"v":12345678901234567')).toThrow(SyntaxError);
  });

  it('writes bigints back as the integers they are', () => {
    expect(stringifyJsonExact({ min: -9223372036854775808n, list: [9007199254740993n, 1] })).toBe(
      '{"min":-9223372036854775808,"list":[9007199254740993,1]}',
    );
  });
});
