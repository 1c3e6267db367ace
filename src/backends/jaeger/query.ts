/**
 * Canonical TraceQuery → Jaeger query parameters, for the api_v3 HTTP gateway and the v1 JSON API.
 * Units: api_v3 takes RFC 3339 times and Go durations; v1 takes integer µs times, Go durations and
 * tags as a JSON object (docs/formats/jaeger.md §1.4, §2.1). Pure; no I/O.
 */
import type { TraceQuery } from '../backend.js';
import { SPAN_KIND_TAG_BY_KIND, spanKindFromTag } from '../../formats/otel/index.js';
import { microsToGoDuration, microsToIso, type SpanKind } from '../../model/index.js';
import type { QueryValue } from '../http/http-client.js';

function attributesJson(query: TraceQuery): string | undefined {
  if (query.attributes.length === 0) return undefined;
  return JSON.stringify(Object.fromEntries(query.attributes.map((a) => [a.key, a.value])));
}

/**
 * api_v3 search parameters. Jaeger up to v2.19 reads only the snake_case names (and `num_traces`);
 * later releases read camelCase and still accept snake_case. Both are sent, so either answers; a
 * newer server lets the canonical name win when both are present.
 */
export function toV3SearchParams(query: TraceQuery): Record<string, QueryValue> {
  const canonical: Record<string, QueryValue> = {
    serviceName: query.service ?? undefined,
    operationName: query.operation ?? undefined,
    startTimeMin: microsToIso(query.window.startUs),
    startTimeMax: microsToIso(query.window.endUs),
    durationMin: query.minDurationUs !== null ? microsToGoDuration(query.minDurationUs) : undefined,
    durationMax: query.maxDurationUs !== null ? microsToGoDuration(query.maxDurationUs) : undefined,
    searchDepth: query.limit,
    // Merging and skew correction are Tracegate's job; Jaeger's adjusters would rewrite span ids.
    rawTraces: true,
  };
  const out: Record<string, QueryValue> = {};
  for (const [name, value] of Object.entries(canonical)) {
    out[`query.${name}`] = value;
    out[`query.${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`] = value;
  }
  out['query.num_traces'] = query.limit;
  // Only newer servers (v2.14+) filter by attributes over HTTP; the backend sends attribute queries to
  // the v1 API when the server has it (index.ts), so this is for v3-only servers.
  out['query.attributes'] = attributesJson(query);
  return out;
}

export function toV1SearchParams(query: TraceQuery): Record<string, QueryValue> {
  return {
    service: query.service ?? undefined,
    operation: query.operation ?? undefined,
    start: Math.floor(query.window.startUs),
    end: Math.ceil(query.window.endUs),
    minDuration: query.minDurationUs !== null ? microsToGoDuration(query.minDurationUs) : undefined,
    maxDuration: query.maxDurationUs !== null ? microsToGoDuration(query.maxDurationUs) : undefined,
    limit: query.limit,
    tags: attributesJson(query),
    raw: true,
  };
}

/** Deepest search Tracegate asks of Jaeger (its memory store refuses more than `max_traces`). */
export const MAX_SEARCH_DEPTH = 1_000;

/**
 * The query sent to Jaeger: a superset of the asked one, which index.ts narrows with the exact rule.
 * - `error=true|false` is dropped: Jaeger v2's stores compare it with the status as a boolean, which
 *   a v1 `tags` string never is, and `false` means status OK there, not "not ERROR" as here.
 * - The depth is raised: Jaeger fills it with the traces it received most recently (memory store)
 *   rather than the newest by start time, so asking for more makes the newest `limit` of them exact
 *   whenever fewer than the depth match.
 */
export function jaegerSearchQuery(query: TraceQuery): TraceQuery {
  const { eventName, ...rest } = query;
  return {
    ...rest,
    attributes: query.attributes.filter((a) => !(a.key === 'error' && (a.value === 'true' || a.value === 'false'))),
    // No event filter reaches Jaeger (see isBoundedEventSearch): every trace the rest of the query
    // matches, up to the deepest search, so that none carrying the event is left out.
    limit: eventName !== undefined ? MAX_SEARCH_DEPTH : Math.min(MAX_SEARCH_DEPTH, Math.max(query.limit, 100)),
  };
}

/**
 * Jaeger's query APIs cannot match an event name in every storage: the `tags` filter matches log
 * fields in the Elasticsearch store (a nested query on `logs.fields`, so `event=<name>` finds the
 * event: internal/storage/v1/elasticsearch/spanstore/reader.go, nestedTagFieldList), but Jaeger v2's
 * memory store matches span, scope, resource and event ATTRIBUTES, never an event's name
 * (internal/storage/v2/memory/tenant.go, findKeyValInTrace; checked on v2.13.0:
 * `tags={"event":"exception"}` finds nothing in memory and the trace in Elasticsearch), and the
 * server does not say which store it has. Sending it would drop traces, so the event filter stays here: Jaeger is asked for
 * every trace the rest of the query matches and index.ts applies the exact rule. That is exact only
 * while the answer is complete, i.e. while Jaeger returned fewer traces than the depth asked for.
 */
export function isBoundedEventSearch(sent: TraceQuery, tracesReturned: number): boolean {
  return tracesReturned < sent.limit;
}

/** Jaeger's operations APIs name kinds as the `span.kind` tag does ('' for any kind). */
export function toJaegerSpanKind(kind: SpanKind): string {
  return SPAN_KIND_TAG_BY_KIND[kind];
}

export function fromJaegerSpanKind(kind: string | undefined): SpanKind {
  return spanKindFromTag(kind) ?? 'UNSPECIFIED';
}
