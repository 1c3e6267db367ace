/** Go's time.ParseDuration, value and message, as Jaeger's v1 API parses minDuration and maxDuration (src/api/jaeger/params.ts). */
import { describe, expect, it } from 'vitest';
import { parseGoDurationUs } from '../../../src/api/jaeger/params.js';

describe('parseGoDurationUs', () => {
  it.each([
    ['a whole number of ms', '100ms', 100_000],
    ['a fraction of a second', '1.5s', 1_500_000],
    ['a fraction without a leading digit', '.5s', 500_000],
    ['a compound duration', '1h30m', 5_400_000_000],
    ['microseconds three ways', '1us2µs3μs', 6],
    ['nanoseconds, rounded to µs', '1500ns', 2],
    ['a bare zero', '0', 0],
    ['a signed value', '-2s', -2_000_000],
    ['a plus sign', '+1m', 60_000_000],
  ])('reads %s', (_, text, us) => expect(parseGoDurationUs(text)).toBe(us));

  it.each([
    ['a bare number', '100', 'time: missing unit in duration "100"'],
    ['an unknown unit', '2d', 'time: unknown unit "d" in duration "2d"'],
    ['a word', 'fast', 'time: invalid duration "fast"'],
    ['a dot without digits', '.s', 'time: invalid duration ".s"'],
    ['a sign alone', '-', 'time: invalid duration "-"'],
    ['a unit running to the next digit', '1s ms', 'time: unknown unit "s ms" in duration "1s ms"'],
  ])("refuses %s with Go's message", (_, text, message) => expect(parseGoDurationUs(text)).toBe(message));
});
