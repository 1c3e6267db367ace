/**
 * OTLP/JSON trace data → canonical spans. Shared by the Jaeger api_v3 adapter (whose answers are
 * OTLP/JSON) and the file importer; it owns nothing else: grouping spans into traces, HTTP and
 * Jaeger's `{"result": …}` envelope stay with the callers.
 *
 * Follows opentelemetry-proto `docs/specification.md` § "JSON Protobuf Encoding" and
 * `opentelemetry/proto/trace/v1/trace.proto`, tolerating what real writers send instead (see
 * wire.ts). Pure: no I/O, no config, no logs. Odd data becomes a warning on the span; data that
 * cannot make a span at all (no valid trace or span id) is skipped and reported in the mapping's
 * document-level `warnings`, never thrown.
 *
 * Where the canonical model has no field, the value is kept as an attribute named the way Jaeger's
 * v1 view names it, so a span read through api_v3 and through Jaeger's v1 API map alike:
 * `traceState` → attribute `w3c.tracestate`. A link's `opentracing.ref_type` attribute (written by
 * the OTel Collector when it turns Jaeger references into links) becomes the link's `refType`.
 * Jaeger api_v3 puts its adjuster warnings in the span attribute `@jaeger@warnings`; they move to
 * `span.warnings`.
 *
 * Not kept, for want of a place in the model: scope attributes (a warning names them), span and
 * link flags, dropped-attribute/event/link counts and schema URLs.
 */
import {
  base64IdToHex,
  cloneAttribute,
  nanosStringToMicros,
  newSpan,
  takeAttribute,
  tryParseSpanId,
  tryParseTraceId,
  UNKNOWN_SERVICE,
} from '../../model/index.js';
import type {
  Attribute,
  InstrumentationScope,
  Micros,
  Span,
  WireFormat,
  SpanEvent,
  SpanId,
  SpanKind,
  SpanLink,
  SpanStatus,
  StatusCode,
  TraceId,
} from '../../model/index.js';
import type { OtlpEvent, OtlpInstrumentationScope, OtlpInt64, OtlpLink, OtlpResource, OtlpSpan, OtlpStatus, OtlpTracesData } from './wire.js';
import { REF_TYPE_ATTRIBUTE, SERVICE_NAME_ATTRIBUTE, TRACE_STATE_ATTRIBUTE } from '../otel/index.js';
import { describeValue as describe, isObject, takeJaegerWarnings, type SpanMapping } from '../shared/index.js';
import { mapAttributes } from './attributes.js';

/** `Span.SpanKind` by number and by enum name (names are not valid OTLP/JSON but some exporters write them). */
export const OTLP_SPAN_KINDS: Readonly<Record<string, SpanKind>> = {
  '0': 'UNSPECIFIED',
  '1': 'INTERNAL',
  '2': 'SERVER',
  '3': 'CLIENT',
  '4': 'PRODUCER',
  '5': 'CONSUMER',
  SPAN_KIND_UNSPECIFIED: 'UNSPECIFIED',
  SPAN_KIND_INTERNAL: 'INTERNAL',
  SPAN_KIND_SERVER: 'SERVER',
  SPAN_KIND_CLIENT: 'CLIENT',
  SPAN_KIND_PRODUCER: 'PRODUCER',
  SPAN_KIND_CONSUMER: 'CONSUMER',
};

/** `Status.StatusCode` by number and by enum name. */
export const OTLP_STATUS_CODES: Readonly<Record<string, StatusCode>> = {
  '0': 'UNSET',
  '1': 'OK',
  '2': 'ERROR',
  STATUS_CODE_UNSET: 'UNSET',
  STATUS_CODE_OK: 'OK',
  STATUS_CODE_ERROR: 'ERROR',
};

/** Values of the link attribute `opentracing.ref_type`. */
const REF_TYPES: Readonly<Record<string, SpanLink['refType']>> = {
  child_of: 'CHILD_OF',
  follows_from: 'FOLLOWS_FROM',
};

const HEX_TRACE_ID = /^[0-9a-fA-F]{32}$/;
const HEX_SPAN_ID = /^[0-9a-fA-F]{16}$/;
const DIGITS = /^\d+$/;

/** Maps an OTLP/JSON `TracesData` document; every span carries `sources: [source]`. */
export function otlpToSpans(doc: OtlpTracesData, source: string, format: WireFormat = 'otlp-json'): Span[] {
  return mapOtlpTraces(doc, source, format).spans;
}

/** Like otlpToSpans, and also returns the problems that belong to no span. */
export function mapOtlpTraces(doc: OtlpTracesData, source: string, format: WireFormat = 'otlp-json'): SpanMapping {
  const spans: Span[] = [];
  const warnings: string[] = [];
  const resourceSpansList = Array.isArray(doc?.resourceSpans) ? doc.resourceSpans : [];
  for (const resourceSpans of resourceSpansList) {
    if (!isObject(resourceSpans)) continue;
    const resourceWarnings: string[] = [];
    const { service, resource } = mapResource(resourceSpans.resource, resourceWarnings);
    // Before OTLP 0.15 the scope level was `instrumentationLibrarySpans`/`instrumentationLibrary`.
    const scopeGroups = [
      ...(Array.isArray(resourceSpans.scopeSpans) ? resourceSpans.scopeSpans.map((g) => ({ scope: g?.scope, spans: g?.spans })) : []),
      ...(Array.isArray(resourceSpans.instrumentationLibrarySpans)
        ? resourceSpans.instrumentationLibrarySpans.map((g) => ({ scope: g?.instrumentationLibrary, spans: g?.spans }))
        : []),
    ];
    for (const group of scopeGroups) {
      const scopeWarnings = [...resourceWarnings];
      const scope = mapScope(group.scope, scopeWarnings);
      if (!Array.isArray(group.spans)) continue;
      for (const wire of group.spans) {
        const span = mapSpan(wire, { service, resource, scope, scopeWarnings, source, format }, warnings);
        if (span) spans.push(span);
      }
    }
  }
  return { spans, warnings };
}

interface SpanContext {
  service: string;
  resource: Attribute[];
  scope: InstrumentationScope | null;
  /** Resource- and scope-level warnings, copied onto each of their spans. */
  scopeWarnings: string[];
  source: string;
  format: WireFormat;
}

function mapSpan(wire: OtlpSpan, ctx: SpanContext, documentWarnings: string[]): Span | undefined {
  if (!isObject(wire)) {
    documentWarnings.push(`skipped a span that is not an object: ${describe(wire)}`);
    return undefined;
  }
  const traceId = otlpTraceId(wire.traceId);
  const spanId = otlpSpanId(wire.spanId);
  if (traceId === undefined || spanId === undefined) {
    const what = traceId === undefined ? `traceId ${describe(wire.traceId)}` : `spanId ${describe(wire.spanId)}`;
    documentWarnings.push(`skipped span '${String(wire.name ?? '')}': ${what} is not a valid id (expected hex or base64)`);
    return undefined;
  }
  const warnings = [...ctx.scopeWarnings];

  let parentSpanId: SpanId | null = null;
  if (typeof wire.parentSpanId === 'string' && wire.parentSpanId !== '' && !/^0+$/.test(wire.parentSpanId)) {
    parentSpanId = otlpSpanId(wire.parentSpanId) ?? null;
    if (parentSpanId === null) warnings.push(`parentSpanId ${describe(wire.parentSpanId)} is not a valid span id; treated as a root`);
  }

  const start = parseNanos(wire.startTimeUnixNano, 'startTimeUnixNano', warnings);
  const end = parseNanos(wire.endTimeUnixNano, 'endTimeUnixNano', warnings);
  let durationUs = 0;
  if (start && end) {
    // Jaeger truncates (end − start) in ns, not end and start separately; do the same so a span read
    // through api_v3 and through the v1 API gets the same duration.
    durationUs = end.us - start.us - (end.subUs < start.subUs ? 1 : 0);
    if (durationUs < 0) {
      warnings.push(`endTimeUnixNano is before startTimeUnixNano; duration set to 0`);
      durationUs = 0;
    }
  }

  const attributes = mapAttributes(wire.attributes, warnings);
  const jaegerWarnings = takeJaegerWarnings(attributes);
  if (typeof wire.traceState === 'string' && wire.traceState !== '') {
    attributes.push({ key: TRACE_STATE_ATTRIBUTE, type: 'STRING', value: wire.traceState });
  }

  return newSpan({
    traceId,
    spanId,
    parentSpanId,
    name: typeof wire.name === 'string' ? wire.name : '',
    kind: mapKind(wire.kind, warnings),
    service: ctx.service,
    resource: ctx.resource.map(cloneAttribute),
    scope: ctx.scope ? { ...ctx.scope } : null,
    startTimeUs: start?.us ?? 0,
    durationUs,
    status: mapStatus(wire.status, warnings),
    attributes,
    events: mapEvents(wire.events, warnings),
    links: mapLinks(wire.links, warnings),
    sources: [ctx.source],
    // Jaeger's own (adjuster) warnings first, then ours, as ../jaeger-json/to-model.ts orders them; a
    // warning the span already carries (written by Tracegate's api_v3, from-model.ts) is not repeated.
    warnings: [...new Set([...jaegerWarnings, ...warnings])],
    wireFormat: ctx.format,
  });
}

function mapResource(resource: OtlpResource | undefined, warnings: string[]): { service: string; resource: Attribute[] } {
  const attributes = mapAttributes(isObject(resource) ? resource.attributes : undefined, warnings);
  const serviceName = takeAttribute(attributes, SERVICE_NAME_ATTRIBUTE);
  if (!serviceName) {
    warnings.push(`resource has no ${SERVICE_NAME_ATTRIBUTE}; service set to '${UNKNOWN_SERVICE}'`);
    return { service: UNKNOWN_SERVICE, resource: attributes };
  }
  if (typeof serviceName.value !== 'string' || serviceName.value === '') {
    warnings.push(
      `resource ${SERVICE_NAME_ATTRIBUTE} is not a non-empty string (got ${describe(serviceName.value)}); service set to '${UNKNOWN_SERVICE}'`,
    );
    return { service: UNKNOWN_SERVICE, resource: attributes };
  }
  return { service: serviceName.value, resource: attributes };
}

function mapScope(scope: OtlpInstrumentationScope | undefined, warnings: string[]): InstrumentationScope | null {
  if (!isObject(scope)) return null;
  const name = typeof scope.name === 'string' ? scope.name : '';
  const version = typeof scope.version === 'string' && scope.version !== '' ? scope.version : null;
  if (Array.isArray(scope.attributes) && scope.attributes.length > 0) {
    const keys = scope.attributes.map((kv) => String(kv?.key ?? '')).join(', ');
    warnings.push(`scope attributes are not kept (the canonical scope has only name and version): ${keys}`);
  }
  if (name === '' && version === null) return null;
  return { name, version };
}

function mapKind(raw: unknown, warnings: string[]): SpanKind {
  if (raw === undefined || raw === null) return 'UNSPECIFIED';
  const kind = typeof raw === 'number' || typeof raw === 'string' ? OTLP_SPAN_KINDS[String(raw).toUpperCase()] : undefined;
  if (kind === undefined) {
    warnings.push(`unknown span kind ${describe(raw)} (expected 0–5 or SPAN_KIND_*); kind set to UNSPECIFIED`);
    return 'UNSPECIFIED';
  }
  return kind;
}

function mapStatus(raw: OtlpStatus | undefined, warnings: string[]): SpanStatus {
  if (!isObject(raw)) return { code: 'UNSET', message: null };
  let code: StatusCode = 'UNSET';
  if (raw.code !== undefined && raw.code !== null) {
    const mapped = typeof raw.code === 'number' || typeof raw.code === 'string' ? OTLP_STATUS_CODES[String(raw.code).toUpperCase()] : undefined;
    if (mapped === undefined) warnings.push(`unknown status code ${describe(raw.code)} (expected 0–2 or STATUS_CODE_*); status set to UNSET`);
    else code = mapped;
  }
  const message = typeof raw.message === 'string' && raw.message !== '' ? raw.message : null;
  return { code, message };
}

function mapEvents(raw: OtlpEvent[] | undefined, warnings: string[]): SpanEvent[] {
  if (!Array.isArray(raw)) return [];
  const events: SpanEvent[] = [];
  for (const event of raw) {
    if (!isObject(event)) continue;
    const name = typeof event.name === 'string' ? event.name : '';
    const time = parseNanos(event.timeUnixNano, `event '${name}' timeUnixNano`, warnings);
    events.push({ name, timeUs: time?.us ?? 0, attributes: mapAttributes(event.attributes, warnings) });
  }
  return events;
}

function mapLinks(raw: OtlpLink[] | undefined, warnings: string[]): SpanLink[] {
  if (!Array.isArray(raw)) return [];
  const links: SpanLink[] = [];
  for (const link of raw) {
    if (!isObject(link)) continue;
    const traceId = otlpTraceId(link.traceId);
    const spanId = otlpSpanId(link.spanId);
    if (traceId === undefined || spanId === undefined) {
      warnings.push(`dropped a link with invalid ids (traceId ${describe(link.traceId)}, spanId ${describe(link.spanId)})`);
      continue;
    }
    const attributes = mapAttributes(link.attributes, warnings);
    let refType: SpanLink['refType'] = null;
    const refTypeAttribute = attributes.find((a) => a.key === REF_TYPE_ATTRIBUTE);
    const mapped = typeof refTypeAttribute?.value === 'string' ? REF_TYPES[refTypeAttribute.value.toLowerCase()] : undefined;
    if (mapped !== undefined) {
      refType = mapped;
      takeAttribute(attributes, REF_TYPE_ATTRIBUTE);
    }
    if (typeof link.traceState === 'string' && link.traceState !== '') {
      attributes.push({ key: TRACE_STATE_ATTRIBUTE, type: 'STRING', value: link.traceState });
    }
    links.push({ traceId, spanId, refType, attributes });
  }
  return links;
}

interface NanoTime {
  /** Whole microseconds since the epoch. */
  us: Micros;
  /** The nanoseconds below the microsecond, 0–999. */
  subUs: number;
}

/**
 * A fixed64 ns time → µs without passing through a lossy double; undefined (and a warning) when absent,
 * zero, or past 2^53 µs (the year 2255: a broken clock, not a time to round). A lax writer's JSON number
 * arrives as an exact bigint when the body was read with ../shared/exact-json.ts.
 */
function parseNanos(raw: OtlpInt64 | undefined, field: string, warnings: string[]): NanoTime | undefined {
  let text: string;
  if (typeof raw === 'string') text = raw.trim();
  else if (typeof raw === 'bigint' && raw >= 0n) text = raw.toString();
  else if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) {
    if (!Number.isSafeInteger(raw)) warnings.push(`${field} was written as a JSON number, which cannot hold nanoseconds exactly`);
    text = BigInt(Math.trunc(raw)).toString();
  } else if (raw === undefined || raw === null) {
    warnings.push(`${field} is missing; 0 used`);
    return undefined;
  } else {
    warnings.push(`${field} ${describe(raw)} is not a nanosecond count; 0 used`);
    return undefined;
  }
  if (!DIGITS.test(text)) {
    warnings.push(`${field} ${describe(raw)} is not a nanosecond count; 0 used`);
    return undefined;
  }
  if (/^0+$/.test(text)) {
    warnings.push(`${field} is 0 (unset); 0 used`);
    return undefined;
  }
  const us = nanosStringToMicros(text);
  if (us > Number.MAX_SAFE_INTEGER) {
    warnings.push(`${field} ${describe(raw)} is beyond 2^53 µs; 0 used`);
    return undefined;
  }
  return { us, subUs: Number(text.slice(-3)) };
}

/**
 * OTLP/JSON writes ids as hex; proto3-canonical writers send base64. A 32-digit hex string is taken
 * as hex, anything else is tried as base64 of 8 or 16 bytes, then as short hex (a 64-bit id, or one
 * whose leading zeros were dropped).
 */
function otlpTraceId(raw: unknown): TraceId | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  if (HEX_TRACE_ID.test(raw)) return tryParseTraceId(raw);
  const fromBase64 = base64IdToHex(raw);
  return tryParseTraceId(fromBase64 ?? raw);
}

function otlpSpanId(raw: unknown): SpanId | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  if (HEX_SPAN_ID.test(raw)) return tryParseSpanId(raw);
  const fromBase64 = base64IdToHex(raw);
  if (fromBase64 !== undefined && fromBase64.length === 16) return tryParseSpanId(fromBase64);
  return tryParseSpanId(raw);
}
