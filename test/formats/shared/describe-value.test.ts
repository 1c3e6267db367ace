import { describe, expect, it } from 'vitest';
import { describeValue } from '../../../src/formats/shared/describe-value.js';

describe('describeValue', () => {
  it.each([
    { description: 'a string, quoted', value: 'abc', expected: "'abc'" },
    { description: 'undefined as missing', value: undefined, expected: 'missing' },
    { description: 'a bigint as its digits', value: -9223372036854775808n, expected: '-9223372036854775808' },
    { description: 'a bigint inside an object', value: { big: 9007199254740993n }, expected: '{"big":9007199254740993}' },
    { description: 'a long value, cut at 60 characters', value: 'x'.repeat(100), expected: `'${'x'.repeat(59)}…` },
  ])('shows $description', ({ value, expected }) => {
    expect(describeValue(value)).toBe(expected);
  });
});
