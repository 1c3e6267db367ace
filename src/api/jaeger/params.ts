/**
 * Jaeger v1 query parameters → canonical arguments, in Jaeger's forms (docs/formats/jaeger.md §1.3–1.5):
 * Go duration text for `minDuration`/`maxDuration`, integer µs for `start`/`end`, integer ms
 * for `endTs`/`lookback` of dependencies, `tags` as a JSON object of strings. A bad parameter throws
 * BadUserInputError with Jaeger's wording (`unable to parse param '…': …`), answered 400. Every limit
 * of the GraphQL API applies (window, result size, ids per request).
 */
import type { TimeWindow, TraceQuery } from '../../backends/backend.js';
import type { LimitsConfig } from '../../config/index.js';
import { BadUserInputError } from '../../errors.js';
import { SPAN_KIND_TAG_VALUES } from '../../formats/otel/index.js';
import { nowMicros, US_PER_MS, US_PER_SECOND, type SpanKind } from '../../model/index.js';
import { GoParseError, goParseDuration } from '../shared/go-parse.js';

/** Fastify's parsed query string: repeated keys arrive as arrays. */
export type QueryParams = Record<string, string | string[] | undefined>;

const HOUR_US = 3600 * US_PER_SECOND;
/** Jaeger's defaults: search the last 48 h (at most the window limit), dependencies the last 24 h. */
const SEARCH_LOOKBACK_US = 48 * HOUR_US;
const DEPENDENCY_LOOKBACK_US = 24 * HOUR_US;
const DEFAULT_LIMIT = 100;

function parseError(name: string, detail: string): BadUserInputError {
  return new BadUserInputError(`unable to parse param '${name}': ${detail}`, name);
}

/** The last value of a parameter, or undefined when absent or empty (Go's `Query().Get`). */
export function param(query: QueryParams, name: string): string | undefined {
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return value === undefined || value === '' ? undefined : value;
}

/** Every value of a repeatable parameter. */
export function params(query: QueryParams, name: string): string[] {
  const raw = query[name];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== '');
}

/** An integer parameter; Jaeger names the parameter in the message for times but not for `limit`. */
function integer(query: QueryParams, name: string, named = true): number | undefined {
  const text = param(query, name);
  if (text === undefined) return undefined;
  if (!/^-?\d{1,16}$/.test(text)) {
    const detail = `strconv.ParseInt: parsing "${text}": invalid syntax`;
    throw named ? parseError(name, detail) : new BadUserInputError(detail, name);
  }
  return Number(text);
}

/**
 * Go duration text (`1.2s`, `100ms`, `1h30m`, `0`) as Jaeger parses it (time.ParseDuration, through
 * src/api/shared/go-parse.ts, shared with api_v3), with Go's messages (`time: missing unit in
 * duration "100"`). Jaeger compares in ns; canonical durations are whole µs, so a minimum rounds up and
 * a maximum down, which keeps the same spans.
 */
function duration(query: QueryParams, name: 'minDuration' | 'maxDuration'): number | undefined {
  const text = param(query, name);
  if (text === undefined) return undefined;
  let ns: bigint;
  try {
    ns = goParseDuration(text);
  } catch (error) {
    if (error instanceof GoParseError) throw parseError(name, error.message);
    throw error;
  }
  const us = Number(ns) / 1_000;
  return name === 'minDuration' ? Math.ceil(us) : Math.floor(us);
}

export function isTrue(query: QueryParams, name: string): boolean {
  const text = param(query, name);
  if (text === undefined) return false;
  if (/^(1|t|true)$/i.test(text)) return true;
  if (/^(0|f|false)$/i.test(text)) return false;
  throw parseError(name, `strconv.ParseBool: parsing "${text}": invalid syntax`);
}

/**
 * `spanKind`: Jaeger matches the stored kind text exactly (`server`, `client`, `producer`, `consumer`,
 * `internal`); absent or empty = any. Any other text (`SERVER`, `sideways`) matches no operation: Jaeger
 * answers `[]`, so this returns `'none'` rather than refusing it.
 */
export function spanKindParam(query: QueryParams): SpanKind | null | 'none' {
  const text = param(query, 'spanKind');
  if (text === undefined) return null;
  return Object.hasOwn(SPAN_KIND_TAG_VALUES, text) ? SPAN_KIND_TAG_VALUES[text]! : 'none';
}

function checkWindow(window: TimeWindow, limits: LimitsConfig, name: string): TimeWindow {
  if (window.startUs >= window.endUs) throw new BadUserInputError(`'${name}' window is empty: start must be before end`, name);
  if (window.endUs - window.startUs > limits.maxWindowHours * HOUR_US) {
    throw new BadUserInputError(`'${name}' window may span at most ${limits.maxWindowHours} hours`, name);
  }
  return window;
}

/**
 * `GET /api/traces?service=…` → a canonical search, or null when the window is empty (`start` at or
 * after `end`): Jaeger then finds nothing and answers `[]`, so the caller does too without asking a
 * backend. `service` is required. `lookback` is not read: Jaeger's server ignores it (Jaeger UI sends it
 * beside the `start` and `end` it computed from it), so `start` defaults to `end` − 48 h.
 */
export function searchParams(query: QueryParams, limits: LimitsConfig): TraceQuery | null {
  const service = param(query, 'service');
  if (service === undefined) throw new BadUserInputError("parameter 'service' is required", 'service');
  const limit = integer(query, 'limit', false) ?? DEFAULT_LIMIT;
  if (limit < 1 || limit > limits.maxSearchLimit)
    throw new BadUserInputError(`'limit' must be between 1 and ${limits.maxSearchLimit}, got ${limit}`, 'limit');
  const minDurationUs = duration(query, 'minDuration') ?? null;
  const maxDurationUs = duration(query, 'maxDuration') ?? null;
  if (minDurationUs !== null && maxDurationUs !== null && maxDurationUs < minDurationUs) {
    throw new BadUserInputError("'maxDuration' should be greater than 'minDuration'", 'maxDuration');
  }
  const attributes = tagsParam(query);
  const endUs = integer(query, 'end') ?? nowMicros();
  const startUs = integer(query, 'start') ?? endUs - Math.min(SEARCH_LOOKBACK_US, limits.maxWindowHours * HOUR_US);
  if (startUs >= endUs) return null;
  return {
    service,
    operation: param(query, 'operation') ?? null,
    attributes,
    minDurationUs,
    maxDurationUs,
    window: checkWindow({ startUs, endUs }, limits, 'start'),
    limit,
  };
}

/** What Go's encoding/json calls a JSON value's type in "cannot unmarshal <type> into Go value …". */
function goJsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value === 'boolean' ? 'bool' : typeof value;
}

/**
 * `tags`: JSON objects of string values (repeatable), with Jaeger's messages: `malformed 'tags'
 * parameter, cannot unmarshal JSON: ` then Go's encoding/json error. The type errors are Go's exact
 * text; a syntax error carries JSON.parse's description, since Go's scanner wording is not reproduced.
 * A `null` (the whole value or a tag's) is what Go's decoder leaves as no filter or the empty string.
 */
function tagsParam(query: QueryParams): TraceQuery['attributes'] {
  const attributes: TraceQuery['attributes'] = [];
  const malformed = (detail: string) => new BadUserInputError(`malformed 'tags' parameter, cannot unmarshal JSON: ${detail}`, 'tags');
  for (const text of params(query, 'tags')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw malformed((error as Error).message);
    }
    if (parsed === null) continue;
    if (typeof parsed !== 'object' || Array.isArray(parsed))
      throw malformed(`json: cannot unmarshal ${goJsonType(parsed)} into Go value of type map[string]string`);
    for (const [key, value] of Object.entries(parsed)) {
      if (value !== null && typeof value !== 'string') throw malformed(`json: cannot unmarshal ${goJsonType(value)} into Go value of type string`);
      attributes.push({ key, value: value ?? '' });
    }
  }
  if (attributes.length > 20) throw new BadUserInputError(`'tags' may hold at most 20 filters, got ${attributes.length}`, 'tags');
  return attributes;
}

/** `GET /api/dependencies?endTs=<ms>&lookback=<ms>`. */
export function dependencyWindow(query: QueryParams, limits: LimitsConfig): TimeWindow {
  const endMs = integer(query, 'endTs');
  const lookbackMs = integer(query, 'lookback');
  const endUs = endMs === undefined ? nowMicros() : endMs * US_PER_MS;
  const lookbackUs = lookbackMs === undefined ? Math.min(DEPENDENCY_LOOKBACK_US, limits.maxWindowHours * HOUR_US) : lookbackMs * US_PER_MS;
  return checkWindow({ startUs: endUs - lookbackUs, endUs }, limits, 'lookback');
}
