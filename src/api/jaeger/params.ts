/**
 * Jaeger v1 query parameters → canonical arguments, in Jaeger's forms (docs/formats/jaeger.md §1.3–1.5):
 * Go duration text for `minDuration`/`maxDuration`/`lookback`, integer µs for `start`/`end`, integer ms
 * for `endTs`/`lookback` of dependencies, `tags` as a JSON object of strings. A bad parameter throws
 * BadUserInputError with Jaeger's wording (`unable to parse param '…': …`), answered 400. Every limit
 * of the GraphQL API applies (window, result size, ids per request).
 */
import type { TimeWindow, TraceQuery } from '../../backends/backend.js';
import type { LimitsConfig } from '../../config/index.js';
import { BadUserInputError } from '../../errors.js';
import { SPAN_KIND_TAG_VALUES } from '../../formats/otel/index.js';
import { nowMicros, parseDurationToMicros, US_PER_MS, US_PER_SECOND, type SpanKind } from '../../model/index.js';

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

function integer(query: QueryParams, name: string): number | undefined {
  const text = param(query, name);
  if (text === undefined) return undefined;
  if (!/^-?\d{1,16}$/.test(text)) throw parseError(name, `strconv.ParseInt: parsing "${text}": invalid syntax`);
  return Number(text);
}

/** Go duration text (`1.2s`, `100ms`, `500us`); a bare number is refused, as Jaeger does. */
function duration(query: QueryParams, name: string): number | undefined {
  const text = param(query, name);
  if (text === undefined) return undefined;
  const us = /^\d+(\.\d+)?$/.test(text.trim()) && text.trim() !== '0' ? undefined : parseDurationToMicros(text);
  if (us === undefined) throw parseError(name, `time: invalid duration "${text}"`);
  return us;
}

export function isTrue(query: QueryParams, name: string): boolean {
  const text = param(query, name);
  if (text === undefined) return false;
  if (/^(1|t|true)$/i.test(text)) return true;
  if (/^(0|f|false)$/i.test(text)) return false;
  throw parseError(name, `strconv.ParseBool: parsing "${text}": invalid syntax`);
}

/** `spanKind`: server, client, producer, consumer, internal; absent or empty = any. */
export function spanKindParam(query: QueryParams): SpanKind | null {
  const text = param(query, 'spanKind');
  if (text === undefined) return null;
  const kind = SPAN_KIND_TAG_VALUES[text.toLowerCase()];
  if (kind === undefined) throw parseError('spanKind', `unsupported span kind: '${text}'`);
  return kind;
}

function checkWindow(window: TimeWindow, limits: LimitsConfig, name: string): TimeWindow {
  if (window.startUs >= window.endUs) throw new BadUserInputError(`'${name}' window is empty: start must be before end`, name);
  if (window.endUs - window.startUs > limits.maxWindowHours * HOUR_US) {
    throw new BadUserInputError(`'${name}' window may span at most ${limits.maxWindowHours} hours`, name);
  }
  return window;
}

/** `GET /api/traces?service=…` → a canonical search. `service` is required. */
export function searchParams(query: QueryParams, limits: LimitsConfig): TraceQuery {
  const service = param(query, 'service');
  if (service === undefined) throw new BadUserInputError("parameter 'service' is required", 'service');
  const limit = integer(query, 'limit') ?? DEFAULT_LIMIT;
  if (limit < 1 || limit > limits.maxSearchLimit)
    throw new BadUserInputError(`'limit' must be between 1 and ${limits.maxSearchLimit}, got ${limit}`, 'limit');
  const minDurationUs = duration(query, 'minDuration') ?? null;
  const maxDurationUs = duration(query, 'maxDuration') ?? null;
  if (minDurationUs !== null && maxDurationUs !== null && maxDurationUs < minDurationUs) {
    throw new BadUserInputError("'maxDuration' should be greater than 'minDuration'", 'maxDuration');
  }
  const endUs = integer(query, 'end') ?? nowMicros();
  // Jaeger UI and Grafana send start and end with `lookback=custom` (or `1h`): Jaeger reads only start
  // and end, so lookback counts only when start is absent.
  const startUs = integer(query, 'start') ?? endUs - (duration(query, 'lookback') ?? Math.min(SEARCH_LOOKBACK_US, limits.maxWindowHours * HOUR_US));
  return {
    service,
    operation: param(query, 'operation') ?? null,
    attributes: tagsParam(query),
    minDurationUs,
    maxDurationUs,
    window: checkWindow({ startUs, endUs }, limits, 'start'),
    limit,
  };
}

function tagsParam(query: QueryParams): TraceQuery['attributes'] {
  const attributes: TraceQuery['attributes'] = [];
  for (const text of params(query, 'tags')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw parseError('tags', 'malformed tags parameter: not a JSON object');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw parseError('tags', 'malformed tags parameter: not a JSON object');
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value !== 'string') throw parseError('tags', `malformed tags parameter: the value of '${key}' is not a string`);
      attributes.push({ key, value });
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
