/**
 * Jaeger's v1 JSON trace model, exactly as `GET /api/traces/{id}` and `GET /api/traces` send it and as
 * the Jaeger UI's "Download Results" saves it (`{"data":[trace,…]}`). Types only.
 *
 * Source: jaegertracing/jaeger `internal/uimodel/model.go` (Trace, Span, Reference, Process, Log,
 * KeyValue) and `cmd/jaeger/internal/extension/jaegerquery/internal/http_handler.go` (the
 * `structuredResponse` envelope); notes in docs/formats/jaeger.md §1.2, §1.6–1.8. Fields the
 * server always writes are still optional here: the file importer feeds hand-edited and older files
 * through the same types, and jaeger-ui's own fixtures omit `references` or carry `process` inline.
 *
 * The api_v3 endpoints answer OTLP/JSON instead; see ../otlp-json/wire.ts.
 */

/** `structuredResponse`: every v1 answer, success or error. `limit`/`offset` are always 0. */
export interface JaegerResponse<T> {
  data: T | null;
  total?: number;
  limit?: number;
  offset?: number;
  errors: JaegerStructuredError[] | null;
}

/** `code` is omitted when 0; `traceID` only on per-trace errors of a multi-get. */
export interface JaegerStructuredError {
  code?: number;
  msg: string;
  traceID?: string;
}

export type JaegerTracesResponse = JaegerResponse<JaegerTrace[]>;

export interface JaegerTrace {
  /** Copied from the first span: 16 hex digits when the high 64 bits are zero, else 32. */
  traceID?: string;
  spans?: JaegerSpan[];
  /** Keyed by `processID` ("p1", "p2", …). */
  processes?: Record<string, JaegerProcess>;
  /** Normally null. */
  warnings?: string[] | null;
}

export type JaegerRefType = 'CHILD_OF' | 'FOLLOWS_FROM';

export interface JaegerSpan {
  traceID?: string;
  /** 16 lowercase hex digits. */
  spanID?: string;
  /** Deprecated and not written by the API; present in Elasticsearch documents and old files. */
  parentSpanID?: string;
  /** Omitted when 0. */
  flags?: number;
  operationName?: string;
  /** The parent is the first CHILD_OF reference; OTLP links are further references. */
  references?: JaegerReference[] | null;
  /** µs since the epoch. */
  startTime?: number;
  /** µs. */
  duration?: number;
  tags?: JaegerKeyValue[] | null;
  logs?: JaegerLog[] | null;
  processID?: string;
  /** Inline process: written by jaeger-ui's transformed downloads, never by the API. */
  process?: JaegerProcess;
  /** Adjuster warnings; null when none. */
  warnings?: string[] | null;
}

export interface JaegerReference {
  refType?: JaegerRefType | string;
  traceID?: string;
  spanID?: string;
}

export interface JaegerProcess {
  serviceName?: string;
  /** Resource attributes other than service.name. */
  tags?: JaegerKeyValue[] | null;
}

export interface JaegerLog {
  /** µs since the epoch. */
  timestamp?: number;
  fields?: JaegerKeyValue[] | null;
}

export type JaegerValueType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

/**
 * A typed tag. By `type`, `value` is: string → string; bool → boolean; int64 → number, or decimal
 * text when |v| > 2^53 − 1 (a JSON number that big arrives as a bigint when the body was read with
 * ../shared/exact-json.ts); float64 → number; binary → base64 text. OTLP array and map attributes
 * arrive as type string holding their JSON text. `type` is `omitempty` in Go.
 */
export interface JaegerKeyValue {
  key?: string;
  type?: JaegerValueType | string;
  value?: unknown;
}
