/**
 * Which format reads the documents of each schema: ../../formats/es-jaeger/ for `jaeger`,
 * ../../formats/es-zipkin/ for `zipkin`. The rest of this backend asks by schema and never reads a
 * document field itself, except the ids and names its queries aggregate on (query.ts).
 */
import { jaegerStoredService, mapJaegerDocs, type JaegerDocOptions, type JaegerEsSpan } from '../../formats/es-jaeger/index.js';
import { mapZipkinDocs, zipkinStoredService, type ZipkinEsSpan } from '../../formats/es-zipkin/index.js';
import type { SpanMapping } from '../../formats/shared/index.js';
import type { EsSchema } from './index-names.js';

export type { JaegerDocOptions };

/** Maps span documents of one schema; every span carries `sources: [source]`. */
export function esDocsToSpans(schema: EsSchema, docs: readonly unknown[], source: string, options: JaegerDocOptions): SpanMapping {
  return schema === 'jaeger' ? mapJaegerDocs(docs as JaegerEsSpan[], source, options) : mapZipkinDocs(docs as ZipkinEsSpan[], source);
}

/** A stored service name (null: the field is absent) as the canonical mapping shows it. */
export function serviceFromStored(schema: EsSchema, stored: string | number | null | undefined): string {
  return schema === 'jaeger' ? jaegerStoredService(stored) : zipkinStoredService(stored);
}
