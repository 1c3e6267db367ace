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
import { BadUserInputError } from '../../errors.js';
import { nowMicros, type TraceId } from '../../model/index.js';
import { traceIdArg } from '../../resolvers/validate.js';

export type Params = Record<string, string | string[] | undefined>;

export const DEFAULT_LOOKBACK_MS = 86_400_000;
export const DEFAULT_LIMIT = 10;

/** The parameter's single value; undefined when absent. */
export function param(query: Params, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new BadUserInputError(`${name} may be given once, got ${value.length} values`, name);
  return value;
}

export function requiredParam(query: Params, name: string): string {
  const value = param(query, name)?.trim();
  if (value === undefined || value === '') throw new BadUserInputError(`${name} is required`, name);
  return value;
}

function optionalText(query: Params, name: string): string | null {
  const value = param(query, name)?.trim();
  return value === undefined || value === '' ? null : value;
}

/** A non-negative integer (Zipkin's `long`), or undefined when absent. */
function integerParam(query: Params, name: string): number | undefined {
  const value = param(query, name);
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,16}$/.test(value.trim())) throw new BadUserInputError(`${name} must be a non-negative integer, got '${value}'`, name);
  return Number(value.trim());
}

/** `endTs` (ms, default now) and `lookback` (ms, default one day) → a µs window within limits.maxWindowHours. */
export function windowParams(query: Params, limits: LimitsConfig): TimeWindow {
  const endTs = integerParam(query, 'endTs');
  const lookback = integerParam(query, 'lookback') ?? DEFAULT_LOOKBACK_MS;
  if (endTs === 0) throw new BadUserInputError('endTs must be positive', 'endTs');
  if (lookback === 0) throw new BadUserInputError('lookback must be positive', 'lookback');
  const maxMs = limits.maxWindowHours * 3_600_000;
  if (lookback > maxMs)
    throw new BadUserInputError(`lookback may be at most ${maxMs} ms (${limits.maxWindowHours} hours), got ${lookback}`, 'lookback');
  const endUs = endTs === undefined ? nowMicros() : endTs * 1_000;
  return { startUs: Math.max(0, endUs - lookback * 1_000), endUs };
}

/**
 * `annotationQuery`: terms joined by ` and `; each `key=value` becomes an attribute filter. A bare
 * key (Zipkin: "has this tag or annotation") has no canonical equivalent and is refused rather than
 * approximated.
 */
function annotationFilters(text: string | null): AttributeFilter[] {
  if (text === null) return [];
  return text.split(/\s+and\s+/i).flatMap((term): AttributeFilter[] => {
    const trimmed = term.trim();
    if (trimmed === '') return [];
    const eq = trimmed.indexOf('=');
    if (eq <= 0) {
      throw new BadUserInputError(`annotationQuery terms must be key=value (a bare key is not supported), got '${trimmed}'`, 'annotationQuery');
    }
    return [{ key: trimmed.slice(0, eq), value: trimmed.slice(eq + 1) }];
  });
}

export function traceQueryParams(query: Params, limits: LimitsConfig): TraceQuery {
  if (optionalText(query, 'remoteServiceName') !== null) {
    // No backend interface call filters by the remote service; refused rather than approximated.
    throw new BadUserInputError('remoteServiceName is not supported by Tracegate (issue 13)', 'remoteServiceName');
  }
  const limit = integerParam(query, 'limit') ?? DEFAULT_LIMIT;
  if (limit < 1 || limit > limits.maxSearchLimit) {
    throw new BadUserInputError(`limit must be between 1 and ${limits.maxSearchLimit}, got ${limit}`, 'limit');
  }
  const minDurationUs = integerParam(query, 'minDuration') ?? null;
  const maxDurationUs = integerParam(query, 'maxDuration') ?? null;
  if (minDurationUs !== null && maxDurationUs !== null && minDurationUs > maxDurationUs) {
    throw new BadUserInputError(`minDuration (${minDurationUs}) must not exceed maxDuration (${maxDurationUs})`, 'minDuration');
  }
  return {
    service: optionalText(query, 'serviceName'),
    operation: optionalText(query, 'spanName'),
    attributes: annotationFilters(optionalText(query, 'annotationQuery')),
    minDurationUs,
    maxDurationUs,
    window: windowParams(query, limits),
    limit,
  };
}

/** `traceIds`: comma-separated, at least two and distinct (Zipkin's own rules), at most limits.maxTraceIds. */
export function traceIdsParam(query: Params, limits: LimitsConfig): TraceId[] {
  const raw = param(query, 'traceIds') ?? '';
  if (raw.trim() === '') throw new BadUserInputError('traceIds parameter is empty', 'traceIds');
  const parts = raw.split(',');
  if (parts.length > limits.maxTraceIds) {
    throw new BadUserInputError(`traceIds may hold at most ${limits.maxTraceIds} trace ids, got ${parts.length}`, 'traceIds');
  }
  const ids = new Set<TraceId>();
  for (const part of parts) {
    const id = traceIdArg(part.trim());
    if (ids.has(id)) throw new BadUserInputError(`redundant traceId: ${part}`, 'traceIds');
    ids.add(id);
  }
  if (ids.size === 1) throw new BadUserInputError('Use /api/v2/trace/{traceId} endpoint to retrieve a single trace', 'traceIds');
  return [...ids];
}
