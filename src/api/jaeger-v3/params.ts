/**
 * Jaeger api_v3 query parameters → canonical arguments, as `http_gateway.go` of the harness's Jaeger
 * (v2.13, module v1.76) reads them (docs/formats/jaeger.md §2.1): the first value of each parameter
 * (Go's `Query().Get`), RFC 3339 times with nanoseconds, Go duration text, `query.num_traces` as the
 * search depth. Newer Jaeger releases read camelCase names (`query.serviceName`, `query.searchDepth`,
 * `spanKind`) and `query.attributes`; both spellings are read here, camelCase winning as it does there.
 *
 * A malformed parameter throws BadUserInputError with Jaeger's text, `malformed parameter <name>: <Go
 * error>`. Every limit of the GraphQL API applies (window, result size) with the same 400 shape.
 * A query Jaeger would run but that can match nothing (start after end, maximum duration below zero or
 * below the minimum) comes back as `null`: the route answers Jaeger's 404 without asking any backend.
 */
import type { AttributeFilter, TraceQuery } from '../../backends/backend.js';
import type { LimitsConfig } from '../../config/index.js';
import { BadUserInputError } from '../../errors.js';
import { SPAN_KIND_TAG_VALUES } from '../../formats/otel/index.js';
import type { SpanKind } from '../../model/index.js';
import { GoParseError, goAtoi, goParseBool, goParseDuration, goParseRfc3339Nano } from '../shared/go-parse.js';

/** Fastify's parsed query string: repeated keys arrive as arrays. */
export type QueryParams = Record<string, string | string[] | undefined>;

/** Search depth when `query.num_traces` is absent (Jaeger's memory store refuses the search instead; README, "Jaeger API"). */
const DEFAULT_SEARCH_DEPTH = 100;
const NS_PER_US = 1_000n;
const HOUR_NS = 3_600_000_000_000n;

/** The first non-empty value of the first name present, as Go's `Query().Get` reads it. */
function param(query: QueryParams, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const raw = query[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/** Runs a Go parser on a parameter; its error becomes Jaeger's `malformed parameter` 400. */
export function parsed<T>(name: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof GoParseError) throw new BadUserInputError(`malformed parameter ${name}: ${error.message}`, name);
    throw error;
  }
}

function boolParam(query: QueryParams, ...names: string[]): boolean {
  const p = param(query, ...names);
  return p === undefined ? false : parsed(p.name, p.value, goParseBool);
}

/** `GET /api/v3/traces/{trace_id}?start_time=&end_time=&raw_traces=`. */
export function traceParams(query: QueryParams): { raw: boolean } {
  // Checked as Jaeger checks them; its stores and Tracegate's backends look a trace up by id alone.
  for (const names of [
    ['startTime', 'start_time'],
    ['endTime', 'end_time'],
  ]) {
    const p = param(query, ...names);
    if (p !== undefined) parsed(p.name, p.value, goParseRfc3339Nano);
  }
  return { raw: boolParam(query, 'rawTraces', 'raw_traces') };
}

/** `GET /api/v3/operations?service=&span_kind=`: a kind Jaeger does not know matches no operation (null). */
export function operationParams(query: QueryParams): { service: string | null; kind: SpanKind | null | undefined } {
  const kindText = param(query, 'spanKind', 'span_kind')?.value;
  const kind = kindText === undefined ? null : SPAN_KIND_TAG_VALUES[kindText];
  return { service: param(query, 'service')?.value ?? null, kind };
}

export interface V3Search {
  /** null when the query can match nothing. */
  query: TraceQuery | null;
  raw: boolean;
}

/** `GET /api/v3/traces?query.*`. */
export function searchParams(query: QueryParams, limits: LimitsConfig): V3Search {
  const get = (snake: string) => param(query, camel(snake), snake);
  const min = get('query.start_time_min');
  const max = get('query.start_time_max');
  if (min === undefined || max === undefined) {
    throw new BadUserInputError('query.start_time_min and query.start_time_max are required', 'query.start_time_min');
  }
  const minNs = parsed(min.name, min.value, goParseRfc3339Nano);
  const maxNs = parsed(max.name, max.value, goParseRfc3339Nano);
  const depthParam = get('query.search_depth') ?? get('query.num_traces');
  const depth = depthParam === undefined ? Math.min(DEFAULT_SEARCH_DEPTH, limits.maxSearchLimit) : parsed(depthParam.name, depthParam.value, goAtoi);
  if (depth < 1 || depth > limits.maxSearchLimit) {
    throw new BadUserInputError(
      `${depthParam?.name ?? 'query.num_traces'} must be between 1 and ${limits.maxSearchLimit}, got ${depth}`,
      'query.num_traces',
    );
  }
  const durationNs = (snake: string): bigint => {
    const p = get(snake);
    return p === undefined ? 0n : parsed(p.name, p.value, goParseDuration);
  };
  // Jaeger treats a zero duration as "no bound", and compares nanoseconds with spans whose times are
  // whole microseconds: a minimum rounds up and a maximum down to the microsecond.
  const minDurationNs = durationNs('query.duration_min');
  const maxDurationNs = durationNs('query.duration_max');
  const raw = boolParam(query, camel('query.raw_traces'), 'query.raw_traces');
  const attributes = attributesParam(get('query.attributes'));
  if (maxNs - minNs > BigInt(limits.maxWindowHours) * HOUR_NS) {
    throw new BadUserInputError(`the search window may span at most ${limits.maxWindowHours} hours`, 'query.start_time_min');
  }
  const startUs = ceilDiv(minNs, NS_PER_US);
  const endUs = maxNs / NS_PER_US - (maxNs < 0n && maxNs % NS_PER_US !== 0n ? 1n : 0n);
  const minDurationUs = minDurationNs > 0n ? ceilDiv(minDurationNs, NS_PER_US) : null;
  const maxDurationUs = maxDurationNs !== 0n ? maxDurationNs / NS_PER_US : null;
  const empty =
    startUs > endUs ||
    (maxDurationUs !== null && maxDurationUs < 0n) ||
    (maxDurationUs !== null && minDurationUs !== null && maxDurationUs < minDurationUs);
  if (empty) return { query: null, raw };
  return {
    raw,
    query: {
      service: get('query.service_name')?.value ?? null,
      operation: get('query.operation_name')?.value ?? null,
      attributes,
      minDurationUs: minDurationUs === null ? null : Number(minDurationUs),
      maxDurationUs: maxDurationUs === null ? null : Number(maxDurationUs),
      window: { startUs: Number(startUs), endUs: Number(endUs) },
      limit: depth,
    },
  };
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/**
 * `query.attributes`: a JSON object of strings, as Jaeger reads it from v2.14 (the harness's v2.13
 * ignores the parameter; README, "Jaeger API"). The same filter the v1 API's `tags` is.
 */
function attributesParam(p: { name: string; value: string } | undefined): AttributeFilter[] {
  if (p === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(p.value);
  } catch {
    json = undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new BadUserInputError(`malformed parameter ${p.name}: not a JSON object of strings`, p.name);
  }
  const filters: AttributeFilter[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (typeof value !== 'string') throw new BadUserInputError(`malformed parameter ${p.name}: the value of '${key}' is not a string`, p.name);
    filters.push({ key, value });
  }
  if (filters.length > 20) throw new BadUserInputError(`${p.name} may hold at most 20 filters, got ${filters.length}`, p.name);
  return filters;
}
