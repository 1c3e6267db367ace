import { describe, expect, it } from 'vitest';
import { GoParseError, goAtoi, goParseDuration, goParseRfc3339Nano, goTraceIdFromString } from '../../../src/api/shared/go-parse.js';

describe('Go parsers as Jaeger’s api_v3 runs them', () => {
  it.each([
    { text: '1.5s', ns: 1_500_000_000n },
    { text: '1h2m3.5s', ns: 3_723_500_000_000n },
    { text: '-5us', ns: -5_000n },
    { text: '+0', ns: 0n },
    { text: '0', ns: 0n },
    { text: '.5ms', ns: 500_000n },
    { text: '1.s', ns: 1_000_000_000n },
    { text: '3µs', ns: 3_000n },
    { text: '3μs', ns: 3_000n },
    { text: '1.0000000009s', ns: 1_000_000_000n },
  ])('time.ParseDuration($text) = $ns ns', ({ text, ns }) => expect(goParseDuration(text)).toBe(ns));

  it.each([
    { text: '', message: 'time: invalid duration ""' },
    { text: '-', message: 'time: invalid duration "-"' },
    { text: '1', message: 'time: missing unit in duration "1"' },
    { text: '2d', message: 'time: unknown unit "d" in duration "2d"' },
    { text: '1s ms', message: 'time: unknown unit "s ms" in duration "1s ms"' },
  ])('time.ParseDuration($text) fails: $message', ({ text, message }) => {
    expect(() => goParseDuration(text)).toThrow(new GoParseError(message));
  });

  const TEN = BigInt(Date.parse('2026-11-30T10:00:00Z')) * 1_000_000n;
  it.each([
    { text: '2026-11-30T10:00:00Z', ns: TEN },
    { text: '2026-11-30T10:00:00.123456789Z', ns: TEN + 123_456_789n },
    { text: '2026-11-30T10:00:00.1234567891Z', ns: TEN + 123_456_789n },
    { text: '2026-11-30T11:30:00+01:30', ns: TEN },
    { text: '2026-11-30T08:30:00,5-01:30', ns: TEN + 500_000_000n },
    { text: '2026-11-30T1:00:00Z', ns: TEN - 9n * 3_600_000_000_000n },
  ])('time.Parse(RFC3339Nano, $text)', ({ text, ns }) => expect(goParseRfc3339Nano(text)).toBe(ns));

  it('strconv.Atoi and model.TraceIDFromString', () => {
    expect(goAtoi('+12')).toBe(12);
    expect(() => goAtoi('99999999999999999999')).toThrow('strconv.Atoi: parsing "99999999999999999999": value out of range');
    expect(goTraceIdFromString('ABC')).toBe('00000000000000000000000000000abc');
    expect(() => goTraceIdFromString('g000000000000000000')).toThrow('strconv.ParseUint: parsing "g00": invalid syntax');
  });
});
