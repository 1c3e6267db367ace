/**
 * findTraces over span documents: which traces match, and which `limit` of them are the newest.
 *
 * Matching is one aggregation: span documents passing every condition (query.ts toSpanFilter),
 * bucketed by trace id. "Newest" is Tracegate's order, by the start of the whole trace (its earliest
 * span, matching or not; ties by trace id), which no aggregation over matching documents can see. So
 * the aggregation orders by the newest MATCHING start `m(T)` instead, and the answer is proven rather
 * than assumed: a trace starts no later than any of its spans, `start(T) ≤ m(T)`, so once the `limit`-th
 * best start among the candidates read is newer than the `m` of the last candidate read, no trace
 * further down the list can beat it. Otherwise the candidate list grows (×4) and the check repeats.
 * Round one reads whole traces (they are usually the answer); later rounds read only each new
 * candidate's start (a `min` aggregation) and whole traces for the final list. With short traces and
 * distinct starts one round does: one aggregation and one trace fetch.
 *
 * An event-name filter matches a few documents the canonical rule does not (query.ts eventNameQuery),
 * so with one every round reads whole traces and drops each candidate the exact rule rejects; the
 * proof above still holds, since a dropped trace's documents only sat in the list, above `m`.
 */
import { BackendError } from '../../errors.js';
import { isRecord } from '../../formats/shared/index.js';
import {
  compareNewestFirst,
  compareText,
  summarizeTrace,
  traceStartUs,
  tryParseTraceId,
  type TraceId,
  type TraceSummary,
} from '../../model/index.js';
import type { BackendTrace, CallOptions, TraceQuery } from '../backend.js';
import { traceMatchesQuery } from '../shared/match-query.js';
import type { EsClient } from './client.js';
import { newestTracesAggregation, toSpanFilter, traceIdForms, traceIdsQuery, traceStartsAggregation, type QueryOptions } from './query.js';
import type { TraceFetcher } from './trace-fetcher.js';
import type { EsTermsBucket } from './responses.js';

export interface TraceSearchOptions extends QueryOptions {
  backend: string;
  /** Span indices covering the query window. */
  windowIndices: readonly string[];
  /** Span indices a lookup by id reads: a trace's other spans may lie outside the window. */
  allIndices: readonly string[];
  /** The longest candidate list read before giving up (BACKEND_UNSUPPORTED): at most `search.max_buckets`. */
  maxCandidates: number;
  maxTermsCount: number;
}

export class TraceSearch {
  constructor(
    private readonly client: EsClient,
    private readonly fetcher: TraceFetcher,
    private readonly options: TraceSearchOptions,
  ) {}

  async find(query: TraceQuery, call: CallOptions): Promise<TraceSummary[]> {
    if (query.limit <= 0) return [];
    const filter = toSpanFilter(query, this.options);
    const maxCandidates = Math.max(this.options.maxCandidates, query.limit);
    const starts = new Map<TraceId, number>();
    const traces = new Map<TraceId, BackendTrace>();
    let size = Math.min(query.limit, maxCandidates);
    let ranked: TraceId[] = [];
    const verify = query.eventName !== undefined;
    const rejected = new Set<TraceId>();

    for (let round = 0; ; round++) {
      const { buckets, count, lowestMatchingStartUs } = await this.newestMatching(filter, size, call);
      const fresh = buckets.map((b) => b.id).filter((id) => !starts.has(id) && !rejected.has(id));
      if (round === 0 || verify) {
        for (const [id, trace] of await this.fetchTraces(fresh, call)) {
          if (verify && !traceMatchesQuery(trace.spans, query, { ignoreNameCase: this.options.schema === 'zipkin' })) {
            rejected.add(id);
            continue;
          }
          traces.set(id, trace);
          starts.set(id, traceStartUs(trace.spans));
        }
      } else {
        for (const [id, start] of await this.traceStarts(fresh, call)) starts.set(id, start);
      }
      ranked = [...starts.keys()].sort((a, b) => starts.get(b)! - starts.get(a)! || compareText(a, b));
      // Fewer buckets than asked for: every matching trace has been read.
      if (count < size) break;
      const limitth = ranked[query.limit - 1];
      if (limitth !== undefined && lowestMatchingStartUs < starts.get(limitth)!) break;
      if (size >= maxCandidates) {
        throw new BackendError(
          'BACKEND_UNSUPPORTED',
          this.options.backend,
          `cannot order the matching traces by start within ${maxCandidates} candidates (long-running traces); narrow the window or the query`,
        );
      }
      size = Math.min(size * 4, maxCandidates);
    }

    const chosen = ranked.slice(0, query.limit);
    const missing = chosen.filter((id) => !traces.has(id));
    for (const [id, trace] of await this.fetchTraces(missing, call)) traces.set(id, trace);
    const found = chosen.filter((id) => traces.has(id));
    // The same fetch getTraces makes (trace-fetcher.ts): each trace is what getTraces would answer.
    if (call.onWholeTrace !== undefined) for (const id of found) call.onWholeTrace(id, traces.get(id)!);
    return found.map((traceId) => summarizeTrace({ traceId, spans: traces.get(traceId)!.spans, warnings: [] })).sort(compareNewestFirst);
  }

  /**
   * The `size` traces with the newest matching span, newest first. `count` is the number of buckets
   * and `lowestMatchingStartUs` the newest matching start of the last one: no trace outside the list
   * has a matching span newer than that.
   */
  private async newestMatching(
    filter: object,
    size: number,
    call: CallOptions,
  ): Promise<{ buckets: Array<{ id: TraceId; lastStartUs: number }>; count: number; lowestMatchingStartUs: number }> {
    const response = await this.client.search(
      this.options.windowIndices,
      { size: 0, track_total_hits: false, query: filter, aggs: newestTracesAggregation(this.options.schema, size) },
      call,
    );
    const raw = this.buckets(response.aggregations, 'traces', 'last_start');
    // Jaeger may hold one trace under two id forms (writers of different versions): merge them.
    const byTrace = new Map<TraceId, number>();
    for (const bucket of raw) {
      const id = tryParseTraceId(bucket.key);
      if (id === undefined) continue;
      byTrace.set(id, Math.max(byTrace.get(id) ?? Number.NEGATIVE_INFINITY, bucket.value));
    }
    const buckets = [...byTrace].map(([id, lastStartUs]) => ({ id, lastStartUs }));
    return { buckets, count: raw.length, lowestMatchingStartUs: raw.at(-1)?.value ?? Number.NEGATIVE_INFINITY };
  }

  /** Each trace's start over all its spans, by a `min` aggregation (no documents read). */
  private async traceStarts(ids: readonly TraceId[], call: CallOptions): Promise<Map<TraceId, number>> {
    const { schema, maxTermsCount } = this.options;
    const starts = new Map<TraceId, number>();
    const perChunk = Math.max(1, Math.floor(maxTermsCount / 3));
    for (let i = 0; i < ids.length; i += perChunk) {
      const chunk = ids.slice(i, i + perChunk);
      const forms = chunk.flatMap((id) => traceIdForms(schema, id)).length;
      const response = await this.client.search(
        this.options.allIndices,
        { size: 0, track_total_hits: false, query: traceIdsQuery(schema, chunk), aggs: traceStartsAggregation(schema, forms) },
        call,
      );
      for (const bucket of this.buckets(response.aggregations, 'traces', 'first_start')) {
        const id = tryParseTraceId(bucket.key);
        if (id !== undefined) starts.set(id, Math.min(starts.get(id) ?? Number.POSITIVE_INFINITY, bucket.value));
      }
    }
    return starts;
  }

  private async fetchTraces(ids: readonly TraceId[], call: CallOptions): Promise<Map<TraceId, BackendTrace>> {
    const out = new Map<TraceId, BackendTrace>();
    if (ids.length === 0) return out;
    const { traces } = await this.fetcher.fetch(ids, call);
    for (const [id, trace] of traces) {
      if (trace instanceof BackendError) throw trace;
      out.set(id, trace);
    }
    return out;
  }

  /** Terms buckets of aggregation `name`, each with the value of its single-value sub-aggregation `metric`. */
  private buckets(aggregations: Record<string, unknown> | undefined, name: string, metric: string): Array<{ key: string; value: number }> {
    // A pattern matching no index answers without aggregations.
    if (aggregations === undefined) return [];
    const agg = aggregations[name];
    const what = `terms aggregation '${name}'`;
    if (!isRecord(agg) || !Array.isArray(agg.buckets))
      throw new BackendError('BACKEND_BAD_RESPONSE', this.options.backend, `${what}: unexpected body`);
    return (agg.buckets as EsTermsBucket[]).map((bucket) => {
      const value = isRecord(bucket) && isRecord(bucket[metric]) ? (bucket[metric] as { value?: unknown }).value : undefined;
      if (!isRecord(bucket) || typeof bucket.key !== 'string' || typeof value !== 'number') {
        throw new BackendError('BACKEND_BAD_RESPONSE', this.options.backend, `${what}: unexpected bucket ${JSON.stringify(bucket).slice(0, 160)}`);
      }
      return { key: bucket.key, value };
    });
  }
}
