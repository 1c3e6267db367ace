/**
 * Whole traces by id, many ids per round trip: one `terms` query on every stored form of each id
 * (query.ts), chunked under `index.max_terms_count`, paged through a point in time when a trace holds
 * more spans than one page (client.ts). Groups the documents by canonical trace id and maps them
 * (documents.ts). A trace past `maxSpansPerTrace` is dropped from the paging as soon as it passes the
 * cap and answered as BACKEND_UNSUPPORTED: a truncated trace would be an approximation.
 */
import { BackendError } from '../../errors.js';
import { tryParseTraceId, type TraceId } from '../../model/index.js';
import type { BackendTrace, CallOptions } from '../backend.js';
import { mapBounded } from '../http/http-client.js';
import type { EsClient } from './client.js';
import type { EsSchema } from './index-names.js';
import { SCHEMA_FIELDS, traceIdsQuery } from './query.js';
import { onlyTrace } from '../shared/traces-by-id.js';
import { esDocsToSpans, type JaegerDocOptions } from './documents.js';
import { nextTurn } from '../../next-turn.js';

/** Terms one id may need (query.ts traceIdForms): Jaeger 32 hex, 16 hex, unpadded; Zipkin one. */
/** A trace of this many span documents is mapped in a turn of the event loop of its own (next-turn.ts). */
const BIG_TRACE_DOCS = 2_000;
const MAX_FORMS_PER_ID: Readonly<Record<EsSchema, number>> = { jaeger: 3, zipkin: 1 };

export interface TraceFetcherOptions extends JaegerDocOptions {
  backend: string;
  schema: EsSchema;
  /** Span indices a lookup by id reads, asked per call (with `maxSpanAgeHours` they move with the clock). */
  lookupIndices(): readonly string[];
  pageSize: number;
  maxSpansPerTrace: number;
  /** Terms per query: Elasticsearch's `index.max_terms_count` (65,536 by default). */
  maxTermsCount: number;
  /** Chunks in flight at once. */
  concurrency: number;
}

export type FetchedTrace = BackendTrace | BackendError;

export interface FetchedTraces {
  /** Each trace with the warnings of its own documents (a document skipped for an invalid span id). */
  traces: Map<TraceId, FetchedTrace>;
  /** What belongs to no trace (documents whose trace id is not one), for the log. */
  unplaced: string[];
}

export class TraceFetcher {
  constructor(
    private readonly client: EsClient,
    private readonly options: TraceFetcherOptions,
  ) {}

  /** Traces held, keyed by id; an id the store does not hold is absent from the map. */
  async fetch(ids: readonly TraceId[], call: CallOptions): Promise<FetchedTraces> {
    const unique = [...new Set(ids)];
    const perChunk = Math.max(1, Math.floor(this.options.maxTermsCount / MAX_FORMS_PER_ID[this.options.schema]));
    const chunks: TraceId[][] = [];
    for (let i = 0; i < unique.length; i += perChunk) chunks.push(unique.slice(i, i + perChunk));

    const traces = new Map<TraceId, FetchedTrace>();
    const unplaced: string[] = [];
    const indices = this.options.lookupIndices();
    const results = await mapBounded(chunks, this.options.concurrency, (chunk) => this.fetchChunk(indices, chunk, call));
    for (const result of results) {
      for (const [id, trace] of result.traces) traces.set(id, trace);
      unplaced.push(...result.unplaced);
    }
    return { traces, unplaced };
  }

  private async fetchChunk(indices: readonly string[], ids: readonly TraceId[], call: CallOptions): Promise<FetchedTraces> {
    const { schema, maxSpansPerTrace } = this.options;
    const idField = SCHEMA_FIELDS[schema].traceId;
    const docsByTrace = new Map<TraceId, unknown[]>();
    const overCap = new Set<TraceId>();
    let unparsable = 0;

    await this.client.searchAll<Record<string, unknown>>(indices, traceIdsQuery(schema, ids), {
      pageSize: this.options.pageSize,
      call,
      what: `spans of ${ids.length} trace(s)`,
      onHits: (hits) => {
        const newlyOver: TraceId[] = [];
        for (const hit of hits) {
          const id = tryParseTraceId(hit._source[idField]);
          if (id === undefined) {
            unparsable++;
            continue;
          }
          if (overCap.has(id)) continue;
          let docs = docsByTrace.get(id);
          if (docs === undefined) docsByTrace.set(id, (docs = []));
          docs.push(hit._source);
          if (docs.length > maxSpansPerTrace) {
            overCap.add(id);
            docsByTrace.delete(id);
            newlyOver.push(id);
          }
        }
        // Stop paging through traces past the cap: the rest of their spans would be thrown away.
        return newlyOver.length > 0 ? [traceIdsQuery(schema, newlyOver)] : undefined;
      },
    });

    const traces = new Map<TraceId, FetchedTrace>();
    const unplaced: string[] = [];
    if (unparsable > 0) unplaced.push(`${unparsable} span document(s) with a trace id that is not 1–32 hex digits were skipped`);
    for (const id of overCap) {
      traces.set(
        id,
        new BackendError(
          'BACKEND_UNSUPPORTED',
          this.options.backend,
          `trace ${id} holds more than maxSpansPerTrace (${maxSpansPerTrace}) spans; raise maxSpansPerTrace to read it`,
        ),
      );
    }
    for (const [id, docs] of docsByTrace) {
      // Parsing the pages was one block of the event loop; mapping a big trace is the next (next-turn.ts).
      if (docs.length >= BIG_TRACE_DOCS) await nextTurn();
      // A document whose own span ids are invalid is dropped by the mapper and named in the warnings.
      const trace = onlyTrace(id, esDocsToSpans(schema, docs, this.options.backend, this.options));
      // Not one readable document: the store does not hold this trace in any form a caller can see.
      if (trace.spans.length > 0) traces.set(id, trace);
      else unplaced.push(...trace.warnings);
    }
    return { traces, unplaced };
  }
}
