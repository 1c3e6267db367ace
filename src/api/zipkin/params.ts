/**
 * Zipkin API v2 query parameters → canonical queries, with Zipkin's forms and defaults
 * (openzipkin/zipkin `zipkin-server/.../ZipkinQueryApiV2.java`, `zipkin2.storage.QueryRequest`):
 * times in epoch milliseconds, `endTs` now, `lookback` one day, `limit` 10, durations in µs,
 * `annotationQuery` as `key=value and key2=value2`. Bad input throws BadUserInputError, which
 * routes.ts answers 400 with the message as plain text, as Zipkin does. The limits of the GraphQL
 * API apply (limits.maxSearchLimit, maxWindowHours, maxTraceIds).
 */
import type { AttributeFilter, TimeWindow, TraceQuery } from '../../backends/backend.js';
import type { LimitsConfig } from '../../config/index.js';
import { BadUserInputError, InvalidTraceIdError } from '../../errors.js';
import type { TraceId } from '../../model/index.js';
import { traceIdArg } from '../../resolvers/validate.js';

export type Params = Record<string, string | string[] | undefined>;

export const DEFAULT_LOOKBACK_MS = 86_400_000;
export const DEFAULT_LIMIT = 10;

/**
 * The parameter as Zipkin's server (Armeria) binds it: the first value when repeated; `''` when given
 * empty. Absent is undefined.
 */
function first(query: Params, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

/** An optional (`@Nullable`) parameter: empty is absent. */
export function param(query: Params, name: string): string | undefined {
  const value = first(query, name);
  return value === '' ? undefined : value;
}

/** A mandatory text parameter, with Armeria's message when absent; it may be empty. */
export function mandatoryParam(query: Params, name: string): string {
  const value = first(query, name);
  if (value === undefined) throw new BadUserInputError(`Mandatory parameter/header/attribute is missing: ${name}`, name);
  return value;
}

/** A text parameter Zipkin treats as absent when empty. */
function optionalText(query: Params, name: string): string | null {
  return param(query, name) ?? null;
}

const JAVA_INTEGER = /^[+-]?\d+$/;

/** Java's Long.parseLong / Integer.parseInt, with their message (`For input string: "abc"`). */
function javaInteger(text: string, name: string, bits: 32 | 64): number {
  const max = bits === 32 ? 2n ** 31n : 2n ** 63n;
  if (!JAVA_INTEGER.test(text) || BigInt(text) >= max || BigInt(text) < -max) {
    throw new BadUserInputError(`For input string: "${text}"`, name);
  }
  return Number(text);
}

/** An optional `Long`: absent or empty is undefined. */
function longParam(query: Params, name: string): number | undefined {
  const value = param(query, name);
  return value === undefined ? undefined : javaInteger(value, name, 64);
}

/** A primitive `long`/`int` parameter: absent is `fallback` (or Armeria's "missing"), empty cannot be null. */
function primitiveParam(query: Params, name: string, bits: 32 | 64, fallback?: number): number {
  const value = first(query, name);
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new BadUserInputError(`Mandatory parameter/header/attribute is missing: ${name}`, name);
  }
  if (value === '') throw new BadUserInputError(`Cannot set null to primitive type parameter: ${name}`, name);
  return javaInteger(value, name, bits);
}

/** Zipkin's default lookback, one day, or the longest window limits.maxWindowHours allows when shorter. */
function defaultLookback(limits: LimitsConfig): number {
  return Math.min(DEFAULT_LOOKBACK_MS, limits.maxWindowHours * 3_600_000);
}

/** A window from `endTs` (ms) back `lookback` (ms), within limits.maxWindowHours. */
function window(endTs: number, lookback: number, limits: LimitsConfig): TimeWindow {
  const maxMs = limits.maxWindowHours * 3_600_000;
  if (lookback > maxMs)
    throw new BadUserInputError(`lookback may be at most ${maxMs} ms (${limits.maxWindowHours} hours), got ${lookback}`, 'lookback');
  const endUs = endTs * 1_000;
  return { startUs: Math.max(0, endUs - lookback * 1_000), endUs };
}

/** `/dependencies`: `endTs` (ms, mandatory) and `lookback` (ms, default one day), with Zipkin's checks. */
export function dependencyWindowParams(query: Params, limits: LimitsConfig): TimeWindow {
  const endTs = primitiveParam(query, 'endTs', 64);
  const lookback = longParam(query, 'lookback') ?? defaultLookback(limits);
  if (endTs <= 0) throw new BadUserInputError('endTs <= 0', 'endTs');
  if (lookback <= 0) throw new BadUserInputError('lookback <= 0', 'lookback');
  return window(endTs, lookback, limits);
}

/**
 * `annotationQuery`: terms joined by the literal ` and `, as Zipkin splits them; each `key=value`
 * becomes an attribute filter. The bare term `error` (Zipkin: "has an error tag") is Tracegate's
 * `error=true`, a span whose status is ERROR, which is what to-model.ts makes of any error tag but
 * `false`. Any other bare key (Zipkin: "has this tag or annotation") has no canonical equivalent and is
 * refused rather than approximated.
 */
function annotationFilters(text: string | null): AttributeFilter[] {
  if (text === null) return [];
  return text.split(' and ').flatMap((term): AttributeFilter[] => {
    const trimmed = term.trim();
    if (trimmed === '') return [];
    if (trimmed === 'error') return [{ key: 'error', value: 'true' }];
    const eq = trimmed.indexOf('=');
    if (eq <= 0) {
      throw new BadUserInputError(`annotationQuery terms must be key=value (a bare key is not supported), got '${trimmed}'`, 'annotationQuery');
    }
    return [{ key: trimmed.slice(0, eq), value: trimmed.slice(eq + 1) }];
  });
}

/**
 * `/traces`: parameters bound as Zipkin binds them (a bad number is `For input string: "…"`), then
 * checked in the order of Zipkin's QueryRequest.build (`endTs <= 0`, `limit <= 0`, `lookback <= 0`,
 * `minDuration <= 0`, `maxDuration < minDuration`, `maxDuration is only valid with minDuration`), then
 * against Tracegate's limits. `spanName=all` means any, as in Zipkin.
 */
export function traceQueryParams(query: Params, limits: LimitsConfig): TraceQuery {
  const minDurationUs = longParam(query, 'minDuration') ?? null;
  const maxDurationUs = longParam(query, 'maxDuration') ?? null;
  const endTs = longParam(query, 'endTs') ?? Date.now();
  const lookback = longParam(query, 'lookback') ?? defaultLookback(limits);
  const limit = primitiveParam(query, 'limit', 32, DEFAULT_LIMIT);
  if (endTs <= 0) throw new BadUserInputError('endTs <= 0', 'endTs');
  if (limit <= 0) throw new BadUserInputError('limit <= 0', 'limit');
  if (lookback <= 0) throw new BadUserInputError('lookback <= 0', 'lookback');
  if (minDurationUs !== null) {
    if (minDurationUs <= 0) throw new BadUserInputError('minDuration <= 0', 'minDuration');
    if (maxDurationUs !== null && maxDurationUs < minDurationUs) throw new BadUserInputError('maxDuration < minDuration', 'maxDuration');
  } else if (maxDurationUs !== null) {
    throw new BadUserInputError('maxDuration is only valid with minDuration', 'maxDuration');
  }
  if (limit > limits.maxSearchLimit) throw new BadUserInputError(`limit must be between 1 and ${limits.maxSearchLimit}, got ${limit}`, 'limit');
  if (optionalText(query, 'remoteServiceName') !== null) {
    // No backend interface call filters by the remote service; refused rather than approximated.
    throw new BadUserInputError('remoteServiceName is not supported by Tracegate (issue 13)', 'remoteServiceName');
  }
  const spanName = optionalText(query, 'spanName');
  return {
    service: optionalText(query, 'serviceName'),
    operation: spanName === null || spanName.toLowerCase() === 'all' ? null : spanName,
    attributes: annotationFilters(optionalText(query, 'annotationQuery')),
    minDurationUs,
    maxDurationUs,
    window: window(endTs, lookback, limits),
    limit,
  };
}

/**
 * A trace id checked as Zipkin's Span.normalizeTraceId checks it, with its messages (lower-case hex
 * only, no prefix, at most 32 digits, not all zeros), then parsed by the shared id parser.
 */
export function zipkinTraceId(text: string): TraceId {
  if (text === '') throw new InvalidTraceIdError('traceId is empty', text);
  if (text.length > 32) throw new InvalidTraceIdError('traceId.length > 32', text);
  if (!/^[0-9a-f]+$/.test(text)) throw new InvalidTraceIdError(`${text} should be lower-hex encoded with no prefix`, text);
  if (/^0+$/.test(text)) throw new InvalidTraceIdError('traceId is all zeros', text);
  return traceIdArg(text);
}

/** `traceIds`: comma-separated, untrimmed, at least two and distinct (Zipkin's own rules and messages), at most limits.maxTraceIds. */
export function traceIdsParam(query: Params, limits: LimitsConfig): TraceId[] {
  const raw = mandatoryParam(query, 'traceIds');
  if (raw === '') throw new BadUserInputError('traceIds parameter is empty', 'traceIds');
  const parts = raw.split(',');
  if (parts.length > limits.maxTraceIds) {
    throw new BadUserInputError(`traceIds may hold at most ${limits.maxTraceIds} trace ids, got ${parts.length}`, 'traceIds');
  }
  const ids = new Set<TraceId>();
  for (const part of parts) {
    const id = zipkinTraceId(part);
    if (ids.has(id)) throw new BadUserInputError(`redundant traceId: ${part}`, 'traceIds');
    ids.add(id);
  }
  if (ids.size === 1) throw new BadUserInputError('Use /api/v2/trace/{traceId} endpoint to retrieve a single trace', 'traceIds');
  return [...ids];
}
