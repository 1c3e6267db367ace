/**
 * Argument validation at the resolver edge: bad input never reaches a backend. Each message says
 * what was expected and what arrived, and each error carries a stable extensions.code.
 */
import type { TraceQuery, TimeWindow } from '../backends/backend.js';
import type { LimitsConfig } from '../config/index.js';
import { BadUserInputError, InvalidTraceIdError } from '../errors.js';
import { InvalidIdError, isoToMicros, nowMicros, parseDurationToMicros, parseTraceId, US_PER_SECOND, type TraceId } from '../model/index.js';
import type { EventQueryInput, TimeWindowInput, TraceQueryInput } from '../schema/generated.js';
import type { EventQuery } from '../federation/index.js';

export function traceIdArg(raw: string): TraceId {
  try {
    return parseTraceId(raw);
  } catch (error) {
    if (error instanceof InvalidIdError) throw new InvalidTraceIdError(error.message, error.received);
    throw error;
  }
}

function timeArg(text: string, name: string): number {
  const us = isoToMicros(text);
  if (us === undefined) throw new BadUserInputError(`${name} must be an RFC 3339 timestamp like 2026-11-22T10:00:00Z, got '${text}'`, name);
  return us;
}

/**
 * A window from explicit bounds or a lookback. A lookback window's end is rounded down to
 * `bucketUs`, so dashboards refreshing "last 15m" every few seconds ask the same question.
 */
export function windowArg(
  input: TimeWindowInput | null | undefined,
  defaultLookbackUs: number,
  limits: LimitsConfig,
  bucketUs = 0,
  name = 'window',
): TimeWindow {
  const now = nowMicros();
  if (input?.lookback != null && (input.start != null || input.end != null)) {
    throw new BadUserInputError(`${name}: give either lookback or start/end, not both`, name);
  }
  let startUs: number;
  let endUs: number;
  if (input?.lookback != null) {
    const lookbackUs = parseDurationToMicros(input.lookback);
    if (lookbackUs === undefined || lookbackUs <= 0) {
      throw new BadUserInputError(`${name}.lookback must be a duration like 15m, 2h or 7d, got '${input.lookback}'`, `${name}.lookback`);
    }
    endUs = bucketUs > 0 ? Math.floor(now / bucketUs) * bucketUs + bucketUs : now;
    startUs = endUs - lookbackUs;
  } else {
    endUs = input?.end != null ? timeArg(input.end, `${name}.end`) : now;
    startUs = input?.start != null ? timeArg(input.start, `${name}.start`) : endUs - defaultLookbackUs;
  }
  if (startUs >= endUs) {
    throw new BadUserInputError(
      `${name}.start must be before ${name}.end, got start ${input?.start ?? startUs} and end ${input?.end ?? endUs}`,
      name,
    );
  }
  const maxUs = limits.maxWindowHours * 3600 * US_PER_SECOND;
  if (endUs - startUs > maxUs) {
    throw new BadUserInputError(
      `${name} may span at most ${limits.maxWindowHours} hours, got ${((endUs - startUs) / 3600 / US_PER_SECOND).toFixed(1)} hours`,
      name,
    );
  }
  return { startUs, endUs };
}

function durationArg(value: number | null | undefined, name: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value) || value < 0) throw new BadUserInputError(`${name} must be a non-negative number of microseconds, got ${value}`, name);
  return Math.round(value);
}

function nonEmpty(value: string | null | undefined, name: string): string | null {
  if (value === null || value === undefined) return null;
  if (value.trim() === '') throw new BadUserInputError(`${name} must not be empty; omit it to match any`, name);
  if (value.length > 512) throw new BadUserInputError(`${name} must be at most 512 characters, got ${value.length}`, name);
  return value;
}

export const DEFAULT_SEARCH_LOOKBACK_US = 3600 * US_PER_SECOND;

export function traceQueryArg(input: TraceQueryInput, limits: LimitsConfig, bucketUs = 0): TraceQuery {
  const limit = input.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.maxSearchLimit) {
    throw new BadUserInputError(`query.limit must be between 1 and ${limits.maxSearchLimit}, got ${limit}`, 'query.limit');
  }
  const minDurationUs = durationArg(input.minDurationUs, 'query.minDurationUs');
  const maxDurationUs = durationArg(input.maxDurationUs, 'query.maxDurationUs');
  if (minDurationUs !== null && maxDurationUs !== null && minDurationUs > maxDurationUs) {
    throw new BadUserInputError(
      `query.minDurationUs (${minDurationUs}) must not exceed query.maxDurationUs (${maxDurationUs})`,
      'query.minDurationUs',
    );
  }
  const attributes = (input.attributes ?? []).map((filter, i) => {
    const key = nonEmpty(filter.key, `query.attributes[${i}].key`)!;
    if (filter.value.length > 1024)
      throw new BadUserInputError(`query.attributes[${i}].value must be at most 1024 characters`, `query.attributes[${i}].value`);
    return { key, value: filter.value };
  });
  if (attributes.length > 20)
    throw new BadUserInputError(`query.attributes may hold at most 20 filters, got ${attributes.length}`, 'query.attributes');
  return {
    service: nonEmpty(input.service, 'query.service'),
    operation: nonEmpty(input.operation, 'query.operation'),
    attributes,
    minDurationUs,
    maxDurationUs,
    window: windowArg(input.window, DEFAULT_SEARCH_LOOKBACK_US, limits, bucketUs, 'query.window'),
    limit,
  };
}

/** The same bounds as searchTraces' query: names, attribute filters, window and limit. */
export function eventQueryArg(input: EventQueryInput, limits: LimitsConfig, bucketUs = 0): EventQuery {
  const traces = traceQueryArg(
    { service: input.service ?? null, attributes: input.attributes ?? null, window: input.window ?? null, limit: input.limit ?? 100 },
    limits,
    bucketUs,
  );
  return {
    name: nonEmpty(input.name, 'query.name')!,
    service: traces.service,
    backend: nonEmpty(input.backend, 'query.backend'),
    attributes: traces.attributes,
    window: traces.window,
    limit: traces.limit,
  };
}

export function pageArgs(
  first: number | null | undefined,
  after: string | null | undefined,
  limits: LimitsConfig,
): { first: number; offset: number } {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > limits.maxPageSize) {
    throw new BadUserInputError(`first must be between 0 and ${limits.maxPageSize}, got ${size}`, 'first');
  }
  if (after === null || after === undefined) return { first: size, offset: 0 };
  const decoded = Buffer.from(after, 'base64url').toString('utf8');
  const match = /^offset:(\d{1,7})$/.exec(decoded);
  if (!match) throw new BadUserInputError(`after must be a cursor returned by a previous page, got '${after.slice(0, 40)}'`, 'after');
  return { first: size, offset: Number(match[1]) + 1 };
}

export function cursorFor(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

export function traceIdListArg(ids: readonly string[], limits: LimitsConfig): TraceId[] {
  if (ids.length > limits.maxTraceIds) {
    throw new BadUserInputError(`ids may hold at most ${limits.maxTraceIds} trace ids, got ${ids.length}`, 'ids');
  }
  const parsed = ids.map(traceIdArg);
  // A repeated id adds nothing but another copy of the same trace to the response: 100 copies of a
  // 1,000-span trace were 45 MB from a 4 KB request. Spellings that name one trace count as repeats.
  const firstIndex = new Map<TraceId, number>();
  for (const [index, id] of parsed.entries()) {
    const earlier = firstIndex.get(id);
    if (earlier !== undefined)
      throw new BadUserInputError(`ids must be distinct: ids[${index}] names the same trace as ids[${earlier}] (${id})`, 'ids');
    firstIndex.set(id, index);
  }
  return parsed;
}
