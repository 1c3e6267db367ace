/**
 * Tracegate's search semantics, as one predicate every backend agrees to: a trace matches when ONE of
 * its spans has the service, the operation, every attribute filter, a duration in range, a start
 * inside the window and, when one is asked, an event of that exact name (Jaeger's rule, and what
 * Zipkin's and Jaeger's Elasticsearch schemas do per document). Attribute values compare as text against span and resource attributes; the key `error`
 * means the span's status (`true` = ERROR). Backends whose servers match more loosely (Zipkin's
 * in-memory store lets each term match a different span) filter their answers through this.
 */
import { attributeText, compareNewestFirst, groupSpansByTrace, summarizeTrace, type Span, type TraceSummary } from '../../model/index.js';
import type { AttributeFilter, TraceQuery } from '../backend.js';

function attributeMatches(span: Span, filter: AttributeFilter): boolean {
  if (filter.key === 'error') {
    const isError = span.status.code === 'ERROR';
    if (filter.value === 'true') return isError;
    if (filter.value === 'false') return !isError;
  }
  for (const list of [span.attributes, span.resource]) {
    for (const attribute of list) if (attribute.key === filter.key && attributeText(attribute) === filter.value) return true;
  }
  return false;
}

export interface MatchOptions {
  /** Compare service and operation names case-insensitively (Zipkin lower-cases them on ingest). */
  ignoreNameCase?: boolean;
}

export function spanMatchesQuery(span: Span, query: TraceQuery, options: MatchOptions = {}): boolean {
  const same = options.ignoreNameCase ? (a: string, b: string) => a.toLowerCase() === b.toLowerCase() : (a: string, b: string) => a === b;
  if (query.service !== null && !same(span.service, query.service)) return false;
  if (query.operation !== null && !same(span.name, query.operation)) return false;
  if (span.startTimeUs < query.window.startUs || span.startTimeUs > query.window.endUs) return false;
  if (query.minDurationUs !== null && span.durationUs < query.minDurationUs) return false;
  if (query.maxDurationUs !== null && span.durationUs > query.maxDurationUs) return false;
  for (const filter of query.attributes) if (!attributeMatches(span, filter)) return false;
  if (query.eventName !== undefined && !span.events.some((event) => event.name === query.eventName)) return false;
  return true;
}

export function traceMatchesQuery(spans: readonly Span[], query: TraceQuery, options: MatchOptions = {}): boolean {
  return spans.some((span) => spanMatchesQuery(span, query, options));
}

/**
 * The answer to `query` from the whole traces a server answered it with, when the server matched more
 * loosely (a superset): the traces that match exactly, summarised, newest first, at most `query.limit`.
 */
export function summariseMatchingTraces(spans: readonly Span[], query: TraceQuery, options: MatchOptions = {}): TraceSummary[] {
  return [...groupSpansByTrace(spans)]
    .filter(([, traceSpans]) => traceMatchesQuery(traceSpans, query, options))
    .map(([traceId, traceSpans]) => summarizeTrace({ traceId, spans: traceSpans, warnings: [] }))
    .sort(compareNewestFirst)
    .slice(0, query.limit);
}
