/**
 * Which indices to read, for each schema and query. Pure: from the layout in config and a time window
 * to index names and patterns; the searches themselves still carry their own time range, so an index
 * named here that holds other days only costs shards, never wrong answers.
 *
 * - Jaeger (docs/formats/elasticsearch.md §1.2): `<prefix>jaeger-span-<yyyy-MM-dd>` (or `…-HH` with hourly rollover), where
 *   a non-empty prefix gets a `-` unless it ends in one; the day is the UTC day of the span's start.
 *   With read aliases (`use_aliases`, rollover) every read goes to `<prefix>jaeger-span-read`,
 *   `…-service-read` and `…-dependencies-read`.
 * - Zipkin (docs/formats/elasticsearch.md §2.2): `<prefix>*span-<yyyy-MM-dd>` with `*` in place of the delimiter (`-`, or `:`
 *   before ES 7), the date separator configurable (empty gives yyyyMMdd); the day is the UTC day of
 *   the span's timestamp.
 *
 * Lookups by trace id read every day (`…span-*`), as Zipkin does: a trace's spans may sit in the
 * indices of several days, and a trace id says nothing about when it ran. With `maxSpanAgeHours` set
 * they read only the recent days, as Jaeger does with its `max_span_age` (recentWindow).
 */
import type { TimeWindow } from '../backend.js';

export type EsSchema = 'jaeger' | 'zipkin';

export interface IndexLayout {
  schema: EsSchema;
  /** As configured: Jaeger's `index_prefix` ('' by default), Zipkin's `ES_INDEX` ('zipkin'). */
  indexPrefix: string;
  /** Between year, month, day (and hour): '-' by default. */
  dateSeparator: string;
  /** Jaeger's `rollover_frequency`; Zipkin rotates daily. */
  rollover: 'day' | 'hour';
  /** Jaeger only: read through the `-read` aliases instead of dated indices. */
  useReadAliases: boolean;
  /** Replaces every span index name or pattern (comma-separated list allowed). */
  spanIndexPattern?: string | undefined;
}

/** Dated names beyond this many are folded into per-day, then per-month wildcards. */
const MAX_DATED_NAMES = 40;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function jaegerPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('-') ? prefix : `${prefix}-`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Date suffixes covering [startMs, endMs] in UTC, folded into wildcards when there are too many.
 * Hourly names fold into days (`2026-04-08-*`), days into months (`2026-04*`), months into everything.
 */
export function datedSuffixes(startMs: number, endMs: number, separator: string, rollover: 'day' | 'hour'): string[] | '*' {
  const day = (d: Date): string => `${d.getUTCFullYear()}${separator}${two(d.getUTCMonth() + 1)}${separator}${two(d.getUTCDate())}`;
  const month = (d: Date): string => `${d.getUTCFullYear()}${separator}${two(d.getUTCMonth() + 1)}`;
  if (!(endMs >= startMs)) return [];
  const unitMs = rollover === 'hour' ? HOUR_MS : DAY_MS;
  const first = Math.floor(startMs / unitMs) * unitMs;
  const count = Math.floor((endMs - first) / unitMs) + 1;
  if (count <= MAX_DATED_NAMES) {
    const names: string[] = [];
    for (let t = first; t <= endMs; t += unitMs) {
      const d = new Date(t);
      names.push(rollover === 'hour' ? `${day(d)}${separator}${two(d.getUTCHours())}` : day(d));
    }
    return names;
  }
  const firstDay = Math.floor(startMs / DAY_MS) * DAY_MS;
  const days = Math.floor((endMs - firstDay) / DAY_MS) + 1;
  if (rollover === 'hour' && days <= MAX_DATED_NAMES) {
    const names: string[] = [];
    for (let t = firstDay; t <= endMs; t += DAY_MS) names.push(`${day(new Date(t))}${separator}*`);
    return names;
  }
  const months = new Set<string>();
  for (let t = firstDay; t <= endMs; t += DAY_MS) months.add(month(new Date(t)));
  if (months.size > MAX_DATED_NAMES) return '*';
  // `2026-04*` rather than `2026-04-*`, so an empty separator (`202604*`) works the same way.
  return [...months].map((m) => `${m}*`);
}

function dated(base: string, window: TimeWindow, layout: IndexLayout): string[] {
  const suffixes = datedSuffixes(Math.floor(window.startUs / 1000), Math.floor(window.endUs / 1000), layout.dateSeparator, layout.rollover);
  return suffixes === '*' ? [`${base}*`] : suffixes.map((s) => `${base}${s}`);
}

function spanBase(layout: IndexLayout): string {
  return layout.schema === 'jaeger' ? `${jaegerPrefix(layout.indexPrefix)}jaeger-span-` : `${layout.indexPrefix}*span-`;
}

function override(layout: IndexLayout): string[] | undefined {
  if (layout.spanIndexPattern === undefined) return undefined;
  return layout.spanIndexPattern
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Span indices holding spans that start inside `window`; every span index when no window. */
export function spanIndices(layout: IndexLayout, window?: TimeWindow): string[] {
  const explicit = override(layout);
  if (explicit) return explicit;
  if (layout.schema === 'jaeger' && layout.useReadAliases) return [`${jaegerPrefix(layout.indexPrefix)}jaeger-span-read`];
  return window === undefined ? [`${spanBase(layout)}*`] : dated(spanBase(layout), window, layout);
}

/**
 * Jaeger's service/operation documents, of the days `window` touches when given. Jaeger rolls its
 * service indices over on their own schedule (`indices.services.rollover_frequency`), so each day is
 * a `<day>*` pattern, which covers daily and hourly names alike.
 */
export function serviceIndices(layout: IndexLayout, window?: TimeWindow): string[] {
  const base = `${jaegerPrefix(layout.indexPrefix)}jaeger-service-`;
  if (layout.useReadAliases) return [`${base}read`];
  if (window === undefined) return [`${base}*`];
  return dated(base, window, { ...layout, rollover: 'day' }).map((name) => (name.endsWith('*') ? name : `${name}*`));
}

/**
 * The window Jaeger's `max_span_age` stands for: from `maxAgeHours` ago to a day ahead (a writer whose
 * clock runs ahead of ours files its spans under tomorrow). Undefined when no age is configured:
 * then every index is read.
 */
export function recentWindow(maxAgeHours: number | undefined, nowMs: number): TimeWindow | undefined {
  if (maxAgeHours === undefined) return undefined;
  return { startUs: Math.floor((nowMs - maxAgeHours * HOUR_MS) * 1000), endUs: (nowMs + DAY_MS) * 1000 };
}

/**
 * Dependency documents for `window`. Jaeger's carry a timestamp, so its pattern covers every day and
 * the query ranges on it; Zipkin's carry none, so the day is read from the index name.
 */
export function dependencyIndices(layout: IndexLayout, window: TimeWindow): string[] {
  if (layout.schema === 'jaeger') {
    const prefix = jaegerPrefix(layout.indexPrefix);
    return [layout.useReadAliases ? `${prefix}jaeger-dependencies-read` : `${prefix}jaeger-dependencies-*`];
  }
  return dated(`${layout.indexPrefix}*dependency-`, window, { ...layout, rollover: 'day' });
}
