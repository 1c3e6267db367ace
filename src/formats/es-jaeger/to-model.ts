/**
 * Jaeger's Elasticsearch span documents → canonical spans. A document is reshaped into the v1 JSON span
 * Jaeger's query API would answer and handed to ../jaeger-json/to-model.ts, so a span reads the same
 * through Jaeger's API and through its index, as Jaeger's own reader does
 * (`internal/storage/v2/elasticsearch/tracestore/core/dbmodel` → v1 model; docs/formats/elasticsearch.md §1.4): binary tag
 * values go from hex to base64; `tag`/`process.tag` objects (`tags_as_fields`) become typed tags with
 * the dot replacement undone (an integral JSON number is int64, any other number float64, as Jaeger's
 * `convertTagField` reads it); `null` collections become empty; the process stays inline.
 *
 * Pure: no I/O, no config, no logs. Odd data becomes a span warning; a document without valid ids is
 * skipped and reported in the mapping's `warnings`.
 */
import { UNKNOWN_SERVICE } from '../../model/index.js';
import { mapJaegerTrace, NO_SERVICE_NAME, type JaegerKeyValue, type JaegerSpan } from '../jaeger-json/index.js';
import { describeValue as describe, isObject, stringifyJsonExact, type SpanMapping } from '../shared/index.js';
import type { JaegerEsKeyValue, JaegerEsSpan } from './wire.js';

export interface JaegerDocOptions {
  /** `tags_as_fields.dot_replacement`: '@' unless Jaeger was configured otherwise. */
  tagDotReplacement: string;
}

/** Maps the span documents of one or more traces; every span carries `sources: [source]`. */
export function mapJaegerDocs(docs: readonly JaegerEsSpan[], source: string, options: JaegerDocOptions): SpanMapping {
  const spans = docs.map((doc) => jaegerDocToV1(doc, options));
  const mapped = mapJaegerTrace({ spans }, source, 'es-jaeger');
  return { spans: mapped.spans, warnings: mapped.warnings };
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
    tags: joined(keyValues(doc.tags, 'tag', warnings), tagFields(doc.tag, 'tag', options, warnings)),
    logs: Array.isArray(doc.logs)
      ? doc.logs.map((log) => (isObject(log) ? { timestamp: log.timestamp, fields: keyValues(log.fields, 'log field', warnings) } : log))
      : [],
    process: {
      ...(process?.serviceName !== undefined ? { serviceName: process.serviceName } : {}),
      tags: joined(keyValues(process?.tags, 'process tag', warnings), tagFields(process?.tag, 'process tag', options, warnings)),
    },
  };
  if (doc.parentSpanID !== undefined) span.parentSpanID = doc.parentSpanID;
  if (doc.flags !== undefined) span.flags = doc.flags;
  if (process === undefined) delete span.process;
  if (warnings.length > 0) span.warnings = warnings;
  return span;
}

/** Both lists in order; the first itself when the second is empty (both are fresh arrays here). */
function joined(first: JaegerKeyValue[], second: JaegerKeyValue[]): JaegerKeyValue[] {
  if (second.length === 0) return first;
  for (const kv of second) first.push(kv);
  return first;
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
  // Already what the v1 mapper reads (it only reads key, type and value): no copy.
  if (value === kv.value) return kv as JaegerKeyValue;
  return { key, type, value };
}

/** `tags_as_fields` objects: keys carry the dot replacement; the JSON type of the value is its type. */
function tagFields(raw: Record<string, unknown> | null | undefined, what: string, options: JaegerDocOptions, warnings: string[]): JaegerKeyValue[] {
  if (!isObject(raw)) return [];
  const out: JaegerKeyValue[] = [];
  for (const [field, value] of Object.entries(raw)) {
    const key = undotted(field, options.tagDotReplacement);
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

/** A `tags_as_fields` key with the dot replacement undone; most keys hold none and are returned as they are. */
function undotted(field: string, replacement: string): string {
  if (replacement === '') return field.split(replacement).join('.');
  return field.includes(replacement) ? field.replaceAll(replacement, '.') : field;
}

/** A stored `process.serviceName` (null: the field is absent) as the canonical mapping shows it. */
export function jaegerStoredService(stored: string | number | null | undefined): string {
  if (typeof stored !== 'string' || stored === '' || stored === NO_SERVICE_NAME) return UNKNOWN_SERVICE;
  return stored;
}
