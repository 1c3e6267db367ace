/**
 * Zipkin API v2 span JSON, exactly as `GET /api/v2/trace/{id}` (`Span[]`) and `GET /api/v2/traces` /
 * `traceMany` (`Span[][]`) send it. Types only.
 *
 * Spec: openzipkin/zipkin-api `zipkin2-api.yaml` (definitions Span, Endpoint, Annotation, Tags) and
 * the server's writer, openzipkin/zipkin `zipkin/src/main/java/zipkin2/internal/V2SpanWriter.java`;
 * compare open-telemetry/opentelemetry-js `packages/opentelemetry-exporter-zipkin/src/types.ts`.
 * Notes in docs/formats/zipkin.md §2.1. The server leaves out absent, zero and empty values
 * (no null, no 0 timestamp, no `false` flags), so every field but `traceId` and `id` is optional.
 */

export type ZipkinKind = 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';

export interface ZipkinSpan {
  /** 16 or 32 lowercase hex; Zipkin shortens a 32-digit id whose high half is zero to 16. */
  traceId: string;
  /** 16 lowercase hex. Absent on a root; all zeros also means absent. */
  parentId?: string;
  /** 16 lowercase hex. A shared SERVER span repeats its CLIENT's id. */
  id: string;
  /** Absent for a local (in-process) or incomplete span. */
  kind?: ZipkinKind | string;
  /** Lower-cased by the server on ingest. */
  name?: string;
  /** µs since the epoch; absent or ≤ 0 = unknown. */
  timestamp?: number;
  /** µs; absent or ≤ 0 = unknown. */
  duration?: number;
  localEndpoint?: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations?: ZipkinAnnotation[];
  /** Values are strings on the wire (the collector coerces numbers). */
  tags?: Record<string, string>;
  /** Only `true` is written. */
  debug?: boolean;
  /** Only `true` is written: the server half of an RPC that reuses the client's span id. */
  shared?: boolean;
}

export interface ZipkinEndpoint {
  /** Lower-cased by the server. */
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  /** Absent when 0. */
  port?: number;
}

export interface ZipkinAnnotation {
  /** µs since the epoch. */
  timestamp: number;
  value: string;
}

/** `GET /api/v2/trace/{id}`. */
export type ZipkinTrace = ZipkinSpan[];
/**
 * `GET /api/v2/traces` and `/api/v2/traceMany`.
 * @public The answer's shape as the API documents it; the client checks it one trace at a time.
 */
export type ZipkinTraces = ZipkinSpan[][];
