/**
 * Canonical TraceQuery → Zipkin API v2 `/api/v2/traces` parameters (docs/formats/zipkin.md §1.3). Zipkin mixes
 * units: endTs and lookback are epoch milliseconds, min/maxDuration microseconds. Attribute filters
 * become an annotationQuery of `key=value` terms joined by " and ". Names are lower-cased because
 * Zipkin lower-cases service and span names on ingest. An event name becomes a bare annotationQuery
 * term, which Zipkin matches against annotation values (case-sensitive, as stored) or tag keys, on a
 * span of the asked service (zipkin2.storage.QueryRequest, "annotationQuery"; checked on Zipkin 3.6.1
 * in memory and on Elasticsearch, where it is a term on `_q`): a superset that index.ts narrows with
 * the exact rule. Pure; no I/O.
 */
import type { TraceQuery } from '../backend.js';
import type { QueryValue } from '../http/http-client.js';

/**
 * Why a query cannot be expressed exactly in Zipkin's API, or null. annotationQuery splits terms on
 * " and " and key from value on the first "=", so such text in a key (or " and " in a value) would
 * silently change the query; maxDuration needs minDuration.
 */
export function zipkinUnsupportedReason(query: TraceQuery): string | null {
  for (const { key, value } of query.attributes) {
    if (key === 'error' && value !== 'true') return 'zipkin can only search for error spans (error=true), not for their absence';
    if (key.includes('=') || key.includes(' and ') || value.includes(' and ')) {
      return `zipkin annotationQuery cannot express the attribute filter '${key}=${value}' exactly`;
    }
    if (key.trim() !== key || value.trim() !== value) return 'zipkin trims annotationQuery keys and values';
  }
  const name = query.eventName;
  if (name !== undefined && (name.includes('=') || name.includes(' and ') || name.trim() !== name)) {
    return `zipkin annotationQuery cannot express the event name '${name.slice(0, 80)}' exactly (it splits on ' and ' and '=', and trims)`;
  }
  return null;
}

/**
 * `error=true` means "status ERROR" in Tracegate; Zipkin marks errors with an `error` tag whose value
 * is the message, so it becomes the bare term `error` (a tag with that key, any value).
 */
function annotationTerm({ key, value }: { key: string; value: string }): string {
  return key === 'error' && value === 'true' ? 'error' : `${key}=${value}`;
}

export function toZipkinSearchParams(query: TraceQuery): Record<string, QueryValue> {
  // Zipkin's window is in whole milliseconds and it keeps a trace whose timestamp is at its edge only
  // sometimes; one millisecond more on each side, and index.ts applies the exact window afterwards.
  const endMs = Math.ceil(query.window.endUs / 1000) + 1;
  const startMs = Math.floor(query.window.startUs / 1000) - 1;
  // maxDuration is only valid with minDuration (docs/formats/zipkin.md §1.3); minDuration must be > 0.
  const minDuration = query.minDurationUs ?? (query.maxDurationUs !== null ? 1 : null);
  const terms = [...query.attributes.map(annotationTerm), ...(query.eventName !== undefined ? [query.eventName] : [])];
  return {
    serviceName: query.service?.toLowerCase() ?? undefined,
    spanName: query.operation?.toLowerCase() ?? undefined,
    annotationQuery: terms.length > 0 ? terms.join(' and ') : undefined,
    minDuration: minDuration !== null ? Math.max(1, Math.round(minDuration)) : undefined,
    maxDuration: query.maxDurationUs !== null ? Math.round(query.maxDurationUs) : undefined,
    endTs: endMs,
    lookback: Math.max(1, endMs - startMs),
    limit: query.limit,
  };
}
