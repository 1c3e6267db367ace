/**
 * Canonical trace → Jaeger v1 JSON trace, as Jaeger's query service writes it (docs/formats/jaeger.md
 * §1.6–1.8): the inverse of to-model.ts, used by the Jaeger API Tracegate serves (src/api/jaeger/).
 *
 * What v1 has no field for goes into synthetic tags the way OpenTelemetry's translator writes them
 * (opentelemetry-collector-contrib `pkg/translator/jaeger/traces_to_jaegerproto.go`): scope tags
 * first, then the span's attributes, then `span.kind`, `otel.status_code`, `error=true` and
 * `otel.status_description`. The parent is the first reference (`CHILD_OF`), links follow with their
 * own refType (`FOLLOWS_FROM` for an OTLP link, which has none); link attributes are lost, as in
 * Jaeger. Processes are the distinct (service, resource) pairs, `p1`, `p2`, … in order of first use.
 * ARRAY and MAP attributes become string tags holding their JSON text, as Jaeger writes them.
 *
 * With `backendTag`, every span gets a string tag `tracegate.backend` listing the backends that held
 * it (comma-separated; README, "Jaeger API"). With `sortTags`, span and process tags are sorted by key
 * and each log's fields by key with `event` first, the order Jaeger's adjusters leave them in when it
 * answers without `raw=true` (checked against the real server by
 * test/integration/api/jaeger-v1-diff.int.test.ts); without it they stay in the translator's order, as
 * Jaeger answers with `raw=true`. Pure: no I/O.
 */
import { compactTraceId, type Attribute, type Span, type SpanEvent, type Trace } from '../../model/index.js';
import { OTEL_TAGS, SPAN_KIND_TAG_BY_KIND } from '../otel/index.js';
import type { JaegerKeyValue, JaegerLog, JaegerProcess, JaegerReference, JaegerSpan, JaegerTrace } from './wire.js';

/** The tag naming the backends that held a span. */
export const BACKEND_TAG = 'tracegate.backend';

export interface JaegerWriteOptions {
  /** Add the `tracegate.backend` tag to every span. */
  backendTag?: boolean;
  /** Sort tags and log fields by key, as Jaeger's adjusters do (its answer without `raw=true`). */
  sortTags?: boolean;
}

/** Go's sort.Strings order (byte order; the same as UTF-16 order for the ASCII keys tags use). */
const byKey = (a: JaegerKeyValue, b: JaegerKeyValue): number => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : 0);
const eventFirst = (a: JaegerKeyValue, b: JaegerKeyValue): number => Number(b.key === 'event') - Number(a.key === 'event') || byKey(a, b);

/** One canonical trace as a v1 trace object. */
export function traceToJaeger(trace: Pick<Trace, 'traceId' | 'spans' | 'warnings'>, options: JaegerWriteOptions = {}): JaegerTrace {
  const processes: Record<string, JaegerProcess> = {};
  const processIds = new Map<string, string>();
  const spans = trace.spans.map((span) => {
    const key = JSON.stringify([span.service, span.resource]);
    let processId = processIds.get(key);
    if (processId === undefined) {
      processId = `p${processIds.size + 1}`;
      processIds.set(key, processId);
      const tags = span.resource.map(attributeToKeyValue);
      processes[processId] = { serviceName: span.service, tags: options.sortTags ? tags.sort(byKey) : tags };
    }
    return spanToJaeger(span, processId, options);
  });
  const warnings = trace.warnings.map((w) => w.message);
  return { traceID: compactTraceId(trace.traceId), spans, processes, warnings: warnings.length > 0 ? warnings : null };
}

function spanToJaeger(span: Span, processId: string, options: JaegerWriteOptions): JaegerSpan {
  const references: JaegerReference[] = [];
  if (span.parentSpanId !== null) references.push({ refType: 'CHILD_OF', traceID: compactTraceId(span.traceId), spanID: span.spanId });
  for (const link of span.links) {
    references.push({ refType: link.refType ?? 'FOLLOWS_FROM', traceID: compactTraceId(link.traceId), spanID: link.spanId });
  }
  if (span.parentSpanId !== null) references[0]!.spanID = span.parentSpanId;

  const tags: JaegerKeyValue[] = [];
  if (span.scope !== null) {
    tags.push(stringTag(OTEL_TAGS.scopeName[0], span.scope.name));
    if (span.scope.version !== null) tags.push(stringTag(OTEL_TAGS.scopeVersion[0], span.scope.version));
  }
  tags.push(...span.attributes.map(attributeToKeyValue));
  const kind = SPAN_KIND_TAG_BY_KIND[span.kind];
  if (kind) tags.push(stringTag(OTEL_TAGS.spanKind, kind));
  if (span.status.code !== 'UNSET') {
    tags.push(stringTag(OTEL_TAGS.statusCode, span.status.code));
    if (span.status.code === 'ERROR') tags.push({ key: OTEL_TAGS.error, type: 'bool', value: true });
    if (span.status.message !== null) tags.push(stringTag(OTEL_TAGS.statusDescription, span.status.message));
  }
  if (options.backendTag) tags.push(stringTag(BACKEND_TAG, span.sources.join(',')));
  if (options.sortTags) tags.sort(byKey);
  const logs = span.events.map(eventToLog);
  if (options.sortTags) for (const log of logs) log.fields!.sort(eventFirst);

  return {
    traceID: compactTraceId(span.traceId),
    spanID: span.spanId,
    operationName: span.name,
    references,
    startTime: span.startTimeUs,
    duration: span.durationUs,
    tags,
    logs,
    processID: processId,
    warnings: span.warnings.length > 0 ? [...span.warnings] : null,
  };
}

/** The event's name is the `event` field, unless it is empty or an attribute already holds that key. */
function eventToLog(event: SpanEvent): JaegerLog {
  const fields = event.attributes.map(attributeToKeyValue);
  if (event.name !== '' && !event.attributes.some((a) => a.key === 'event')) fields.unshift(stringTag('event', event.name));
  return { timestamp: event.timeUs, fields };
}

function stringTag(key: string, value: string): JaegerKeyValue {
  return { key, type: 'string', value };
}

/** An int64 beyond 2^53 stays decimal text, a NaN or infinite double its text, which the reader accepts. */
export function attributeToKeyValue(attribute: Attribute): JaegerKeyValue {
  const { key, value } = attribute;
  switch (attribute.type) {
    case 'STRING':
      return { key, type: 'string', value };
    case 'BOOL':
      return { key, type: 'bool', value };
    case 'INT':
      return { key, type: 'int64', value };
    case 'DOUBLE':
      return { key, type: 'float64', value };
    case 'BYTES':
      return { key, type: 'binary', value };
    default:
      return { key, type: 'string', value: JSON.stringify(value) };
  }
}
