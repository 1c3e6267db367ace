import { describe, expect, it } from 'vitest';
import { isoToMicros, microsToIso, microsToNanosString, nanosStringToMicros, parseDurationToMicros } from '../../src/model/index.js';

describe('time conversions', () => {
  it('turns OTLP nanosecond strings into exact microseconds', () => {
    expect(nanosStringToMicros('1700000000123456789')).toBe(1700000000123456);
  });
  it('round-trips microseconds through nanosecond strings', () => {
    expect(microsToNanosString(1700000000123456)).toBe('1700000000123456000');
  });
  it('rejects non-numeric nanosecond strings as NaN', () => {
    expect(nanosStringToMicros('12e9')).toBeNaN();
  });
  it('prints RFC 3339 with microseconds', () => {
    expect(microsToIso(1700000000123456)).toBe('2023-11-14T22:13:20.123456Z');
  });
  it.each([
    { text: '2023-11-14T22:13:20.123456Z', want: 1700000000123456 },
    { text: '2023-11-14T22:13:20Z', want: 1700000000000000 },
    { text: '2023-11-14T23:13:20.5+01:00', want: 1700000000500000 },
    { text: '2023-11-14T22:13:20.123456789Z', want: 1700000000123456 },
  ])('parses $text keeping microseconds', ({ text, want }) => {
    expect(isoToMicros(text)).toBe(want);
  });
  it('rejects a date without time', () => {
    expect(isoToMicros('2023-11-14')).toBeUndefined();
  });
  it.each([
    { text: '15m', want: 900_000_000 },
    { text: '1h30m', want: 5_400_000_000 },
    { text: '250ms', want: 250_000 },
    { text: '7d', want: 604_800_000_000 },
    { text: '1.5s', want: 1_500_000 },
  ])('parses duration $text', ({ text, want }) => {
    expect(parseDurationToMicros(text)).toBe(want);
  });
  it.each(['', '15', 'm15', '15 m', '1x'])('rejects duration %j', (text) => {
    expect(parseDurationToMicros(text)).toBeUndefined();
  });
});
