import { describe, expect, it } from 'vitest';
import {
  base64IdToHex,
  compactTraceId,
  InvalidIdError,
  parseSpanId,
  parseTraceId,
  traceIdsMatch,
  tryParseSpanId,
  tryParseTraceId,
} from '../../src/model/index.js';

describe('parseTraceId', () => {
  it.each([
    { description: '32 lowercase hex stays as is', raw: '83a9efd15c1c98a977e0711cc93ee28b', want: '83a9efd15c1c98a977e0711cc93ee28b' },
    { description: 'upper case is lowered', raw: '83A9EFD15C1C98A977E0711CC93EE28B', want: '83a9efd15c1c98a977e0711cc93ee28b' },
    { description: '64-bit id is left-padded to 32', raw: '77e0711cc93ee28b', want: '000000000000000077e0711cc93ee28b' },
    { description: 'leading zeros may be omitted', raw: 'ab', want: '000000000000000000000000000000ab' },
    { description: 'surrounding white space is ignored', raw: '  ab ', want: '000000000000000000000000000000ab' },
  ])('$description', ({ raw, want }) => {
    expect(parseTraceId(raw)).toBe(want);
  });

  it.each([
    { description: 'non-hex characters', raw: 'zz12' },
    { description: 'more than 32 digits', raw: `${'0'.repeat(33)}1` },
    { description: 'empty', raw: '' },
    { description: 'all zeros', raw: '0000000000000000' },
    { description: 'dashes (a UUID)', raw: '83a9efd1-5c1c-98a9-77e0-711cc93ee28b' },
  ])('rejects $description', ({ raw }) => {
    expect(() => parseTraceId(raw)).toThrow(InvalidIdError);
  });

  it('says what was expected and what arrived', () => {
    expect(() => parseTraceId('zz12')).toThrow("traceId must be 1 to 32 hex characters, got 'zz12'");
  });
});

describe('span ids', () => {
  it('pads and lowers span ids', () => {
    expect(parseSpanId('ABC')).toBe('0000000000000abc');
  });
  it('rejects a 17-digit span id', () => {
    expect(() => parseSpanId('1'.repeat(17))).toThrow(InvalidIdError);
  });
});

describe('64/128-bit matching', () => {
  const long = parseTraceId('463ac35c9f6413ad48485a3953bb6124');
  const short = parseTraceId('48485a3953bb6124');
  it('is strict by default', () => {
    expect(traceIdsMatch(short, long, false)).toBe(false);
  });
  it('matches the low half when lenient', () => {
    expect(traceIdsMatch(short, long, true)).toBe(true);
  });
  it('does not match different low halves when lenient', () => {
    expect(traceIdsMatch(parseTraceId('48485a3953bb6125'), long, true)).toBe(false);
  });
  it('compacts a 64-bit id back to 16 hex', () => {
    expect(compactTraceId(short)).toBe('48485a3953bb6124');
    expect(compactTraceId(long)).toBe('463ac35c9f6413ad48485a3953bb6124');
  });
});

describe('base64 ids', () => {
  it('converts 16-byte base64 to hex', () => {
    expect(base64IdToHex('W47/95gDgQPSabYzgT/GDA==')).toBe('5b8efff798038103d269b633813fc60c');
  });
  it('refuses lengths other than 8 or 16 bytes', () => {
    expect(base64IdToHex('AAAA')).toBeUndefined();
  });
});

describe('tryParseTraceId and tryParseSpanId (wire ids: canonical ones skip the parse)', () => {
  it.each([
    { description: 'a canonical trace id', raw: '83a9efd15c1c98a977e0711cc93ee28b', want: '83a9efd15c1c98a977e0711cc93ee28b' },
    { description: 'an upper-case trace id of canonical length', raw: '83A9EFD15C1C98A977E0711CC93EE28B', want: '83a9efd15c1c98a977e0711cc93ee28b' },
    { description: 'a 32-character id with a non-hex character', raw: '83a9efd15c1c98a977e0711cc93ee28g', want: undefined },
    { description: 'the all-zero trace id', raw: '0'.repeat(32), want: undefined },
    { description: 'a 16-hex trace id', raw: '77e0711cc93ee28b', want: '000000000000000077e0711cc93ee28b' },
    { description: 'not a string', raw: 42, want: undefined },
  ])('trace: $description', ({ raw, want }) => {
    expect(tryParseTraceId(raw)).toBe(want);
  });

  it.each([
    { description: 'a canonical span id', raw: '00f067aa0ba902b7', want: '00f067aa0ba902b7' },
    { description: 'an upper-case span id', raw: '00F067AA0BA902B7', want: '00f067aa0ba902b7' },
    { description: 'the all-zero span id', raw: '0'.repeat(16), want: undefined },
    { description: 'a 16-character id with a space', raw: '00f067aa0ba902b ', want: '000f067aa0ba902b' },
    { description: 'a 16-character id with a colon', raw: '00f067aa0ba902b:', want: undefined },
  ])('span: $description', ({ raw, want }) => {
    expect(tryParseSpanId(raw)).toBe(want);
  });
});
