/**
 * Canonical traces → OTLP/JSON `TracesData`, as Jaeger's api_v3 writes it (docs/formats/jaeger.md §2.2):
 * the inverse of to-model.ts, used by the api_v3 routes Tracegate serves (src/api/jaeger-v3/) so a
 * merged trace can be exported as OTLP. Owns the mapping only; which traces to write is the caller's.
 *
 * Follows opentelemetry-proto `docs/specification.md` § "JSON Protobuf Encoding" the way pdata's
 * marshaller (behind Jaeger's api_v3) applies it: ids as lowercase hex (32 digits for a 64-bit trace
 * too), times as decimal nanosecond strings, `kind` and `status.code` as integers, `intValue` as a
 * decimal string, empty lists and zero values left out, and `status` always present (`{}` for UNSET).
 *
 * | canonical                       | OTLP/JSON                                                             |
 * |---------------------------------|-----------------------------------------------------------------------|
 * | service + resource              | one `resourceSpans` per distinct pair, `service.name` where key order puts it |
 * | scope                           | one `scopeSpans` per distinct scope in it (`scope: {}` for none)       |
 * | attribute `w3c.tracestate`      | `traceState` (span and link), as to-model.ts folds it                  |
 * | link refType                    | link attribute `opentracing.ref_type` (`child_of`, `follows_from`)    |
 * | span warnings (+ the trace's warnings about that span) | attribute `@jaeger@warnings`, a string array, as Jaeger puts its adjusters' warnings |
 * | ARRAY / MAP values              | `arrayValue` / `kvlistValue`; integers as `intValue`, other numbers as `doubleValue`, null as an empty AnyValue |
 *
 * Spans are written in the order given, each trace's resources in order of first use, one trace after
 * the other (Jaeger's search answer concatenates the traces' resourceSpans the same way). Not written,
 * for want of a field in the model: span and link `flags`, dropped counts, schema URLs, scope
 * attributes. With `backendAttribute`, every span gets the string attribute `tracegate.backend` naming
 * the backends that held it, comma-separated (README, "Jaeger API"). Pure: no I/O.
 */
import { microsToNanosString, type Attribute, type AttributeJson, type Span, type Trace } from '../../model/index.js';
import { REF_TYPE_ATTRIBUTE, SERVICE_NAME_ATTRIBUTE, TRACE_STATE_ATTRIBUTE } from '../otel/index.js';
import { JAEGER_WARNINGS_ATTRIBUTE } from '../shared/index.js';
import type { OtlpAnyValue, OtlpKeyValue, OtlpLink, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan, OtlpTracesData } from './wire.js';

/** The attribute naming the backends that held a span. */
export const BACKEND_ATTRIBUTE = 'tracegate.backend';

export interface OtlpWriteOptions {
  /** Add the `tracegate.backend` attribute to every span. */
  backendAttribute?: boolean;
  /**
   * Sort as Jaeger's SortCollections adjuster does when a trace is not asked raw
   * (jaegertracing/jaeger `cmd/query/app/querysvc/v2/adjuster/sort.go`): resource, span, event and link
   * attributes by key, events by name (stable).
   */
  sortCollections?: boolean;
}

type TraceLike = Pick<Trace, 'spans' | 'warnings'>;

const KIND_NUMBER: Readonly<Record<Span['kind'], number>> = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const STATUS_NUMBER: Readonly<Record<Span['status']['code'], number>> = { UNSET: 0, OK: 1, ERROR: 2 };
const REF_TYPE_TEXT = { CHILD_OF: 'child_of', FOLLOWS_FROM: 'follows_from' } as const;

/** Several traces as one `TracesData`: each trace's resourceSpans, one trace after the other. */
export function tracesToOtlp(traces: readonly TraceLike[], options: OtlpWriteOptions = {}): OtlpTracesData {
  return { resourceSpans: traces.flatMap((trace) => traceResourceSpans(trace, options)) };
}

function traceResourceSpans(trace: TraceLike, options: OtlpWriteOptions): OtlpResourceSpans[] {
  // A merge warning about one span travels with that span, the only place OTLP has for it.
  const extraWarnings = new Map<string, string[]>();
  for (const warning of trace.warnings) {
    if (warning.spanId === null) continue;
    extraWarnings.set(warning.spanId, [...(extraWarnings.get(warning.spanId) ?? []), warning.message]);
  }
  const resources = new Map<string, { out: OtlpResourceSpans; scopes: Map<string, OtlpScopeSpans> }>();
  for (const span of trace.spans) {
    const resourceKey = JSON.stringify([span.service, span.resource]);
    let resource = resources.get(resourceKey);
    if (resource === undefined) {
      const attributes = sorted(resourceAttributes(span), options);
      resource = { out: { resource: { attributes }, scopeSpans: [] }, scopes: new Map() };
      resources.set(resourceKey, resource);
    }
    const scopeKey = JSON.stringify(span.scope);
    let scope = resource.scopes.get(scopeKey);
    if (scope === undefined) {
      const wireScope = span.scope === null ? {} : { name: span.scope.name, ...(span.scope.version !== null ? { version: span.scope.version } : {}) };
      scope = { scope: wireScope, spans: [] };
      resource.scopes.set(scopeKey, scope);
      resource.out.scopeSpans!.push(scope);
    }
    scope.spans!.push(spanToOtlp(span, extraWarnings.get(span.spanId) ?? [], options));
  }
  return [...resources.values()].map((r) => r.out);
}

/**
 * The model keeps service.name apart from the other resource attributes and forgets where it stood; it
 * goes back where a key-sorted list has it, as Jaeger's stores hand resources back (raw or not).
 */
function resourceAttributes(span: Span): OtlpKeyValue[] {
  const attributes = span.resource.map(keyValue);
  const at = attributes.findIndex((a) => byteOrder(a.key!, SERVICE_NAME_ATTRIBUTE) > 0);
  attributes.splice(at < 0 ? attributes.length : at, 0, { key: SERVICE_NAME_ATTRIBUTE, value: { stringValue: span.service } });
  return attributes;
}

function spanToOtlp(span: Span, traceWarnings: readonly string[], options: OtlpWriteOptions): OtlpSpan {
  const attributes = [...span.attributes];
  const traceState = takeTraceState(attributes);
  const out: OtlpSpan = { traceId: span.traceId, spanId: span.spanId };
  if (traceState !== undefined) out.traceState = traceState;
  if (span.parentSpanId !== null) out.parentSpanId = span.parentSpanId;
  out.name = span.name;
  if (span.kind !== 'UNSPECIFIED') out.kind = KIND_NUMBER[span.kind];
  // A time of 0 means "unknown" in the model; OTLP leaves an unset fixed64 out.
  if (span.startTimeUs > 0) {
    out.startTimeUnixNano = microsToNanosString(span.startTimeUs);
    out.endTimeUnixNano = microsToNanosString(span.startTimeUs + span.durationUs);
  }
  const wireAttributes = sorted(attributes.map(keyValue), options);
  if (options.backendAttribute) wireAttributes.push({ key: BACKEND_ATTRIBUTE, value: { stringValue: span.sources.join(',') } });
  const warnings = [...span.warnings, ...traceWarnings];
  if (warnings.length > 0)
    wireAttributes.push({ key: JAEGER_WARNINGS_ATTRIBUTE, value: { arrayValue: { values: warnings.map((w) => ({ stringValue: w })) } } });
  if (wireAttributes.length > 0) out.attributes = wireAttributes;
  if (span.events.length > 0) {
    const events = span.events.map((event) => ({
      ...(event.timeUs > 0 ? { timeUnixNano: microsToNanosString(event.timeUs) } : {}),
      name: event.name,
      ...(event.attributes.length > 0 ? { attributes: sorted(event.attributes.map(keyValue), options) } : {}),
    }));
    out.events = options.sortCollections ? events.sort((a, b) => byteOrder(a.name, b.name)) : events;
  }
  if (span.links.length > 0) out.links = span.links.map((link) => linkToOtlp(link, options));
  out.status = {
    ...(span.status.message !== null ? { message: span.status.message } : {}),
    ...(span.status.code !== 'UNSET' ? { code: STATUS_NUMBER[span.status.code] } : {}),
  };
  return out;
}

function linkToOtlp(link: Span['links'][number], options: OtlpWriteOptions): OtlpLink {
  const attributes = [...link.attributes];
  const traceState = takeTraceState(attributes);
  const wireAttributes = sorted(attributes.map(keyValue), options);
  if (link.refType !== null) wireAttributes.push({ key: REF_TYPE_ATTRIBUTE, value: { stringValue: REF_TYPE_TEXT[link.refType] } });
  return {
    traceId: link.traceId,
    spanId: link.spanId,
    ...(traceState !== undefined ? { traceState } : {}),
    ...(wireAttributes.length > 0 ? { attributes: wireAttributes } : {}),
  };
}

/** The last `w3c.tracestate` text attribute, removed from `attributes` (to-model.ts appends it last). */
function takeTraceState(attributes: Attribute[]): string | undefined {
  const index = attributes.findLastIndex((a) => a.key === TRACE_STATE_ATTRIBUTE && a.type === 'STRING' && a.value !== '');
  if (index < 0 || index !== attributes.length - 1) return undefined;
  return String(attributes.splice(index, 1)[0]!.value);
}

/** Go's string order (bytes; the same as UTF-16 order for the ASCII keys attributes use). */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sorted(attributes: OtlpKeyValue[], options: OtlpWriteOptions): OtlpKeyValue[] {
  return options.sortCollections ? attributes.sort((a, b) => byteOrder(a.key!, b.key!)) : attributes;
}

function keyValue(attribute: Attribute): OtlpKeyValue {
  return { key: attribute.key, value: anyValue(attribute) };
}

/** A typed attribute → AnyValue: INT as decimal text (exact beyond 2^53), NaN/±Infinity doubles as proto3's text. */
function anyValue(attribute: Attribute): OtlpAnyValue {
  const { value } = attribute;
  switch (attribute.type) {
    case 'STRING':
      return { stringValue: String(value) };
    case 'BOOL':
      return { boolValue: value === true };
    case 'INT':
      return { intValue: String(value) };
    case 'DOUBLE':
      return { doubleValue: typeof value === 'number' ? value : String(value) };
    case 'BYTES':
      return { bytesValue: String(value) };
    default:
      return jsonToAnyValue(value);
  }
}

/** ARRAY and MAP elements lost their OTLP type in to-model.ts; integers come back as intValue, other numbers as doubleValue. */
function jsonToAnyValue(value: AttributeJson): OtlpAnyValue {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(jsonToAnyValue) } };
  return { kvlistValue: { values: Object.entries(value).map(([key, v]) => ({ key, value: jsonToAnyValue(v) })) } };
}
