/**
 * Zipkin's Elasticsearch span documents → canonical spans. A document is the API v2 span JSON plus
 * `timestamp_millis` (and `_q`, which `_source` never holds; docs/formats/elasticsearch.md §2.4); both are dropped and
 * ../zipkin-v2/to-model.ts maps the rest, so a span reads the same through Zipkin's API and its index.
 * Also here: stored service names and kinds → canonical, for the names lists the backend aggregates.
 *
 * Pure: no I/O, no config, no logs. Odd data becomes a span warning; a document without valid ids is
 * skipped and reported in the mapping's `warnings`.
 */
import { UNKNOWN_SERVICE, type SpanKind } from '../../model/index.js';
import { SPAN_KIND_TAG_VALUES } from '../otel/index.js';
import { isObject, type SpanMapping } from '../shared/index.js';
import { mapZipkinSpans, ZIPKIN_SPAN_KINDS, type ZipkinSpan } from '../zipkin-v2/index.js';
import type { ZipkinEsSpan } from './wire.js';

/** Maps the span documents of one or more traces; every span carries `sources: [source]`. */
export function mapZipkinDocs(docs: readonly ZipkinEsSpan[], source: string): SpanMapping {
  return mapZipkinSpans(docs.map(zipkinDocToV2), source, 'es-zipkin');
}

/** One Zipkin document as an API v2 span: the two index-only fields removed. */
export function zipkinDocToV2(doc: ZipkinEsSpan): ZipkinSpan {
  if (!isObject(doc)) return doc;
  const { timestamp_millis: _millis, _q: _query, ...span } = doc;
  return span;
}

/** A stored `localEndpoint.serviceName` (null: the field is absent) as the canonical mapping shows it. */
export function zipkinStoredService(stored: string | number | null | undefined): string {
  return typeof stored !== 'string' || stored === '' ? UNKNOWN_SERVICE : stored;
}

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
    if (count > 0) kinds.add(SPAN_KIND_TAG_VALUES[tag] ?? 'UNSPECIFIED');
  }
  return [...kinds];
}
