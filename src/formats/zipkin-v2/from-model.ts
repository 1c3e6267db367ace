/**
 * Canonical spans → Zipkin API v2 span JSON: the inverse of to-model.ts, for the Zipkin API Tracegate
 * serves (src/api/zipkin/). Owns the span mapping only; which spans to write and in what order is the
 * caller's. Follows openzipkin/zipkin-api `zipkin2-api.yaml` and, for what Zipkin lacks, the OTel
 * exporters' conventions (open-telemetry/opentelemetry-js `packages/opentelemetry-exporter-zipkin/src/transform.ts`,
 * opentelemetry-collector-contrib `pkg/translator/zipkin/zipkinv2/from_translator.go`), which to-model.ts
 * reads back:
 *
 * | canonical                          | Zipkin                                                          |
 * |------------------------------------|-----------------------------------------------------------------|
 * | kind CLIENT/SERVER/PRODUCER/CONSUMER | same `kind`; INTERNAL → no kind and tag `span.kind: internal`; UNSPECIFIED → no kind |
 * | service                            | localEndpoint.serviceName (left out for `unknown_service`)      |
 * | `net.host.ip`/`net.host.port`      | localEndpoint.ipv4 or ipv6 (by the address's form), port        |
 * | `peer.service`, `net.peer.ip`/`port` | remoteEndpoint.serviceName, ipv4 or ipv6, port                |
 * | status OK (+ message)             | tags `otel.status_code` = OK (+ `otel.status_description`)      |
 * | status ERROR (+ message)          | tag `error` = the message, or "true" without one: Zipkin's own status tag (Brave, Lens), no `otel.status_code` |
 * | scope                              | tags `otel.scope.name`, `otel.scope.version`                    |
 * | resource attributes, attributes    | tags, as text: arrays and maps as JSON, INT beyond 2^53 its exact digits; a span attribute wins over a resource one; keys sorted, as Zipkin's Span keeps them |
 * | events                             | annotations; an event with attributes is `name|{json}|0` as OTel's exporters fold it (federation/event-identity.ts undoes it) |
 * | isSharedServer                     | `shared: true`                                                  |
 * | `zipkin.debug` true                | `debug: true`                                                   |
 * | traceId                            | 16 hex digits when the high half is zero (as Zipkin writes a 64-bit id), else 32 |
 * | startTimeUs, durationUs            | timestamp (left out when 0), duration (left out when !isDurationKnown) |
 *
 * ERROR is written as Zipkin itself writes it, the `error` tag alone: OTel's exporters add
 * `otel.status_code` = ERROR beside it, which Zipkin's readers ignore and to-model.ts does not need
 * (it reads `error` alone as ERROR), while Zipkin data from Brave never has it; a span Zipkin held as
 * `error` only then comes back as Zipkin answers it (test/integration/api/zipkin-diff.int.test.ts).
 * A `peer.service` tag and `remoteEndpoint.serviceName` are one canonical attribute (as in OTel's
 * Zipkin receiver and exporter), written back as the endpoint.
 *
 * Not written: links (Zipkin has none; OTel's exporters drop them too), span warnings and clock-skew
 * adjustments (the times written are the merged, corrected ones). `sourceTag` adds a tag naming the
 * backends that held the span, comma-separated.
 */
import { compactTraceId, UNKNOWN_SERVICE } from '../../model/index.js';
import type { Attribute, Span, SpanEvent } from '../../model/index.js';
import { ENDPOINT_ATTRIBUTES, OTEL_TAGS, SPAN_KIND_TAG_BY_KIND } from '../otel/index.js';
import { DEBUG_ATTRIBUTE } from './to-model.js';
import type { ZipkinAnnotation, ZipkinEndpoint, ZipkinKind, ZipkinSpan } from './wire.js';

export interface ZipkinWriteOptions {
  /** Tag that names the backends which held each span (e.g. `tracegate.backend`); none when absent. */
  sourceTag?: string;
}

const KINDS: Readonly<Partial<Record<Span['kind'], ZipkinKind>>> = {
  CLIENT: 'CLIENT',
  SERVER: 'SERVER',
  PRODUCER: 'PRODUCER',
  CONSUMER: 'CONSUMER',
};

/** Attributes that become endpoint or flag fields rather than tags. */
const LIFTED = new Set<string>([...Object.values(ENDPOINT_ATTRIBUTES), DEBUG_ATTRIBUTE]);

export function spansToZipkinSpans(spans: readonly Span[], options: ZipkinWriteOptions = {}): ZipkinSpan[] {
  return spans.map((span) => spanToZipkinSpan(span, options));
}

export function spanToZipkinSpan(span: Span, options: ZipkinWriteOptions = {}): ZipkinSpan {
  // Keys in the order Zipkin's V2SpanWriter writes them.
  const out = { traceId: compactTraceId(span.traceId) } as ZipkinSpan;
  if (span.parentSpanId !== null) out.parentId = span.parentSpanId;
  out.id = span.spanId;
  const kind = KINDS[span.kind];
  if (kind !== undefined) out.kind = kind;
  if (span.name !== '') out.name = span.name;
  if (span.startTimeUs > 0) out.timestamp = span.startTimeUs;
  if (span.isDurationKnown) out.duration = span.durationUs;

  const byKey = new Map<string, Attribute>();
  for (const attribute of span.resource) byKey.set(attribute.key, attribute);
  for (const attribute of span.attributes) byKey.set(attribute.key, attribute);

  const local = endpoint(
    span.service === UNKNOWN_SERVICE ? undefined : span.service,
    byKey,
    ENDPOINT_ATTRIBUTES.localIp,
    ENDPOINT_ATTRIBUTES.localPort,
  );
  if (local !== undefined) out.localEndpoint = local;
  const peer = byKey.get(ENDPOINT_ATTRIBUTES.remoteService);
  const remote = endpoint(
    peer?.type === 'STRING' && peer.value !== '' ? String(peer.value) : undefined,
    byKey,
    ENDPOINT_ATTRIBUTES.remoteIp,
    ENDPOINT_ATTRIBUTES.remotePort,
  );
  if (remote !== undefined) out.remoteEndpoint = remote;

  const annotations = span.events.map(annotation);
  if (annotations.length > 0) out.annotations = annotations;

  const tags: Record<string, string> = {};
  for (const [key, attribute] of byKey) {
    if (LIFTED.has(key) && isLiftable(attribute)) continue;
    tags[key] = attributeText(attribute);
  }
  if (span.kind === 'INTERNAL') tags[OTEL_TAGS.spanKind] = SPAN_KIND_TAG_BY_KIND.INTERNAL;
  if (span.scope !== null) {
    tags[OTEL_TAGS.scopeName[0]] = span.scope.name;
    if (span.scope.version !== null) tags[OTEL_TAGS.scopeVersion[0]] = span.scope.version;
  }
  if (span.status.code === 'ERROR') tags[OTEL_TAGS.error] = span.status.message ?? 'true';
  else if (span.status.code === 'OK') {
    tags[OTEL_TAGS.statusCode] = span.status.code;
    if (span.status.message !== null) tags[OTEL_TAGS.statusDescription] = span.status.message;
  }
  if (options.sourceTag !== undefined) tags[options.sourceTag] = span.sources.join(',');
  const keys = Object.keys(tags).sort();
  if (keys.length > 0) out.tags = Object.fromEntries(keys.map((key) => [key, tags[key]!]));

  const debug = byKey.get(DEBUG_ATTRIBUTE);
  if (debug?.type === 'BOOL' && debug.value === true) out.debug = true;
  if (span.isSharedServer) out.shared = true;
  return out;
}

/** An endpoint attribute is lifted only in the form to-model.ts writes it; otherwise it stays a tag. */
function isLiftable(attribute: Attribute): boolean {
  switch (attribute.key) {
    case ENDPOINT_ATTRIBUTES.localPort:
    case ENDPOINT_ATTRIBUTES.remotePort:
      return isPort(attribute.value);
    case DEBUG_ATTRIBUTE:
      return attribute.type === 'BOOL' && attribute.value === true;
    default:
      return attribute.type === 'STRING' && attribute.value !== '';
  }
}

function endpoint(serviceName: string | undefined, byKey: Map<string, Attribute>, ipKey: string, portKey: string): ZipkinEndpoint | undefined {
  const out: ZipkinEndpoint = {};
  if (serviceName !== undefined) out.serviceName = serviceName;
  const ip = byKey.get(ipKey);
  if (ip !== undefined && isLiftable(ip)) {
    const text = String(ip.value);
    if (text.includes(':')) out.ipv6 = text;
    else out.ipv4 = text;
  }
  const port = byKey.get(portKey);
  if (port !== undefined && isPort(port.value)) out.port = port.value;
  return Object.keys(out).length > 0 ? out : undefined;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 65_535;
}

function annotation(event: SpanEvent): ZipkinAnnotation {
  if (event.attributes.length === 0) return { timestamp: event.timeUs, value: event.name };
  const folded: Record<string, unknown> = {};
  for (const attribute of event.attributes) folded[attribute.key] = attribute.value;
  return { timestamp: event.timeUs, value: `${event.name}|${JSON.stringify(folded)}|0` };
}

/** Zipkin tags are strings: scalars as their text (INT beyond 2^53 is already its exact digits), arrays and maps as JSON. */
function attributeText(attribute: Attribute): string {
  const value = attribute.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
