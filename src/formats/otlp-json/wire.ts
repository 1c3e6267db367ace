/**
 * OTLP/JSON trace data exactly as exporters, files and Jaeger's api_v3 write it. Types only.
 *
 * Spec: open-telemetry/opentelemetry-proto `opentelemetry/proto/trace/v1/trace.proto`,
 * `opentelemetry/proto/common/v1/common.proto`, `opentelemetry/proto/resource/v1/resource.proto`,
 * and `docs/specification.md` § "JSON Protobuf Encoding": lowerCamelCase keys, ids as hex strings,
 * enums as integers, 64-bit integers as decimal strings. Real writers stray from it, so the types
 * admit what they send too: base64 ids (proto3's canonical JSON, used by some SDKs), enum names
 * (`"SPAN_KIND_SERVER"`, `"STATUS_CODE_ERROR"`), 64-bit integers as JSON numbers, and the pre-1.0
 * `instrumentationLibrarySpans` / `instrumentationLibrary` names. Every field is optional, because
 * protobuf JSON omits default values (Jaeger's api_v3 answers `"status": {}` for UNSET).
 *
 * Jaeger's api_v3 wraps the data: `{"result": TracesData}` (jaegertracing/jaeger
 * `cmd/jaeger/internal/extension/jaegerquery/internal/apiv3/http_gateway.go`).
 */

/**
 * A 64-bit integer: decimal text per the spec, a JSON number from lax writers (a bigint beyond ±2^53 when
 * read with ../shared/exact-json.ts).
 */
export type OtlpInt64 = string | number | bigint;

export interface OtlpTracesData {
  resourceSpans?: OtlpResourceSpans[];
}

/** Jaeger api_v3 `GET /api/v3/traces[/{id}]` body. */
export interface JaegerApiV3TracesResponse {
  result?: OtlpTracesData;
}

export interface OtlpResourceSpans {
  resource?: OtlpResource;
  scopeSpans?: OtlpScopeSpans[];
  /** Before OTLP 0.15 (2022) the scope was called "instrumentation library". */
  instrumentationLibrarySpans?: OtlpInstrumentationLibrarySpans[];
  schemaUrl?: string;
}

export interface OtlpResource {
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
}

export interface OtlpScopeSpans {
  scope?: OtlpInstrumentationScope;
  spans?: OtlpSpan[];
  schemaUrl?: string;
}

export interface OtlpInstrumentationLibrarySpans {
  instrumentationLibrary?: OtlpInstrumentationScope;
  spans?: OtlpSpan[];
  schemaUrl?: string;
}

export interface OtlpInstrumentationScope {
  name?: string;
  version?: string;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
}

/** `Span.SpanKind`: 0 UNSPECIFIED, 1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER. */
export type OtlpSpanKind = number | string;

/** `Status.StatusCode`: 0 UNSET, 1 OK, 2 ERROR. */
export type OtlpStatusCode = number | string;

export interface OtlpSpan {
  /** 32 hex characters (16 bytes); base64 from proto3-canonical writers. */
  traceId?: string;
  /** 16 hex characters (8 bytes). */
  spanId?: string;
  traceState?: string;
  /** Empty string or absent for a root span. */
  parentSpanId?: string;
  flags?: number;
  name?: string;
  kind?: OtlpSpanKind;
  startTimeUnixNano?: OtlpInt64;
  endTimeUnixNano?: OtlpInt64;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
  events?: OtlpEvent[];
  droppedEventsCount?: number;
  links?: OtlpLink[];
  droppedLinksCount?: number;
  status?: OtlpStatus;
}

export interface OtlpEvent {
  timeUnixNano?: OtlpInt64;
  name?: string;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
}

export interface OtlpLink {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
}

export interface OtlpStatus {
  message?: string;
  code?: OtlpStatusCode;
}

export interface OtlpKeyValue {
  key?: string;
  value?: OtlpAnyValue;
}

/** One of the fields is set; none set means an empty value. */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: OtlpInt64;
  /** A number, or "NaN" / "Infinity" / "-Infinity" as proto3 JSON writes non-finite doubles. */
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  /** base64. */
  bytesValue?: string;
}
