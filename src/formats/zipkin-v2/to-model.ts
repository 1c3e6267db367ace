/**
 * Zipkin API v2 spans → canonical spans. Owns the span mapping only: HTTP, trace grouping and
 * Zipkin's query semantics live in client.ts and index.ts. Follows openzipkin/zipkin-api
 * `zipkin2-api.yaml` (notes in docs/formats/zipkin.md §2) and, for the names of what Zipkin
 * has and OTel has not, the OTel Collector's Zipkin receiver, open-telemetry/
 * opentelemetry-collector-contrib `pkg/translator/zipkin/zipkinv2/to_translator.go`. Jaeger v2 takes
 * Zipkin spans through that receiver, so a span reported to both Zipkin and Jaeger maps to the same
 * attributes here and in ../jaeger-json/to-model.ts, which is what lets dedupe fold the copies:
 *
 * | Zipkin                          | canonical                                             |
 * |---------------------------------|-------------------------------------------------------|
 * | kind CLIENT/SERVER/…, absent    | same kind; absent → UNSPECIFIED ("local or incomplete") |
 * | localEndpoint.serviceName       | service (`unknown_service` + warning when absent)     |
 * | localEndpoint.ipv4/ipv6, port   | attributes `net.host.ip` (STRING), `net.host.port` (INT) |
 * | remoteEndpoint.serviceName      | attribute `peer.service`                              |
 * | remoteEndpoint.ipv4/ipv6, port  | attributes `net.peer.ip` (STRING), `net.peer.port` (INT) |
 * | tags                            | STRING attributes, except the status and scope tags below |
 * | tag `otel.status_code` (+ `otel.status_description`) | status code (+ message), as OTel's Zipkin exporters write it |
 * | tag `error`                     | status ERROR, message = the tag's text unless it is "" or "true"; "false" stays an attribute |
 * | tags `otel.scope.*`/`otel.library.*` | scope                                           |
 * | annotations                     | events named by `value`, without attributes           |
 * | shared: true                    | isSharedServer                                        |
 * | debug: true                     | attribute `zipkin.debug` (BOOL)                       |
 *
 * The endpoint names are the OTel semantic conventions of the receiver (v1.6.1) rather than today's
 * `network.peer.address`/`server.address`, for the dedupe reason above; when both ipv4 and ipv6 are
 * set, ipv6 wins, as in the receiver. A tag with the same name as an endpoint attribute loses to the
 * endpoint. `error` tags set ERROR whatever their text, as Zipkin's UI reads them (lens
 * `span-row.js getErrorType`); the receiver only honours "true", which loses the message that
 * Brave and OTel's exporters put there.
 *
 * Pure: no I/O, no config, no logs. Odd data becomes a span warning; a span without a valid trace or
 * span id is skipped and reported in the mapping's document-level `warnings`.
 */
import { newSpan, tryParseSpanId, tryParseTraceId, UNKNOWN_SERVICE } from '../../model/index.js';
import type { Attribute, Micros, Span, SpanEvent, SpanId, SpanKind, SpanStatus, StatusCode, WireFormat } from '../../model/index.js';
import { ENDPOINT_ATTRIBUTES, OTEL_TAGS, spanKindFromTag, statusCodeFromTag, takeScopeTags } from '../otel/index.js';
import { describeValue as describe, isObject, type SpanMapping } from '../shared/index.js';
import type { ZipkinAnnotation, ZipkinEndpoint, ZipkinSpan } from './wire.js';

export const ZIPKIN_SPAN_KINDS: Readonly<Record<string, SpanKind>> = {
  CLIENT: 'CLIENT',
  SERVER: 'SERVER',
  PRODUCER: 'PRODUCER',
  CONSUMER: 'CONSUMER',
};

export const DEBUG_ATTRIBUTE = 'zipkin.debug';

/** Maps one trace's spans (or any list of spans); every span carries `sources: [source]`. */
export function zipkinSpansToSpans(spans: readonly ZipkinSpan[], source: string, format: WireFormat = 'zipkin-v2'): Span[] {
  return mapZipkinSpans(spans, source, format).spans;
}

/** Like zipkinSpansToSpans, and also returns the problems that belong to no span. */
export function mapZipkinSpans(spans: readonly ZipkinSpan[], source: string, format: WireFormat = 'zipkin-v2'): SpanMapping {
  const out: Span[] = [];
  const warnings: string[] = [];
  for (const wire of Array.isArray(spans) ? spans : []) {
    const span = mapSpan(wire, source, format);
    if (typeof span === 'string') warnings.push(span);
    else out.push(span);
  }
  return { spans: out, warnings };
}

/** The span, or the reason it was skipped. */
function mapSpan(wire: ZipkinSpan, source: string, format: WireFormat): Span | string {
  if (!isObject(wire)) return `skipped a span that is not an object: ${describe(wire)}`;
  // Zipkin writes 64-bit trace ids as 16 hex digits; parsing left-pads them to 32.
  const traceId = tryParseTraceId(wire.traceId);
  const spanId = tryParseSpanId(wire.id);
  if (traceId === undefined) return `skipped span '${String(wire.name ?? '')}': traceId ${describe(wire.traceId)} is not 1–32 hex digits`;
  if (spanId === undefined) return `skipped span '${String(wire.name ?? '')}': id ${describe(wire.id)} is not 1–16 hex digits`;

  const warnings: string[] = [];
  const tags = mapTags(wire.tags, warnings);
  const kind = mapKind(wire.kind, tags, warnings);
  const status = takeStatus(tags, warnings);
  const scope = takeScopeTags((key) => take(tags, key));
  const attributes = [...tags.values()];
  if (wire.remoteEndpoint !== undefined || hasAddress(wire.localEndpoint))
    addEndpointAttributes(attributes, wire.localEndpoint, wire.remoteEndpoint, warnings);
  if (wire.debug === true) attributes.push({ key: DEBUG_ATTRIBUTE, type: 'BOOL', value: true });

  let isSharedServer = wire.shared === true;
  if (isSharedServer && kind === 'CLIENT') {
    // Zipkin drops `shared` on CLIENT spans on ingest; a file may still carry it.
    warnings.push(`shared is set on a CLIENT span; ignored (only a SERVER span can share its client's id)`);
    isSharedServer = false;
  }

  return newSpan({
    traceId,
    spanId,
    parentSpanId: mapParent(wire, spanId, warnings),
    name: typeof wire.name === 'string' ? wire.name : '',
    kind,
    service: mapService(wire.localEndpoint, warnings),
    scope,
    startTimeUs: micros(wire.timestamp, 'timestamp', warnings),
    durationUs: micros(wire.duration, 'duration', warnings),
    // Absent (or ≤ 0, or unreadable): Zipkin's "incomplete or one-way span", not a 0 µs one.
    isDurationKnown: micros(wire.duration, 'duration', []) > 0,
    status,
    attributes,
    events: mapAnnotations(wire.annotations, warnings),
    isSharedServer,
    sources: [source],
    wireFormat: format,
    warnings,
  });
}

function mapParent(wire: ZipkinSpan, spanId: SpanId, warnings: string[]): SpanId | null {
  const raw = wire.parentId;
  // Absent, empty and all zeros all mean "root" in Zipkin.
  if (raw === undefined || raw === null || (typeof raw === 'string' && /^0*$/.test(raw))) return null;
  const parent = tryParseSpanId(raw);
  if (parent === undefined) {
    warnings.push(`parentId ${describe(raw)} is not a valid span id; treated as a root`);
    return null;
  }
  if (parent === spanId) {
    warnings.push(`parentId equals the span's own id; treated as a root`);
    return null;
  }
  return parent;
}

function mapService(endpoint: ZipkinEndpoint | undefined, warnings: string[]): string {
  const name = isObject(endpoint) ? endpoint.serviceName : undefined;
  if (typeof name === 'string' && name !== '') return name;
  warnings.push(`localEndpoint has no serviceName; service set to '${UNKNOWN_SERVICE}'`);
  return UNKNOWN_SERVICE;
}

function mapKind(raw: unknown, tags: Map<string, Attribute>, warnings: string[]): SpanKind {
  if (raw === undefined || raw === null) {
    // The receiver reads the tag only on a span without `kind` (for "internal", which Zipkin lacks).
    const fromTag = spanKindFromTag(tags.get(OTEL_TAGS.spanKind)?.value);
    if (fromTag === undefined) return 'UNSPECIFIED';
    tags.delete(OTEL_TAGS.spanKind);
    return fromTag;
  }
  const kind = typeof raw === 'string' ? ZIPKIN_SPAN_KINDS[raw.toUpperCase()] : undefined;
  if (kind === undefined) {
    warnings.push(`unknown kind ${describe(raw)} (expected CLIENT, SERVER, PRODUCER or CONSUMER); kind set to UNSPECIFIED`);
    return 'UNSPECIFIED';
  }
  return kind;
}

/** Tags keyed by name, in wire order. Values should be strings; numbers and booleans are read as text. */
function mapTags(raw: Record<string, unknown> | undefined, warnings: string[]): Map<string, Attribute> {
  const tags = new Map<string, Attribute>();
  if (raw === undefined || raw === null) return tags;
  if (!isObject(raw)) {
    warnings.push(`tags is not an object (got ${describe(raw)}); ignored`);
    return tags;
  }
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') tags.set(key, { key, type: 'STRING', value });
    else if (typeof value === 'number' || typeof value === 'boolean') {
      warnings.push(`tag '${key}' is a ${typeof value}, not a string; kept as text`);
      tags.set(key, { key, type: 'STRING', value: String(value) });
    } else if (typeof value === 'bigint') {
      // A JSON number beyond ±2^53, kept exact by ../shared/exact-json.ts: its digits, not a rounded double's.
      warnings.push(`tag '${key}' is a number, not a string; kept as text`);
      tags.set(key, { key, type: 'STRING', value: value.toString() });
    } else warnings.push(`tag '${key}' has value ${describe(value)}, not a string; dropped`);
  }
  return tags;
}

function takeStatus(tags: Map<string, Attribute>, warnings: string[]): SpanStatus {
  let code: StatusCode = 'UNSET';
  let message: string | null = null;
  const codeTag = take(tags, OTEL_TAGS.statusCode);
  if (codeTag !== undefined) {
    // Tags are STRING attributes by now (mapTags).
    code = statusCodeFromTag(codeTag, warnings) ?? code;
    const description = take(tags, OTEL_TAGS.statusDescription);
    if (description !== undefined && description.value !== '') message = String(description.value);
  }

  const errorTag = tags.get(OTEL_TAGS.error);
  if (errorTag !== undefined) {
    const text = String(errorTag.value);
    if (text.trim().toLowerCase() !== 'false') {
      tags.delete(OTEL_TAGS.error);
      if (code === 'OK') warnings.push(`the error tag says ERROR but otel.status_code says OK; ERROR kept`);
      code = 'ERROR';
      // Brave and OTel's Zipkin exporters put the error message in the tag; "true" carries none.
      if (message === null && text !== '' && text.trim().toLowerCase() !== 'true') message = text;
    }
  }
  return { code, message: code === 'UNSET' ? null : message };
}

function addEndpointAttributes(
  attributes: Attribute[],
  local: ZipkinEndpoint | undefined,
  remote: ZipkinEndpoint | undefined,
  warnings: string[],
): void {
  const put = (attribute: Attribute): void => putEndpointAttribute(attributes, attribute, warnings);
  if (isObject(local)) {
    const ip = endpointIp(local);
    if (ip !== undefined) put({ key: ENDPOINT_ATTRIBUTES.localIp, type: 'STRING', value: ip });
    if (isPort(local.port)) put({ key: ENDPOINT_ATTRIBUTES.localPort, type: 'INT', value: local.port });
  }
  if (isObject(remote)) {
    if (typeof remote.serviceName === 'string' && remote.serviceName !== '') {
      put({ key: ENDPOINT_ATTRIBUTES.remoteService, type: 'STRING', value: remote.serviceName });
    }
    const ip = endpointIp(remote);
    if (ip !== undefined) put({ key: ENDPOINT_ATTRIBUTES.remoteIp, type: 'STRING', value: ip });
    if (isPort(remote.port)) put({ key: ENDPOINT_ATTRIBUTES.remotePort, type: 'INT', value: remote.port });
  }
}

/** An endpoint's attribute over a tag of the same name, saying so when their values differ. */
function putEndpointAttribute(attributes: Attribute[], attribute: Attribute, warnings: string[]): void {
  let index = -1;
  for (let i = 0; i < attributes.length; i++) {
    if (attributes[i]!.key === attribute.key) {
      index = i;
      break;
    }
  }
  if (index < 0) {
    attributes.push(attribute);
    return;
  }
  if (String(attributes[index]!.value) !== String(attribute.value)) {
    warnings.push(
      `tag '${attribute.key}' (${describe(attributes[index]!.value)}) differs from the endpoint's ${describe(attribute.value)}; the endpoint's value kept`,
    );
  }
  attributes[index] = attribute;
}

function endpointIp(endpoint: ZipkinEndpoint): string | undefined {
  if (typeof endpoint.ipv6 === 'string' && endpoint.ipv6 !== '') return endpoint.ipv6;
  if (typeof endpoint.ipv4 === 'string' && endpoint.ipv4 !== '') return endpoint.ipv4;
  return undefined;
}

/** Whether a local endpoint holds more than its service name. */
function hasAddress(local: ZipkinEndpoint | undefined): boolean {
  return isObject(local) && (local.ipv4 !== undefined || local.ipv6 !== undefined || local.port !== undefined);
}

function isPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port > 0;
}

function mapAnnotations(raw: ZipkinAnnotation[] | undefined, warnings: string[]): SpanEvent[] {
  if (!Array.isArray(raw)) return [];
  const events: SpanEvent[] = [];
  for (const annotation of raw) {
    if (!isObject(annotation)) continue;
    const name = typeof annotation.value === 'string' ? annotation.value : String(annotation.value ?? '');
    events.push({ name, timeUs: micros(annotation.timestamp, `annotation '${name}' timestamp`, warnings), attributes: [] });
  }
  return events;
}

/** µs; Zipkin's "absent or ≤ 0 = unknown" becomes 0 and a warning. */
function micros(raw: unknown, field: string, warnings: string[]): Micros {
  // Past 2^53 µs (the year 2255) a double skips microseconds: a broken clock or a unit mix-up, not a time
  // to round. Such a JSON number arrives as a bigint from ../shared/exact-json.ts.
  const value = typeof raw === 'bigint' ? Number(raw) : raw;
  if (typeof value === 'number' && value > Number.MAX_SAFE_INTEGER) {
    warnings.push(`${field} ${describe(raw)} is beyond 2^53 µs; 0 used`);
    return 0;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.trunc(value);
  warnings.push(raw === undefined ? `${field} is missing; 0 used` : `${field} ${describe(raw)} is not a positive microsecond count; 0 used`);
  return 0;
}

function take(tags: Map<string, Attribute>, key: string): Attribute | undefined {
  const tag = tags.get(key);
  tags.delete(key);
  return tag;
}
