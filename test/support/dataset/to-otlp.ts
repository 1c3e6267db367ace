/**
 * Canonical spans → OTLP/JSON (`POST /v1/traces`), the way an OpenTelemetry SDK exports them: one
 * resourceSpans per service and resource, one scopeSpans per scope, ids as hex, times as decimal
 * nanosecond strings, enums as integers. Used to load the integration dataset into Jaeger.
 */
import type { Attribute, AttributeJson, Span, SpanKind, StatusCode } from '../../../src/model/index.js';
import type { OtlpAnyValue, OtlpKeyValue, OtlpResourceSpans, OtlpSpan, OtlpTracesData } from '../../../src/formats/otlp-json/wire.js';

const KIND: Record<SpanKind, number> = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const STATUS: Record<StatusCode, number> = { UNSET: 0, OK: 1, ERROR: 2 };

const nanos = (us: number): string => `${BigInt(us) * 1000n}`;

function anyValue(type: Attribute['type'], value: AttributeJson): OtlpAnyValue {
  switch (type) {
    case 'STRING':
      return { stringValue: String(value) };
    case 'BOOL':
      return { boolValue: Boolean(value) };
    case 'INT':
      return { intValue: String(value) };
    case 'DOUBLE':
      return { doubleValue: Number(value) };
    case 'BYTES':
      return { bytesValue: String(value) };
    default:
      throw new Error(`the dataset writer does not write ${type} attributes`);
  }
}

export const otlpAttributes = (list: readonly Attribute[]): OtlpKeyValue[] => list.map((a) => ({ key: a.key, value: anyValue(a.type, a.value) }));

function otlpSpan(span: Span): OtlpSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: KIND[span.kind] as NonNullable<OtlpSpan['kind']>,
    startTimeUnixNano: nanos(span.startTimeUs),
    endTimeUnixNano: nanos(span.startTimeUs + span.durationUs),
    attributes: otlpAttributes(span.attributes),
    events: span.events.map((e) => ({ name: e.name, timeUnixNano: nanos(e.timeUs), attributes: otlpAttributes(e.attributes) })),
    links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: otlpAttributes(l.attributes) })),
    status: {
      code: STATUS[span.status.code] as NonNullable<NonNullable<OtlpSpan['status']>['code']>,
      ...(span.status.message ? { message: span.status.message } : {}),
    },
  };
}

export function toOtlpJson(spans: readonly Span[]): OtlpTracesData {
  const groups = new Map<string, { rs: OtlpResourceSpans; scopes: Map<string, OtlpSpan[]> }>();
  for (const span of spans) {
    if (span.isSharedServer) throw new Error(`OTLP cannot carry a Zipkin shared span (${span.spanId}); send it to Zipkin only`);
    const resource = [{ key: 'service.name', type: 'STRING' as const, value: span.service }, ...span.resource];
    const key = JSON.stringify(resource);
    let group = groups.get(key);
    if (group === undefined) {
      group = { rs: { resource: { attributes: otlpAttributes(resource) }, scopeSpans: [] }, scopes: new Map() };
      groups.set(key, group);
    }
    const scopeKey = JSON.stringify(span.scope);
    let list = group.scopes.get(scopeKey);
    if (list === undefined) {
      list = [];
      group.scopes.set(scopeKey, list);
      group.rs.scopeSpans!.push({
        ...(span.scope ? { scope: { name: span.scope.name, ...(span.scope.version ? { version: span.scope.version } : {}) } } : {}),
        spans: list,
      });
    }
    list.push(otlpSpan(span));
  }
  return { resourceSpans: [...groups.values()].map((g) => g.rs) };
}
