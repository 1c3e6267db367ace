/**
 * Elasticsearch span documents → canonical spans, for both schemas. This module only reshapes a
 * document into the wire format its collector's query API speaks and hands it to that format's
 * mapper, so a span reads the same through Jaeger's API, Zipkin's API and their Elasticsearch indices:
 *
 * - Jaeger documents (jaeger.md §3.4) become v1 JSON spans for ../jaeger-json/to-model.ts, as Jaeger's own
 *   reader does (`internal/storage/v2/elasticsearch/tracestore/core/dbmodel` → v1 model): binary tag
 *   values go from hex to base64; `tag`/`process.tag` objects (`tags_as_fields`) become typed tags with
 *   the dot replacement undone (an integral JSON number is int64, any other number float64, as Jaeger's
 *   `convertTagField` reads it); `null` collections become empty; the process stays inline.
 * - Zipkin documents (zipkin.md §3.4) are API v2 spans plus `timestamp_millis` (and `_q`, which
 *   `_source` never holds); both are dropped before ../zipkin-v2/to-model.ts maps the rest.
 *
 * Also here: stored service names and Zipkin kinds → canonical, for the names lists. Pure: no I/O, no
 * config, no logs. Odd data becomes a span warning; a document without valid ids is skipped and
 * counted in the mapping's `warnings`.
 */
import { UNKNOWN_SERVICE, type Span, type SpanKind } from '../../model/index.js';
import { mapJaegerTrace } from '../jaeger-json/to-model.js';
import type { JaegerKeyValue, JaegerSpan } from '../jaeger-json/wire.js';
import { describeValue as describe } from '../shared/describe-value.js';
import { stringifyJsonExact } from '../shared/exact-json.js';
import { mapZipkinSpans, ZIPKIN_SPAN_KINDS } from '../zipkin-v2/to-model.js';
import type { ZipkinSpan } from '../zipkin-v2/wire.js';
import type { EsSchema } from '../../backends/elasticsearch/index-names.js';
import type { JaegerEsKeyValue, JaegerEsSpan, ZipkinEsSpan } from './wire.js';

export interface EsMapping {
  spans: Span[];
  /** Documents that could not become spans, and why. */
  warnings: string[];
}

export interface JaegerDocOptions {
  /** `tags_as_fields.dot_replacement`: '@' unless Jaeger was configured otherwise. */
  tagDotReplacement: string;
}

/** Maps span documents of one schema; every span carries `sources: [source]`. */
export function esDocsToSpans(schema: EsSchema, docs: readonly unknown[], source: string, options: JaegerDocOptions): EsMapping {
  return schema === 'jaeger' ? mapJaegerDocs(docs as JaegerEsSpan[], source, options) : mapZipkinDocs(docs as ZipkinEsSpan[], source);
}

export function mapJaegerDocs(docs: readonly JaegerEsSpan[], source: string, options: JaegerDocOptions): EsMapping {
  const spans = docs.map((doc) => jaegerDocToV1(doc, options));
  const mapped = mapJaegerTrace({ spans }, source, 'es-jaeger');
  return { spans: mapped.spans, warnings: mapped.warnings };
}

export function mapZipkinDocs(docs: readonly ZipkinEsSpan[], source: string): EsMapping {
  return mapZipkinSpans(docs.map(zipkinDocToV2), source, 'es-zipkin');
}

/** One Jaeger document as a v1 JSON span. Conversion warnings ride in the v1 `warnings`, which the mapper keeps. */
export function jaegerDocToV1(doc: JaegerEsSpan, options: JaegerDocOptions): JaegerSpan {
  if (!isObject(doc)) return doc as JaegerSpan;
  const warnings: string[] = [];
  const process = isObject(doc.process) ? doc.process : undefined;
  const span: JaegerSpan = {
    traceID: doc.traceID,
    spanID: doc.spanID,
    operationName: doc.operationName,
    references: Array.isArray(doc.references) ? doc.references : [],
    startTime: doc.startTime,
    duration: doc.duration,
    tags: [...keyValues(doc.tags, 'tag', warnings), ...tagFields(doc.tag, 'tag', options, warnings)],
    logs: Array.isArray(doc.logs)
      ? doc.logs.map((log) => (isObject(log) ? { timestamp: log.timestamp, fields: keyValues(log.fields, 'log field', warnings) } : log))
      : [],
    process: {
      ...(process?.serviceName !== undefined ? { serviceName: process.serviceName } : {}),
      tags: [...keyValues(process?.tags, 'process tag', warnings), ...tagFields(process?.tag, 'process tag', options, warnings)],
    },
  };
  if (doc.parentSpanID !== undefined) span.parentSpanID = doc.parentSpanID;
  if (doc.flags !== undefined) span.flags = doc.flags;
  if (process === undefined) delete span.process;
  if (warnings.length > 0) span.warnings = warnings;
  return span;
}

function keyValues(raw: readonly JaegerEsKeyValue[] | null | undefined, what: string, warnings: string[]): JaegerKeyValue[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((kv) => (isObject(kv) ? keyValue(kv, what, warnings) : kv));
}

function keyValue(kv: JaegerEsKeyValue, what: string, warnings: string[]): JaegerKeyValue {
  const { key, type } = kv;
  let { value } = kv;
  // An int64 beyond ±2^53 comes from the client as a bigint; the v1 mapper keeps decimal text exact.
  if (typeof value === 'bigint') value = value.toString();
  if (type === 'binary' && typeof value === 'string') {
    if (/^(?:[0-9a-fA-F]{2})*$/.test(value)) return { key, type, value: Buffer.from(value, 'hex').toString('base64') };
    warnings.push(`${what} '${String(key)}' is binary but ${describe(value)} is not hex; kept as text`);
    return { key, type: 'string', value };
  }
  return { key, type, value };
}

/** `tags_as_fields` objects: keys carry the dot replacement; the JSON type of the value is its type. */
function tagFields(raw: Record<string, unknown> | null | undefined, what: string, options: JaegerDocOptions, warnings: string[]): JaegerKeyValue[] {
  if (!isObject(raw)) return [];
  const out: JaegerKeyValue[] = [];
  for (const [field, value] of Object.entries(raw)) {
    const key = field.split(options.tagDotReplacement).join('.');
    if (typeof value === 'string') out.push({ key, type: 'string', value });
    else if (typeof value === 'boolean') out.push({ key, type: 'bool', value });
    else if (typeof value === 'bigint') out.push({ key, type: 'int64', value: value.toString() });
    else if (typeof value === 'number') out.push({ key, type: Number.isInteger(value) ? 'int64' : 'float64', value });
    else {
      warnings.push(`${what} field '${field}' holds ${describe(value)}, not a string, boolean or number; kept as JSON text`);
      out.push({ key, type: 'string', value: stringifyJsonExact(value) ?? '' });
    }
  }
  return out;
}

/** One Zipkin document as an API v2 span: the two index-only fields removed. */
export function zipkinDocToV2(doc: ZipkinEsSpan): ZipkinSpan {
  if (!isObject(doc)) return doc;
  const { timestamp_millis: _millis, _q: _query, ...span } = doc;
  return span;
}

// ---------------------------------------------------------------------------------------------
// Names

/** A stored service name (null: the field is absent) as the canonical mapping shows it. */
export function serviceFromStored(schema: EsSchema, stored: string | number | null | undefined): string {
  if (typeof stored !== 'string' || stored === '') return UNKNOWN_SERVICE;
  if (schema === 'jaeger' && stored === 'OTLPResourceNoServiceName') return UNKNOWN_SERVICE;
  return stored;
}

const ZIPKIN_KIND_TAGS: Readonly<Record<string, SpanKind>> = {
  client: 'CLIENT',
  server: 'SERVER',
  producer: 'PRODUCER',
  consumer: 'CONSUMER',
  internal: 'INTERNAL',
};

/**
 * Canonical kinds of the spans behind one (name, kind) bucket of Zipkin span documents, as
 * ../zipkin-v2/to-model.ts maps them: `kind` when set (unknown values → UNSPECIFIED); without it, the
 * `span.kind` tag's kind, else UNSPECIFIED. `kindTags` counts the documents per tag value
 * (`none`: no such tag).
 */
export function zipkinKindsOf(storedKind: string | number | null | undefined, kindTags: Readonly<Record<string, number>>): SpanKind[] {
  if (typeof storedKind === 'string') return [ZIPKIN_SPAN_KINDS[storedKind.toUpperCase()] ?? 'UNSPECIFIED'];
  const kinds = new Set<SpanKind>();
  for (const [tag, count] of Object.entries(kindTags)) {
    if (count > 0) kinds.add(ZIPKIN_KIND_TAGS[tag] ?? 'UNSPECIFIED');
  }
  return [...kinds];
}

/** Wire data is untrusted JSON: check shapes at run time, whatever the types say. */
function isObject<T extends object>(value: T | null | undefined): value is T {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
