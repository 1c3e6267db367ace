/**
 * Span, service and dependency documents exactly as Jaeger's collector and jobs write them into
 * Elasticsearch (schema `jaeger`). Types only.
 *
 * Source: jaegertracing/jaeger v2.20.0 `internal/storage/v2/elasticsearch/tracestore/core/dbmodel/model.go`
 * (Span, Reference, KeyValue, Log, Process), `depstore/dbmodel` (dependencies) and the `jaeger-service`
 * documents of `core/service_operation.go`; mappings in
 * `internal/storage/elasticsearch/esclient/index_templates/jaeger-{span,service}.json`. Notes in
 * docs/formats/elasticsearch.md §1.2–1.5. Elasticsearch's own responses are the backend's
 * (../../backends/elasticsearch/responses.ts).
 */

// ---------------------------------------------------------------------------------------------
// Jaeger documents: `<prefix>jaeger-span-YYYY-MM-DD`, `<prefix>jaeger-service-…`, `<prefix>jaeger-dependencies-…`

/**
 * One span document. Every collection may be `null` when empty (Go's nil slices). Since v2.7 the
 * trace id is always 32 hex; v1.16–v2.6 wrote 16 hex for 64-bit ids and older writers dropped
 * leading zeros.
 */
export interface JaegerEsSpan {
  traceID: string;
  spanID: string;
  /** Omitted for roots by v2 writers; older documents may lack it altogether. */
  parentSpanID?: string;
  /** OTLP span flags; omitted when 0. */
  flags?: number;
  operationName: string;
  references: JaegerEsReference[] | null;
  /** µs since the epoch (`long`). */
  startTime: number;
  /** `startTime / 1000`, mapped as `date` (epoch_millis). */
  startTimeMillis: number;
  /** µs (`long`). */
  duration: number;
  /** Nested documents; `value` keeps its JSON type (older writers: always a string); binary is HEX text. */
  tags: JaegerEsKeyValue[] | null;
  /** `tags_as_fields`: tags moved to an object, keys with `.` replaced by the dot replacement (`@`). */
  tag?: Record<string, unknown> | null;
  logs: JaegerEsLog[] | null;
  process: JaegerEsProcess;
}

export interface JaegerEsReference {
  /** "CHILD_OF" or "FOLLOWS_FROM". */
  refType: string;
  traceID: string;
  spanID: string;
}

export type JaegerEsValueType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

export interface JaegerEsKeyValue {
  key: string;
  type: JaegerEsValueType | string;
  /**
   * string → string; bool → boolean; int64/float64 → number; binary → hex text. Written as a string
   * of any type by older writers. An int64 beyond ±2^53 arrives as a `bigint` from the client's
   * deserialiser (client.ts), which keeps such integers exact.
   */
  value: unknown;
}

export interface JaegerEsLog {
  /** µs since the epoch. */
  timestamp: number;
  fields: JaegerEsKeyValue[] | null;
}

export interface JaegerEsProcess {
  /** `service.name`; `OTLPResourceNoServiceName` when the resource had no attributes. */
  serviceName: string;
  tags: JaegerEsKeyValue[] | null;
  /** `tags_as_fields` for resource attributes. */
  tag?: Record<string, unknown> | null;
}

/**
 * `jaeger-service-*`: one document per (service, operation) pair; no span kind.
 * @public The index's documents as Jaeger writes them; the backend reads them through aggregations, not as documents.
 */
export interface JaegerEsService {
  serviceName: string;
  operationName: string;
}

/** `jaeger-dependencies-*`, written by the spark-dependencies job, one document per run. */
export interface JaegerEsDependencies {
  /** RFC 3339. */
  timestamp: string;
  dependencies: Array<{ parent: string; child: string; callCount: number }> | null;
}
