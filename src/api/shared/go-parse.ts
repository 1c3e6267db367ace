/**
 * The Go standard-library parsers Jaeger's api_v3 gateway runs on its parameters
 * (jaegertracing/jaeger `cmd/query/app/apiv3/http_gateway.go`), with their exact acceptance and error
 * texts, so a bad parameter gets the same 400 message from Tracegate as from Jaeger:
 * `time.Parse(time.RFC3339Nano, …)`, `time.ParseDuration`, `strconv.Atoi`, `strconv.ParseBool`, and
 * `model.TraceIDFromString` (jaegertracing/jaeger-idl `model/v1/ids.go`). Each returns the value or
 * throws GoParseError with Go's text; params.ts prefixes it with `malformed parameter <name>: `. Pure.
 */

export class GoParseError extends Error {}

/** Go's strconv.Quote for the ASCII text parameters carry; JSON's escaping agrees with it there. */
const quote = (text: string): string => JSON.stringify(text);

/** `strconv.ParseBool`. */
export function goParseBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new GoParseError(`strconv.ParseBool: parsing ${quote(text)}: invalid syntax`);
}

/** `strconv.Atoi` (64-bit int). */
export function goAtoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new GoParseError(`strconv.Atoi: parsing ${quote(text)}: invalid syntax`);
  const value = BigInt(text);
  if (value > 9223372036854775807n || value < -9223372036854775808n)
    throw new GoParseError(`strconv.Atoi: parsing ${quote(text)}: value out of range`);
  return Number(value);
}

/** Nanoseconds per unit of `time.ParseDuration`: µs as U+00B5 and U+03BC, no days. */
const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_INT64 = 9223372036854775807n;

/** `time.ParseDuration` → nanoseconds: `1.5s`, `300ms`, `1h2m`, `-5us`, `0`. */
export function goParseDuration(text: string): bigint {
  const invalid = () => new GoParseError(`time: invalid duration ${quote(text)}`);
  let s = text;
  let negative = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole = '', fraction] = [number[1], number[2]];
    if (whole === '' && (fraction === undefined || fraction === '')) throw invalid();
    s = s.slice(number[0].length);
    const unitMatch = /^[^.\d]*/.exec(s)![0];
    if (unitMatch === '') throw new GoParseError(`time: missing unit in duration ${quote(text)}`);
    const unit = DURATION_UNITS[unitMatch];
    if (unit === undefined) throw new GoParseError(`time: unknown unit ${quote(unitMatch)} in duration ${quote(text)}`);
    s = s.slice(unitMatch.length);
    // Go keeps the fraction's digits exactly and rounds down, as here.
    let ns = BigInt(whole === '' ? '0' : whole) * unit;
    if (fraction !== undefined && fraction !== '') ns += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    total += ns;
    if (total > MAX_INT64 + (negative ? 1n : 0n)) throw invalid();
  }
  return negative ? -total : total;
}

const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';

/**
 * `time.Parse(time.RFC3339Nano, …)` → nanoseconds since the epoch. Go walks the layout element by
 * element (`2006`, `-`, `01`, …) and names the first one the text does not fit, or the field out of range.
 */
export function goParseRfc3339Nano(text: string): bigint {
  let rest = text;
  const cannot = (element: string) =>
    new GoParseError(`parsing time ${quote(text)} as ${quote(RFC3339_NANO)}: cannot parse ${quote(rest)} as ${quote(element)}`);
  const outOfRange = (field: string) => new GoParseError(`parsing time ${quote(text)}: ${field} out of range`);
  const literal = (chars: string) => {
    if (!rest.startsWith(chars)) throw cannot(chars);
    rest = rest.slice(chars.length);
  };
  /** Go's getnum: one or two digits, two required when `fixed`. */
  const number = (element: string, fixed: boolean): number => {
    const m = (fixed ? /^\d\d/ : /^\d\d?/).exec(rest);
    if (m === null) throw cannot(element);
    rest = rest.slice(m[0].length);
    return Number(m[0]);
  };
  if (!/^\d{4}/.test(rest)) throw cannot('2006');
  const year = Number(rest.slice(0, 4));
  rest = rest.slice(4);
  literal('-');
  const month = number('01', true);
  if (month < 1 || month > 12) throw outOfRange('month');
  literal('-');
  const day = number('02', true);
  if (day > 31) throw outOfRange('day');
  literal('T');
  const hour = number('15', false);
  if (hour >= 24) throw outOfRange('hour');
  literal(':');
  const minute = number('04', true);
  if (minute >= 60) throw outOfRange('minute');
  literal(':');
  const second = number('05', true);
  if (second >= 60) throw outOfRange('second');
  let nanos = 0n;
  const fraction = /^[.,](\d+)/.exec(rest);
  if (fraction !== null) {
    nanos = BigInt(fraction[1]!.slice(0, 9).padEnd(9, '0'));
    rest = rest.slice(fraction[0].length);
  }
  let offsetMinutes = 0;
  if (rest.startsWith('Z')) rest = rest.slice(1);
  else {
    const zone = /^([+-])(\d\d):(\d\d)/.exec(rest);
    if (zone === null) throw cannot('Z07:00');
    const [, sign, hh, mm] = zone;
    if (Number(hh) > 24) throw outOfRange('time zone offset hour');
    if (Number(mm) > 60) throw outOfRange('time zone offset minute');
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm));
    rest = rest.slice(zone[0].length);
  }
  if (rest !== '') throw new GoParseError(`parsing time ${quote(text)}: extra text: ${quote(rest)}`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) throw outOfRange('day');
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  // Date.UTC maps years 0–99 to 1900–1999; Go does not.
  const fixedMs = year < 100 ? new Date(ms).setUTCFullYear(year) : ms;
  return BigInt(fixedMs) * 1_000_000n + nanos;
}

/**
 * `model.TraceIDFromString`: at most 32 hex digits, read as two uint64 halves; the error names the
 * half that failed, as strconv.ParseUint does. Returns the id as 32 lowercase hex digits.
 */
export function goTraceIdFromString(text: string): string {
  if (text.length > 32) throw new GoParseError(`TraceID cannot be longer than 32 hex characters: ${text}`);
  const split = Math.max(0, text.length - 16);
  for (const half of split > 0 ? [text.slice(0, split), text.slice(split)] : [text]) {
    if (!/^[0-9a-fA-F]+$/.test(half)) throw new GoParseError(`strconv.ParseUint: parsing ${quote(half)}: invalid syntax`);
  }
  return text.toLowerCase().padStart(32, '0');
}
