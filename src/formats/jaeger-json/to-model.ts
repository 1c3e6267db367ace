/**
 * Jaeger v1 JSON traces → canonical spans. Owns the v1 trace model only: HTTP and the choice between
 * the v1 and api_v3 endpoints live in client.ts and index.ts, api_v3's OTLP/JSON goes through
 * ../otlp-json/to-model.ts, and Jaeger's Elasticsearch documents are left to their own reader.
 *
 * Jaeger v2 stores OTLP and renders v1 JSON with the OTel Collector's translator, which turns OTLP
 * fields it has no v1 field for into synthetic tags (docs/formats/jaeger.md §1.8). This module reads them back and
 * removes them from the attributes: `span.kind` → kind; `error`, `otel.status_code`,
 * `otel.status_description` → status; `otel.scope.name`/`otel.scope.version` (and the older
 * `otel.library.*`) → scope. The rules follow the reverse translator, open-telemetry/
 * opentelemetry-collector-contrib `pkg/translator/jaeger/jaegerproto_to_traces.go`: a true `error`
 * tag wins over `otel.status_code`, and `error=false` stays an ordinary attribute. Unlike it, an
 * `error` tag holding other text (legacy Zipkin-style data) also means ERROR, with the text as the
 * message, as ../zipkin-v2/to-model.ts reads Zipkin's `error` tag.
 *
 * `w3c.tracestate` stays an attribute: the canonical span has no trace-state field, and
 * ../otlp-json/to-model.ts writes OTLP's `traceState` to the same attribute, so both Jaeger APIs agree.
 * Not handled: deriving ERROR from `http.status_code` (Jaeger's ES reader does; the v1 API already
 * shows the derived `otel.status_code`), and turning JSON-text tags back into OTLP arrays and maps.
 *
 * Pure: no I/O, no config, no logs. Odd data becomes a span warning; a span without a valid trace or
 * span id is skipped and reported in the trace's `warnings`.
 */
import {
  attributeText,
  canonicalDouble,
  cloneAttribute,
  findAttribute,
  newSpan,
  parseDoubleText,
  takeAttribute,
  tryParseSpanId,
  tryParseTraceId,
  UNKNOWN_SERVICE,
} from '../../model/index.js';
import type {
  Attribute,
  Micros,
  Span,
  SpanEvent,
  SpanId,
  SpanKind,
  SpanLink,
  SpanStatus,
  StatusCode,
  TraceId,
  WireFormat,
} from '../../model/index.js';
import { OTEL_TAGS, spanKindFromTag, statusCodeFromTag, takeScopeTags } from '../otel/index.js';
import {
  describeValue as describe,
  isObject,
  jaegerWarningTexts,
  stringifyJsonExact,
  takeJaegerWarnings,
  type SpanMapping,
} from '../shared/index.js';
import type {
  JaegerKeyValue,
  JaegerLog,
  JaegerProcess,
  JaegerReference,
  JaegerSpan,
  JaegerStructuredError,
  JaegerTrace,
  JaegerTracesResponse,
} from './wire.js';

/** One v1 trace object, mapped; `warnings` are the trace's own plus the spans that had to be skipped. */
export interface JaegerTraceMapping extends SpanMapping {
  /** The trace object's `traceID`, normalised; null when it is missing or invalid. */
  traceId: TraceId | null;
}

/** A `{data, errors}` envelope, mapped. `errors` are passed through for the client to classify. */
export interface JaegerResponseMapping {
  traces: JaegerTraceMapping[];
  errors: JaegerStructuredError[];
}

/** The log field that carries an OTLP event's name. */
const EVENT_NAME_FIELD = 'event';
/**
 * Name for a log without an `event` field: empty, as OTel's translator reads it
 * (jaegerproto_to_traces.go) and as Jaeger's own readers return it. The translator writes no `event`
 * field for an OTLP event with an empty name, so any other default would rename such events.
 */
const DEFAULT_EVENT_NAME = '';
/** serviceName the translator writes for a resource without attributes (docs/formats/jaeger.md §1.8). */
export const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

/** Maps one v1 trace object; every span carries `sources: [source]`. */
export function jaegerTraceToSpans(trace: JaegerTrace, source: string, format: WireFormat = 'jaeger-json'): Span[] {
  return mapJaegerTrace(trace, source, format).spans;
}

/** Maps a `{data: [trace…], errors}` envelope (`GET /api/traces…`, or a Jaeger UI download). */
export function jaegerResponseToTraces(response: JaegerTracesResponse, source: string, format: WireFormat = 'jaeger-json'): JaegerResponseMapping {
  const data = Array.isArray(response?.data) ? response.data : [];
  const errors = Array.isArray(response?.errors) ? response.errors.filter(isObject) : [];
  return { traces: data.filter(isObject).map((trace) => mapJaegerTrace(trace, source, format)), errors };
}

/** Like jaegerTraceToSpans, keeping the trace-level warnings. */
export function mapJaegerTrace(trace: JaegerTrace, source: string, format: WireFormat = 'jaeger-json'): JaegerTraceMapping {
  const warnings = Array.isArray(trace?.warnings) ? trace.warnings.map(String) : [];
  const processes: ProcessCache = { byId: new Map(), inline: new Map() };
  const spans: Span[] = [];
  const wireSpans = Array.isArray(trace?.spans) ? trace.spans : [];
  for (const wire of wireSpans) {
    if (!isObject(wire)) {
      warnings.push(`skipped a span that is not an object: ${describe(wire)}`);
      continue;
    }
    const span = mapSpan(wire, trace, processes, source, format);
    if (typeof span === 'string') warnings.push(span);
    else spans.push(span);
  }
  return { traceId: tryParseTraceId(trace?.traceID) ?? null, spans, warnings };
}

interface MappedProcess {
  service: string;
  resource: Attribute[];
  warnings: string[];
}

/** The span, or the reason it was skipped. */
function mapSpan(wire: JaegerSpan, trace: JaegerTrace, processes: ProcessCache, source: string, format: WireFormat): Span | string {
  const traceId = tryParseTraceId(wire.traceID ?? trace.traceID);
  const spanId = tryParseSpanId(wire.spanID);
  if (traceId === undefined) return `skipped span '${String(wire.operationName ?? '')}': traceID ${describe(wire.traceID)} is not 1–32 hex digits`;
  if (spanId === undefined) return `skipped span '${String(wire.operationName ?? '')}': spanID ${describe(wire.spanID)} is not 1–16 hex digits`;

  const warnings: string[] = [];
  const process = lookUpProcess(wire, trace, processes);
  warnings.push(...process.warnings);

  const attributes = mapKeyValues(wire.tags, 'tag', warnings);
  // Written by Jaeger's span sanitizer; its v1 API shows it as span warnings, its ES index as a tag.
  const jaegerWarnings = takeJaegerWarnings(attributes);
  const kind = takeKind(attributes, warnings);
  const status = takeStatus(attributes, warnings);
  const scope = takeScopeTags((key) => takeAttribute(attributes, key));
  const { parentSpanId, links } = mapReferences(wire, traceId, warnings);
  const ownWarnings = jaegerWarningTexts(wire.warnings);

  return newSpan({
    traceId,
    spanId,
    parentSpanId,
    name: typeof wire.operationName === 'string' ? wire.operationName : '',
    kind,
    service: process.service,
    resource: process.resource.length === 0 ? [] : process.resource.map(cloneAttribute),
    scope,
    startTimeUs: micros(wire.startTime, 'startTime', warnings, { zeroIsUnset: true }),
    durationUs: micros(wire.duration, 'duration', warnings),
    status,
    attributes,
    events: mapLogs(wire.logs, warnings),
    links,
    sources: [source],
    wireFormat: format,
    // Jaeger's own (adjuster) warnings first, then ours.
    warnings: ownWarnings.length === 0 && jaegerWarnings.length === 0 ? warnings : [...ownWarnings, ...jaegerWarnings, ...warnings],
  });
}

/** Processes mapped so far in one trace: by processID, and inline ones by content (inlineProcessKey). */
interface ProcessCache {
  byId: Map<string, MappedProcess>;
  inline: Map<string, MappedProcess>;
}

function lookUpProcess(wire: JaegerSpan, trace: JaegerTrace, cache: ProcessCache): MappedProcess {
  const id = typeof wire.processID === 'string' ? wire.processID : undefined;
  if (id !== undefined) {
    const cached = cache.byId.get(id);
    if (cached) return cached;
    const process = isObject(trace.processes) ? trace.processes[id] : undefined;
    if (isObject(process)) {
      const mapped = mapProcess(process);
      cache.byId.set(id, mapped);
      return mapped;
    }
  }
  // jaeger-ui's transformed downloads (and Elasticsearch documents) carry the process inline: one per
  // span, mostly the same few, so each distinct one is mapped once, keyed by content.
  if (isObject(wire.process)) {
    const key = inlineProcessKey(wire.process);
    if (key === undefined) return mapProcess(wire.process);
    const cached = cache.inline.get(key);
    if (cached) return cached;
    const mapped = mapProcess(wire.process);
    cache.inline.set(key, mapped);
    return mapped;
  }
  return {
    service: UNKNOWN_SERVICE,
    resource: [],
    warnings: [`process ${describe(wire.processID)} is not in the trace's processes; service set to '${UNKNOWN_SERVICE}'`],
  };
}

/**
 * A key that is equal only for inline processes that map to the same result: service name and every
 * tag's key, type and scalar value. Undefined (map it, do not cache) for anything else: a value that
 * is an object, -0 (which JSON writes as 0), a tag that is not a plain object.
 */
function inlineProcessKey(process: JaegerProcess): string | undefined {
  const service = process.serviceName;
  if (service !== undefined && typeof service !== 'string') return undefined;
  const parts: unknown[] = [service ?? null];
  const tags = process.tags;
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags)) return undefined;
    for (const tag of tags) {
      if (!isObject(tag)) return undefined;
      const { key, type, value } = tag;
      if (typeof key !== 'string' || (type !== undefined && typeof type !== 'string')) return undefined;
      const kind = typeof value;
      if (kind !== 'string' && kind !== 'number' && kind !== 'boolean' && kind !== 'bigint') return undefined;
      if (Object.is(value, -0)) return undefined;
      parts.push(key, type ?? null, kind, kind === 'bigint' ? String(value) : value);
    }
  } else parts.push(tags === null ? 'null' : 'absent');
  // JSON text: unambiguous whatever the strings hold.
  return JSON.stringify(parts);
}

function mapProcess(process: JaegerProcess): MappedProcess {
  const warnings: string[] = [];
  const resource = mapKeyValues(process.tags, 'process tag', warnings);
  const name = process.serviceName;
  if (typeof name !== 'string' || name === '' || name === NO_SERVICE_NAME) {
    warnings.push(`resource has no service.name; service set to '${UNKNOWN_SERVICE}'`);
    return { service: UNKNOWN_SERVICE, resource, warnings };
  }
  return { service: name, resource, warnings };
}

/**
 * Parent = the first CHILD_OF reference in the span's own trace, else the first such FOLLOWS_FROM
 * (as Jaeger's Elasticsearch reader decides); every other reference becomes a link that keeps its
 * type. The deprecated `parentSpanID` field is used only when no reference names a parent.
 */
function mapReferences(wire: JaegerSpan, traceId: TraceId, warnings: string[]): { parentSpanId: SpanId | null; links: SpanLink[] } {
  const refs: Array<{ refType: SpanLink['refType']; traceId: TraceId; spanId: SpanId }> = [];
  if (Array.isArray(wire.references)) {
    for (const ref of wire.references) {
      const mapped = mapReference(ref, traceId, warnings);
      if (mapped) refs.push(mapped);
    }
  }
  let parentIndex = firstReference(refs, 'CHILD_OF', traceId);
  if (parentIndex < 0) parentIndex = firstReference(refs, 'FOLLOWS_FROM', traceId);

  let parentSpanId: SpanId | null = parentIndex >= 0 ? refs[parentIndex]!.spanId : null;
  if (parentSpanId === null && typeof wire.parentSpanID === 'string' && !/^0*$/.test(wire.parentSpanID)) {
    parentSpanId = tryParseSpanId(wire.parentSpanID) ?? null;
    if (parentSpanId === null) warnings.push(`parentSpanID ${describe(wire.parentSpanID)} is not a valid span id; treated as a root`);
  }
  const links: SpanLink[] = [];
  for (let i = 0; i < refs.length; i++) if (i !== parentIndex) links.push({ ...refs[i]!, attributes: [] });
  return { parentSpanId, links };
}

function firstReference(
  refs: ReadonlyArray<{ refType: SpanLink['refType']; traceId: TraceId }>,
  refType: SpanLink['refType'],
  traceId: TraceId,
): number {
  for (let i = 0; i < refs.length; i++) if (refs[i]!.refType === refType && refs[i]!.traceId === traceId) return i;
  return -1;
}

function mapReference(ref: JaegerReference, spanTraceId: TraceId, warnings: string[]) {
  if (!isObject(ref)) return undefined;
  // A reference without traceID points into the span's own trace.
  const traceId = ref.traceID === undefined ? spanTraceId : tryParseTraceId(ref.traceID);
  const spanId = tryParseSpanId(ref.spanID);
  if (traceId === undefined || spanId === undefined) {
    warnings.push(`dropped a reference with invalid ids (traceID ${describe(ref.traceID)}, spanID ${describe(ref.spanID)})`);
    return undefined;
  }
  let refType: SpanLink['refType'] = null;
  if (ref.refType === 'CHILD_OF' || ref.refType === 'FOLLOWS_FROM') refType = ref.refType;
  else warnings.push(`reference to span ${spanId} has unknown refType ${describe(ref.refType)} (expected CHILD_OF or FOLLOWS_FROM); kept as a link`);
  return { refType, traceId, spanId };
}

function mapLogs(logs: JaegerLog[] | null | undefined, warnings: string[]): SpanEvent[] {
  if (!Array.isArray(logs)) return [];
  const events: SpanEvent[] = [];
  for (const log of logs) {
    if (!isObject(log)) continue;
    const attributes = mapKeyValues(log.fields, 'log field', warnings);
    const nameField = takeAttribute(attributes, EVENT_NAME_FIELD);
    const name = nameField === undefined ? DEFAULT_EVENT_NAME : attributeText(nameField);
    events.push({ name, timeUs: micros(log.timestamp, `log '${name}' timestamp`, warnings), attributes });
  }
  return events;
}

function takeKind(attributes: Attribute[], warnings: string[]): SpanKind {
  const tag = findAttribute(attributes, OTEL_TAGS.spanKind);
  if (tag === undefined) return 'UNSPECIFIED';
  const kind = spanKindFromTag(tag.value);
  if (kind === undefined) {
    warnings.push(`span.kind tag ${describe(tag.value)} is not client, server, producer, consumer or internal; kept as an attribute`);
    return 'UNSPECIFIED';
  }
  takeAttribute(attributes, OTEL_TAGS.spanKind);
  return kind;
}

function takeStatus(attributes: Attribute[], warnings: string[]): SpanStatus {
  let isError = false;
  let errorText: string | null = null;
  const errorTag = findAttribute(attributes, OTEL_TAGS.error);
  if (errorTag !== undefined) {
    const { value } = errorTag;
    const text = typeof value === 'string' ? value.trim().toLowerCase() : null;
    if (value === true || text === 'true') isError = true;
    else if (typeof value === 'string' && text !== '' && text !== 'false') {
      isError = true;
      errorText = value;
    }
    if (isError) takeAttribute(attributes, OTEL_TAGS.error);
  }

  let code: StatusCode = 'UNSET';
  const codeTag = takeAttribute(attributes, OTEL_TAGS.statusCode);
  if (codeTag !== undefined) code = statusCodeFromTag(codeTag, warnings) ?? code;
  if (isError) {
    if (code === 'OK') warnings.push(`the error tag says ERROR but otel.status_code says OK; ERROR kept`);
    code = 'ERROR';
  }
  if (code === 'UNSET') return { code, message: null };
  const description = takeAttribute(attributes, OTEL_TAGS.statusDescription);
  const message = description !== undefined ? attributeText(description) : errorText;
  return { code, message: message === '' ? null : message };
}

/** Typed key/values → attributes. `what` names the list in warnings ("tag", "log field"). */
export function mapKeyValues(raw: readonly JaegerKeyValue[] | null | undefined, what: string, warnings: string[]): Attribute[] {
  if (!Array.isArray(raw)) return [];
  const attributes: Attribute[] = [];
  for (const kv of raw) {
    if (!isObject(kv) || typeof kv.key !== 'string') {
      warnings.push(`dropped a ${what} without a key: ${describe(kv)}`);
      continue;
    }
    attributes.push(keyValueToAttribute(kv.key, kv.type, kv.value, what, warnings));
  }
  return attributes;
}

function keyValueToAttribute(key: string, type: unknown, value: unknown, what: string, warnings: string[]): Attribute {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? { key, type: 'STRING', value } : odd(key, type, value, what, 'a string', warnings);
    case 'bool':
      if (typeof value === 'boolean') return { key, type: 'BOOL', value };
      // jaeger-ui's own fixtures write `"type":"bool","value":"true"`.
      if (value === 'true' || value === 'false') return { key, type: 'BOOL', value: value === 'true' };
      return odd(key, type, value, what, 'true or false', warnings);
    case 'int64': {
      const int = int64(value);
      return int === undefined ? odd(key, type, value, what, 'an integer', warnings) : { key, type: 'INT', value: int };
    }
    case 'float64':
      if (typeof value === 'number') return { key, type: 'DOUBLE', value: canonicalDouble(value) };
      // An integral float64 beyond 2^53 written out in digits reaches here as a bigint.
      if (typeof value === 'bigint') return { key, type: 'DOUBLE', value: Number(value) };
      if (typeof value === 'string') {
        // Writers that store values as text (older ES writers) spell NaN and ±Inf as Go prints them.
        const double = parseDoubleText(value);
        if (double !== undefined) return { key, type: 'DOUBLE', value: double };
      }
      return odd(key, type, value, what, 'a number', warnings);
    case 'binary':
      return typeof value === 'string' ? { key, type: 'BYTES', value } : odd(key, type, value, what, 'base64 text', warnings);
    case undefined:
    case '':
      // `type` is omitempty in Go; infer it from the JSON value.
      if (typeof value === 'string') return { key, type: 'STRING', value };
      if (typeof value === 'boolean') return { key, type: 'BOOL', value };
      if (typeof value === 'number') return Number.isInteger(value) ? { key, type: 'INT', value } : { key, type: 'DOUBLE', value };
      if (typeof value === 'bigint') return { key, type: 'INT', value: value.toString() };
      return odd(key, type, value, what, 'a string, boolean or number', warnings);
    default:
      return odd(key, type, value, what, 'one of string, bool, int64, float64, binary', warnings);
  }
}

/** A key/value whose value does not fit its type: kept as text, with a warning. */
function odd(key: string, type: unknown, value: unknown, what: string, expected: string, warnings: string[]): Attribute {
  warnings.push(`${what} '${key}' has type ${describe(type)} but value ${describe(value)} (expected ${expected}); kept as text`);
  return { key, type: 'STRING', value: typeof value === 'string' ? value : (stringifyJsonExact(value) ?? '') };
}

/**
 * int64 as a number when it fits a double exactly, else its decimal text; undefined when not an
 * integer. Jaeger writes it as a JSON number, which arrives as a bigint beyond ±2^53 when the body was
 * read with ../shared/exact-json.ts, or as decimal text (older writers, jaeger-ui downloads).
 */
function int64(value: unknown): number | string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^-?\d+$/.test(text)) return undefined;
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : text;
}

/**
 * A µs time or duration; 0 and a warning when missing or not a non-negative number. A duration of 0
 * is real (a sub-µs span); a start time of 0 means the tracer never set it. Past 2^53 µs (the year
 * 2255) a double skips microseconds; such a value, a bigint from ../shared/exact-json.ts or long digit
 * text, is a broken clock or a unit mix-up, so it gets a warning rather than a rounded time.
 */
function micros(raw: unknown, field: string, warnings: string[], options: { zeroIsUnset?: boolean } = {}): Micros {
  const value = (typeof raw === 'string' && /^\d+$/.test(raw.trim())) || typeof raw === 'bigint' ? Number(raw) : raw;
  if (value === 0 && options.zeroIsUnset) {
    warnings.push(`${field} is 0 (unset)`);
    return 0;
  }
  if (typeof value === 'number' && value > Number.MAX_SAFE_INTEGER) {
    warnings.push(`${field} ${describe(raw)} is beyond 2^53 µs; 0 used`);
    return 0;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.trunc(value);
  warnings.push(`${field} ${describe(raw)} is not a microsecond count; 0 used`);
  return 0;
}
