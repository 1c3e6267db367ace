/**
 * Canonical spans → Zipkin API v2 JSON (`POST /api/v2/spans`), the way Brave and OTel's Zipkin
 * exporter write them: µs times, string tags, annotations for events, `error` and `otel.status_code`
 * tags for status, `otel.scope.*` tags for the scope, `shared` for the server half of an RPC. What v2
 * cannot carry (links, resource attributes, event attributes, typed values) is the Zipkin backend's
 * declared loss in the contract suite. Used to load the integration dataset into Zipkin.
 */
import { attributeText, type Span } from '../../../src/model/index.js';
import type { ZipkinSpan } from '../../../src/formats/zipkin-v2/wire.js';

function tags(span: Span): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of span.attributes) out[a.key] = attributeText(a);
  if (span.kind === 'INTERNAL') out['span.kind'] = 'internal';
  if (span.status.code === 'ERROR') out.error = span.status.message ?? 'true';
  if (span.status.code === 'OK') out['otel.status_code'] = 'OK';
  if (span.scope) {
    out['otel.scope.name'] = span.scope.name;
    if (span.scope.version) out['otel.scope.version'] = span.scope.version;
  }
  return out;
}

export function toZipkinJson(spans: readonly Span[]): ZipkinSpan[] {
  return spans.map((span) => ({
    traceId: span.traceId.replace(/^0{16}/, ''),
    id: span.spanId,
    ...(span.parentSpanId ? { parentId: span.parentSpanId } : {}),
    name: span.name,
    ...(['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'].includes(span.kind) ? { kind: span.kind as NonNullable<ZipkinSpan['kind']> } : {}),
    timestamp: span.startTimeUs,
    duration: span.durationUs,
    localEndpoint: { serviceName: span.service },
    ...(span.isSharedServer ? { shared: true } : {}),
    annotations: span.events.map((e) => ({ timestamp: e.timeUs, value: e.name })),
    tags: tags(span),
  }));
}
