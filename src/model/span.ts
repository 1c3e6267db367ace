/**
 * The canonical span: what every backend's `to-model.ts` produces and everything after it consumes.
 * Field names follow OpenTelemetry (name, kind, status, events, links, resource), with Jaeger's and
 * Zipkin's vocabulary mapped onto them by the backends. Times are µs (see time.ts).
 */
import type { Attribute } from './attributes.js';
import type { SpanId, TraceId } from './ids.js';
import type { DurationUs, Micros } from './time.js';

export type SpanKind = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type StatusCode = 'UNSET' | 'OK' | 'ERROR';

export interface SpanStatus {
  code: StatusCode;
  message: string | null;
}

/** A span event; Jaeger calls it a log and Zipkin an annotation. */
export interface SpanEvent {
  name: string;
  timeUs: Micros;
  attributes: Attribute[];
}

/** A link to another span; Jaeger's non-parent references (FOLLOWS_FROM, extra CHILD_OF) land here too. */
export interface SpanLink {
  traceId: TraceId;
  spanId: SpanId;
  /** Jaeger reference type when the link came from a reference; null for OTLP links. */
  refType: 'CHILD_OF' | 'FOLLOWS_FROM' | null;
  attributes: Attribute[];
}

/**
 * The wire format a span copy was read from. Each format loses different fields (README, "How merging
 * works"); when copies of one span disagree, dedupe keeps each field from the copy whose format holds
 * it (federation/field-fidelity.ts). `canonical` is data built in-process (the demo), exact by
 * construction.
 */
export type WireFormat = 'otlp-json' | 'jaeger-json' | 'zipkin-v2' | 'es-jaeger' | 'es-zipkin' | 'canonical';

export interface InstrumentationScope {
  name: string;
  version: string | null;
}

export interface Span {
  traceId: TraceId;
  spanId: SpanId;
  parentSpanId: SpanId | null;
  name: string;
  kind: SpanKind;
  /** service.name of the resource; "unknown_service" when the backend had none (OTel's default). */
  service: string;
  /** Resource attributes other than service.name (Jaeger process tags). */
  resource: Attribute[];
  scope: InstrumentationScope | null;
  startTimeUs: Micros;
  /** 0 when unknown; see isDurationKnown. */
  durationUs: DurationUs;
  /**
   * False when the backend did not record a duration (a Zipkin span without `duration`: an
   * incomplete or one-way span). Such a span has no known end; clock-skew correction never treats
   * its 0 as a length.
   */
  isDurationKnown: boolean;
  status: SpanStatus;
  attributes: Attribute[];
  events: SpanEvent[];
  links: SpanLink[];
  /**
   * Zipkin's `shared: true`: the server half of an RPC that reuses the client's span id. It is a
   * distinct span whose parent is the client half; see federation/build-tree.ts.
   */
  isSharedServer: boolean;
  /** Names of every backend that held this span (more than one after dedupe). */
  sources: string[];
  /** Format of the copy this span was read from; after dedupe, that of the first copy. */
  wireFormat: WireFormat;
  /**
   * Odd data found while mapping (the backend's own warnings included); never fatal. Dedupe unions
   * them; what merging itself finds or changes is a TraceWarning, so each finding is reported once.
   */
  warnings: string[];
  /** Shift applied by clock-skew correction, µs; 0 when none. */
  clockSkewAdjustmentUs: DurationUs;
}

export const UNKNOWN_SERVICE = 'unknown_service';

/** Identity of a span inside a trace: the span id, plus the side for Zipkin shared spans. */
export function spanKey(span: Pick<Span, 'spanId' | 'isSharedServer'>): string {
  return span.isSharedServer ? `${span.spanId}:shared` : span.spanId;
}

/**
 * One span's full identity within one backend: id and side, plus kind, service and start, because
 * Zipkin lets several server halves (one per receiving host) share their client's span id. A store
 * that upserts by this key keeps them apart and still replaces a span written twice.
 */
export function spanIdentityKey(span: Pick<Span, 'spanId' | 'isSharedServer' | 'kind' | 'service' | 'startTimeUs'>): string {
  return `${spanKey(span)}|${span.kind}|${span.service}|${span.startTimeUs}`;
}

export function endTimeUs(span: Pick<Span, 'startTimeUs' | 'durationUs'>): Micros {
  return span.startTimeUs + span.durationUs;
}

export function isErrorSpan(span: Pick<Span, 'status'>): boolean {
  return span.status.code === 'ERROR';
}

/** Defaults for fields a wire format may lack, so mappers only state what they know. */
export function newSpan(fields: Pick<Span, 'traceId' | 'spanId' | 'name' | 'startTimeUs' | 'durationUs'> & Partial<Span>): Span {
  // Written out rather than spread over a defaults object: every reader calls this once per span. The
  // key order is the one the spread gave (defaults first), which cached and recorded JSON keeps.
  return {
    parentSpanId: fields.parentSpanId !== undefined ? fields.parentSpanId : null,
    kind: fields.kind !== undefined ? fields.kind : 'UNSPECIFIED',
    service: fields.service !== undefined ? fields.service : UNKNOWN_SERVICE,
    resource: fields.resource !== undefined ? fields.resource : [],
    scope: fields.scope !== undefined ? fields.scope : null,
    status: fields.status !== undefined ? fields.status : { code: 'UNSET', message: null },
    attributes: fields.attributes !== undefined ? fields.attributes : [],
    events: fields.events !== undefined ? fields.events : [],
    links: fields.links !== undefined ? fields.links : [],
    isSharedServer: fields.isSharedServer !== undefined ? fields.isSharedServer : false,
    isDurationKnown: fields.isDurationKnown !== undefined ? fields.isDurationKnown : true,
    sources: fields.sources !== undefined ? fields.sources : [],
    wireFormat: fields.wireFormat !== undefined ? fields.wireFormat : 'canonical',
    warnings: fields.warnings !== undefined ? fields.warnings : [],
    clockSkewAdjustmentUs: fields.clockSkewAdjustmentUs !== undefined ? fields.clockSkewAdjustmentUs : 0,
    traceId: fields.traceId,
    spanId: fields.spanId,
    name: fields.name,
    startTimeUs: fields.startTimeUs,
    durationUs: fields.durationUs,
  };
}

/** A deep copy: the memory backend hands out copies so callers may mutate what they receive. */
export function cloneSpan(span: Span): Span {
  return structuredClone(span);
}
