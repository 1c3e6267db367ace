/**
 * Canonical TraceQuery → Jaeger query parameters, for the api_v3 HTTP gateway and the v1 JSON API.
 * Units: api_v3 takes RFC 3339 times and Go durations; v1 takes integer µs times, Go durations and
 * tags as a JSON object (jaeger.md §1.4, §2.1). Pure; no I/O.
 */
import type { TraceQuery } from '../backend.js';
import { microsToGoDuration, microsToIso, type SpanKind } from '../../model/index.js';
import type { QueryValue } from '../http/http-client.js';

function attributesJson(query: TraceQuery): string | undefined {
  if (query.attributes.length === 0) return undefined;
  return JSON.stringify(Object.fromEntries(query.attributes.map((a) => [a.key, a.value])));
}

export function toV3SearchParams(query: TraceQuery): Record<string, QueryValue> {
  return {
    'query.serviceName': query.service ?? undefined,
    'query.operationName': query.operation ?? undefined,
    'query.startTimeMin': microsToIso(query.window.startUs),
    'query.startTimeMax': microsToIso(query.window.endUs),
    'query.durationMin': query.minDurationUs !== null ? microsToGoDuration(query.minDurationUs) : undefined,
    'query.durationMax': query.maxDurationUs !== null ? microsToGoDuration(query.maxDurationUs) : undefined,
    'query.searchDepth': query.limit,
    'query.attributes': attributesJson(query),
    // Merging and skew correction are Tracegate's job; Jaeger's adjusters would rewrite span ids.
    'query.rawTraces': true,
  };
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

const KIND_TO_JAEGER: Record<SpanKind, string> = {
  UNSPECIFIED: '',
  INTERNAL: 'internal',
  SERVER: 'server',
  CLIENT: 'client',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};

export function toJaegerSpanKind(kind: SpanKind): string {
  return KIND_TO_JAEGER[kind];
}

export function fromJaegerSpanKind(kind: string | undefined): SpanKind {
  switch ((kind ?? '').toLowerCase()) {
    case 'internal':
      return 'INTERNAL';
    case 'server':
      return 'SERVER';
    case 'client':
      return 'CLIENT';
    case 'producer':
      return 'PRODUCER';
    case 'consumer':
      return 'CONSUMER';
    default:
      return 'UNSPECIFIED';
  }
}
