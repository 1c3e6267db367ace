/**
 * Span and dependency documents exactly as Zipkin's Elasticsearch storage and zipkin-dependencies
 * write them (schema `zipkin`). Types only.
 *
 * Source: openzipkin/zipkin `zipkin-storage/elasticsearch` `internal/BulkIndexWriter.java` (span
 * documents: the API v2 span JSON, ../zipkin-v2/wire.ts, plus `timestamp_millis` and `_q`) and
 * `VersionSpecificTemplates.java` (mappings); dependency documents come from openzipkin/zipkin-dependencies.
 * Notes in docs/formats/elasticsearch.md §2.2–2.4.
 */
import type { ZipkinSpan } from '../zipkin-v2/index.js';

// ---------------------------------------------------------------------------------------------
// Zipkin documents: `<prefix>-span-YYYY-MM-DD`, `<prefix>-dependency-YYYY-MM-DD`

/**
 * One span document: the v2 span JSON preceded by `timestamp_millis` (absent without a timestamp).
 * `_q` (annotation values, tag keys and `key=value` pairs, for search) is indexed but excluded from
 * `_source`, so a reader never sees it; it is typed here for fixtures that carry it.
 */
export interface ZipkinEsSpan extends ZipkinSpan {
  timestamp_millis?: number;
  _q?: string[];
}

/** Written by zipkin-dependencies, one per (parent, child) and day; the mapping is `enabled: false`. */
export interface ZipkinEsDependency {
  id?: string;
  parent: string;
  child: string;
  callCount?: number;
  errorCount?: number;
}
