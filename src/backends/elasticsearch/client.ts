/**
 * Elasticsearch over the official `@elastic/elasticsearch` client: node URLs, basic or API-key auth,
 * extra headers, TLS, per-request timeout and abort, status and shape checks. Throws only
 * BackendError: BACKEND_UNAVAILABLE (connection errors, 5xx, 429, a red cluster's failed shards),
 * BACKEND_TIMEOUT (aborted or timed out), BACKEND_BAD_RESPONSE (a body of unexpected shape, or a
 * server that is not Elasticsearch), BACKEND_REJECTED (other 4xx). Knows nothing of the canonical model
 * or of either span schema: query.ts builds the bodies and index.ts reads the documents.
 *
 * A call's own headers (CallOptions.headers: a caller's token) ride in each request's transport
 * options, never in a client of their own: the transport lower-cases both its configured headers (and
 * the `authorization` that `auth` makes) and the request's, and lets the request's win, so a per-call
 * `Authorization` replaces the configured credentials for that request only.
 *
 * Every search sends `ignore_unavailable=true&allow_no_indices=true&expand_wildcards=open`, as Jaeger
 * and Zipkin do (docs/formats/elasticsearch.md §1.6, §2.5), so a missing daily index is "no data", not an
 * error, and `allow_partial_search_results=false`, so a shard that cannot answer fails the call
 * instead of silently dropping spans.
 *
 * The 8.x client hard-codes the product check (docs/formats/elasticsearch.md §3.1): a 2xx answer without
 * `X-Elastic-Product: Elasticsearch` is refused, so OpenSearch and ES < 7.14 are BACKEND_BAD_RESPONSE.
 * Nothing here calls `GET /` (absent from integ-test builds ≥ 8.9, docs/real-servers.md §4.1).
 */
import { readFileSync } from 'node:fs';
import { Client, errors, Serializer, type ClientOptions } from '@elastic/elasticsearch';
import { BackendError } from '../../errors.js';
import { reportResponseBytes } from '../http/response-bytes.js';
import type { CallOptions } from '../backend.js';
import { isRecord, parseJsonExact, stringifyJsonExact } from '../../formats/shared/index.js';
import { withTraceContext } from '../../telemetry/index.js';
import type { EsClusterHealth, EsCompositeBucket, EsHit, EsSearchResponse } from './responses.js';

export interface EsClientConfig {
  urls: readonly string[];
  username?: string | undefined;
  password?: string | undefined;
  apiKey?: string | undefined;
  headers: Record<string, string>;
  tls: { caFile?: string | undefined; insecureSkipVerify: boolean };
  timeoutMs: number;
}

/** A query DSL object, as query.ts builds it. */
export type EsBody = Record<string, unknown>;

const INDICES_OPTIONS = { ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'open' } as const;
const PIT_KEEP_ALIVE = '1m';

/**
 * What searchAll asks Elasticsearch to send (`filter_path`): each hit's document and sort values, and
 * what checkSearch reads. Each hit's `_index`, `_id` and `_score` are left out: nobody reads them, and
 * they are a seventh of a span-document answer, which Tracegate parses and Elasticsearch writes (a
 * 10,000-span Jaeger trace: 6.0 → 5.1 MB, JSON.parse 27 → 20 ms).
 */
const HIT_FIELDS = 'hits.hits._source,hits.hits.sort,_shards,timed_out,pit_id';

/**
 * A `filter_path` answer without hits leaves `hits` out altogether (`{"timed_out":false,"_shards":{…}}`,
 * Elasticsearch 8.8): that is an empty page, not a body of another shape.
 */
function withHits(body: unknown): unknown {
  if (!isRecord(body) || !isRecord(body._shards)) return body;
  if (body.hits === undefined) return { ...body, hits: { hits: [] } };
  if (isRecord(body.hits) && body.hits.hits === undefined) return { ...body, hits: { ...body.hits, hits: [] } };
  return body;
}

/**
 * Parses with JSON.parse, keeping integers beyond ±2^53 exact (as bigint); see ../../formats/shared/exact-json.ts. The
 * client's default (secure-json-parse) also scans every body for `__proto__` keys, which costs a tenth
 * of a 10,000-span trace fetch; the documents here are only read field by field by the readers in ../../formats/, never
 * merged into other objects, so a `__proto__` key stays an inert own property.
 */
class ExactIntegerSerializer extends Serializer {
  override deserialize<T = unknown>(json: string): T {
    try {
      return parseJsonExact(json) as T;
    } catch (error) {
      throw new errors.DeserializationError((error as Error).message, json);
    }
  }
}

/**
 * A response's size for the metrics: Elasticsearch declares every body's length (the client asks for
 * no compression), so the header is counted rather than the parsed body re-serialised.
 */
function contentLength(headers: Record<string, unknown> | undefined): number {
  return Number(headers?.['content-length']);
}

function sample(body: unknown): string {
  const text = typeof body === 'string' ? body : (stringifyJsonExact(body) ?? String(body));
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** `{error: {type, reason, root_cause}}` → "type: reason". */
function esErrorDetail(body: unknown): string {
  if (isRecord(body) && isRecord(body.error)) {
    const error = body.error;
    const cause = Array.isArray(error.root_cause) && isRecord(error.root_cause[0]) ? error.root_cause[0] : undefined;
    const reason = typeof error.reason === 'string' ? error.reason : typeof cause?.reason === 'string' ? cause.reason : '';
    return `${String(error.type ?? 'error')}: ${reason}`.slice(0, 300);
  }
  return sample(body);
}

export interface SearchAllOptions<T> {
  /** Hits per request; at most the index's `max_result_window` (10,000 by default). */
  pageSize: number;
  /** Signal and headers for every page, and for opening and closing the point in time. */
  call: CallOptions;
  /** What the call is for, in error messages. */
  what: string;
  /**
   * Receives every hit once, page by page. May return queries to exclude from the following pages
   * (the caller's way to stop paging through a trace it has given up on).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: an onHits that returns nothing (a plain callback) asks for no more pages
  onHits(hits: Array<EsHit<T>>): readonly EsBody[] | void;
}

/**
 * The call's remaining time (CallOptions.timeoutAt/deadlineAt, set by fan-out) as a search's `timeout`,
 * so Elasticsearch stops the search's work when Tracegate will no longer wait for it, instead of
 * finishing it for nobody. A search that runs out of it comes back `timed_out` or, with
 * `allow_partial_search_results: false`, as an error: BACKEND_TIMEOUT or a failure, never a silently
 * partial answer (checkSearch). Nothing for a call without a deadline.
 */
export function searchBudget(call: CallOptions, now = Date.now()): { timeout?: string } {
  const end = Math.min(call.timeoutAt ?? Infinity, call.deadlineAt ?? Infinity);
  return Number.isFinite(end) ? { timeout: `${Math.max(1, Math.floor(end - now))}ms` } : {};
}

export class EsClient {
  private readonly client: Client;

  constructor(
    private readonly backend: string,
    private readonly config: EsClientConfig,
  ) {
    const options: ClientOptions = {
      nodes: [...config.urls],
      headers: config.headers,
      requestTimeout: config.timeoutMs,
      // With several nodes, a failed request moves on to the next one (each node tried once).
      maxRetries: config.urls.length - 1,
      Serializer: ExactIntegerSerializer,
      tls: {
        rejectUnauthorized: !config.tls.insecureSkipVerify,
        ...(config.tls.caFile ? { ca: readFileSync(config.tls.caFile, 'utf8') } : {}),
      },
      name: `tracegate-${backend}`,
    };
    if (config.apiKey !== undefined) options.auth = { apiKey: config.apiKey };
    else if (config.username !== undefined) options.auth = { username: config.username, password: config.password ?? '' };
    this.client = new Client(options);
  }

  /**
   * One REST call. `what` names it in errors ("POST /jaeger-span-*\/_search").
   */
  private async request(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    querystring: Record<string, unknown>,
    body: EsBody | undefined,
    call: CallOptions,
    what: string,
  ): Promise<unknown> {
    const { signal } = call;
    if (signal.aborted) throw this.timeout(what, signal.reason);
    // The transport's own requestTimeout rides on undici's coarse timers (it fired ~1 s late in tests),
    // so the per-call timeout is a signal of its own, raced with the caller's.
    const deadline = AbortSignal.timeout(this.config.timeoutMs);
    // The request's trace context rides with the call's own headers when it is traced (telemetry/propagation.ts).
    const headers = withTraceContext(call.headers);
    try {
      const response = await this.client.transport.request(
        { method, path, querystring, ...(body !== undefined ? { body } : {}) },
        {
          signal: AbortSignal.any([signal, deadline]),
          meta: true,
          requestTimeout: this.config.timeoutMs,
          ...(headers !== undefined ? { headers: { ...headers } } : {}),
        },
      );
      reportResponseBytes(this.backend, contentLength(response.headers));
      return response.body;
    } catch (error) {
      if (error instanceof errors.ResponseError) reportResponseBytes(this.backend, contentLength(error.meta.headers));
      if (deadline.aborted && !signal.aborted) {
        throw new BackendError('BACKEND_TIMEOUT', this.backend, `${what} timed out after ${this.config.timeoutMs} ms`, undefined, {
          cause: error,
          publicReason: `timed out after ${this.config.timeoutMs} ms`,
        });
      }
      throw this.classify(error, what, signal);
    }
  }

  private timeout(what: string, cause: unknown): BackendError {
    return new BackendError('BACKEND_TIMEOUT', this.backend, `${what} was aborted: timeout or request deadline`, undefined, {
      cause,
      publicReason: 'aborted: timeout or request deadline',
    });
  }

  private classify(error: unknown, what: string, signal: AbortSignal): BackendError {
    if (error instanceof BackendError) return error;
    if (signal.aborted || error instanceof errors.RequestAbortedError) return this.timeout(what, error);
    if (error instanceof errors.TimeoutError) {
      return new BackendError('BACKEND_TIMEOUT', this.backend, `${what} timed out after ${this.config.timeoutMs} ms`, undefined, {
        cause: error,
        publicReason: `timed out after ${this.config.timeoutMs} ms`,
      });
    }
    if (error instanceof errors.ResponseError) {
      const status = error.statusCode ?? 0;
      const detail = `${what} answered HTTP ${status}: ${esErrorDetail(error.body)}`;
      const options = { cause: error, publicReason: `answered HTTP ${status}` };
      // 429 is Elasticsearch shedding load (search thread pool full, circuit breaker): unavailable, not a bad query.
      if (status >= 500 || status === 429) return new BackendError('BACKEND_UNAVAILABLE', this.backend, detail, status, options);
      if (status === 408) return new BackendError('BACKEND_TIMEOUT', this.backend, detail, status, options);
      return new BackendError('BACKEND_REJECTED', this.backend, detail, status, options);
    }
    if (error instanceof errors.ProductNotSupportedError) {
      return new BackendError(
        'BACKEND_BAD_RESPONSE',
        this.backend,
        `${what}: the server is not Elasticsearch (no X-Elastic-Product header)`,
        undefined,
        {
          cause: error,
          publicReason: 'the server is not Elasticsearch (no X-Elastic-Product header)',
        },
      );
    }
    if (error instanceof errors.DeserializationError) {
      return new BackendError('BACKEND_BAD_RESPONSE', this.backend, `${what} answered a body that is not JSON: ${sample(error.data)}`, undefined, {
        cause: error,
        publicReason: 'answered a body that is not JSON',
      });
    }
    if (error instanceof errors.ConnectionError || error instanceof errors.NoLivingConnectionsError) {
      return new BackendError('BACKEND_UNAVAILABLE', this.backend, `${what} failed: ${error.message}`, undefined, {
        cause: error,
        publicReason: 'connection failed',
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new BackendError('BACKEND_UNAVAILABLE', this.backend, `${what} failed: ${message}`, undefined, { cause: error });
  }

  private badResponse(what: string, body: unknown): BackendError {
    return new BackendError('BACKEND_BAD_RESPONSE', this.backend, `${what}: unexpected body ${sample(body)}`, undefined, {
      publicReason: 'answered a body of an unexpected shape',
    });
  }

  /** Checks the shape every search answer shares, and that no shard failed. */
  private checkSearch<T>(body: unknown, what: string): EsSearchResponse<T> {
    if (!isRecord(body) || !isRecord(body.hits) || !Array.isArray(body.hits.hits) || !isRecord(body._shards)) throw this.badResponse(what, body);
    const shards = body._shards as unknown as EsSearchResponse<T>['_shards'];
    if (typeof shards.failed === 'number' && shards.failed > 0) {
      const reason = shards.failures?.[0]?.reason;
      throw new BackendError(
        'BACKEND_UNAVAILABLE',
        this.backend,
        `${what}: ${shards.failed} of ${shards.total} shards failed${reason ? ` (${reason.type}: ${reason.reason})` : ''}`,
        undefined,
        {
          publicReason: `${shards.failed} of ${shards.total} shards failed`,
        },
      );
    }
    if (body.timed_out === true) {
      throw new BackendError('BACKEND_TIMEOUT', this.backend, `${what}: Elasticsearch timed out the search`, undefined, {
        publicReason: 'Elasticsearch timed out the search',
      });
    }
    for (const hit of body.hits.hits) if (!isRecord(hit) || !isRecord(hit._source)) throw this.badResponse(what, hit);
    return body as unknown as EsSearchResponse<T>;
  }

  private searchPath(indices: readonly string[]): string {
    return `/${indices.map(encodeURIComponent).join(',')}/_search`;
  }

  /** `POST /<indices>/_search` with the body as given. */
  async search<T = unknown>(indices: readonly string[], body: EsBody, call: CallOptions): Promise<EsSearchResponse<T>> {
    const path = this.searchPath(indices);
    const what = `POST ${path}`;
    const querystring = { ...INDICES_OPTIONS, allow_partial_search_results: false, ...searchBudget(call) };
    const response = await this.request('POST', path, querystring, body, call, what);
    return this.checkSearch<T>(response, what);
  }

  /** `search`, answered with only what searchAll's callers read of each hit (HIT_FIELDS). */
  private async searchHits<T>(indices: readonly string[], body: EsBody, call: CallOptions): Promise<EsSearchResponse<T>> {
    const path = this.searchPath(indices);
    const what = `POST ${path}`;
    const querystring = { ...INDICES_OPTIONS, allow_partial_search_results: false, ...searchBudget(call), filter_path: HIT_FIELDS };
    return this.checkSearch<T>(withHits(await this.request('POST', path, querystring, body, call, what)), what);
  }

  /**
   * Every hit of `query`, however many. The first page is a plain search; when it comes back full,
   * paging restarts on a point in time sorted by `_shard_doc` (a total order, so `search_after`
   * neither skips nor repeats a hit, and every page sees the same snapshot). The PIT is closed after.
   */
  async searchAll<T = unknown>(indices: readonly string[], query: EsBody, options: SearchAllOptions<T>): Promise<void> {
    const { pageSize, call } = options;
    const first = await this.searchHits<T>(indices, { query, size: pageSize, sort: ['_doc'], track_total_hits: false }, call);
    if (first.hits.hits.length < pageSize) {
      options.onHits(first.hits.hits);
      return;
    }

    const pitPath = `/${indices.map(encodeURIComponent).join(',')}/_pit`;
    const opened = await this.request(
      'POST',
      pitPath,
      { keep_alive: PIT_KEEP_ALIVE, ignore_unavailable: true, expand_wildcards: 'open' },
      undefined,
      call,
      `POST ${pitPath}`,
    );
    if (!isRecord(opened) || typeof opened.id !== 'string') throw this.badResponse(`POST ${pitPath}`, opened);
    let pitId = opened.id;
    try {
      const exclusions: EsBody[] = [];
      let searchAfter: unknown[] | undefined;
      for (;;) {
        const pageQuery = exclusions.length === 0 ? query : { bool: { filter: [query], must_not: exclusions } };
        const body: EsBody = {
          pit: { id: pitId, keep_alive: PIT_KEEP_ALIVE },
          query: pageQuery,
          size: pageSize,
          sort: [{ _shard_doc: 'asc' }],
          track_total_hits: false,
          ...(searchAfter !== undefined ? { search_after: searchAfter } : {}),
        };
        const what = `POST /_search (point in time over ${options.what})`;
        // A point-in-time search names no index and takes no index options.
        const page = this.checkSearch<T>(
          withHits(
            await this.request(
              'POST',
              '/_search',
              { allow_partial_search_results: false, ...searchBudget(call), filter_path: HIT_FIELDS },
              body,
              call,
              what,
            ),
          ),
          what,
        );
        if (typeof page.pit_id === 'string') pitId = page.pit_id;
        const hits = page.hits.hits;
        const exclude = options.onHits(hits);
        if (exclude) exclusions.push(...exclude);
        if (hits.length < pageSize) return;
        searchAfter = hits.at(-1)!.sort;
        if (!Array.isArray(searchAfter)) throw this.badResponse(what, hits.at(-1));
      }
    } finally {
      // Best effort, not tied to the caller's signal (it may be what ended the paging); ES drops it after
      // keep_alive anyway. With the caller's headers: a store that checks identity checks it here too.
      const close: CallOptions = { ...call, signal: AbortSignal.timeout(this.config.timeoutMs) };
      this.request('DELETE', '/_pit', {}, { id: pitId }, close, 'DELETE /_pit').catch(() => undefined);
    }
  }

  /**
   * Every bucket of a composite aggregation named `page` (built by the caller with `sources` and
   * optional sub-aggregations), following `after_key` until the last page.
   */
  async compositeAll(
    indices: readonly string[],
    query: EsBody,
    composite: { sources: EsBody[]; size: number; aggs?: EsBody },
    call: CallOptions,
  ): Promise<EsCompositeBucket[]> {
    const buckets: EsCompositeBucket[] = [];
    let after: unknown;
    for (;;) {
      const body: EsBody = {
        size: 0,
        track_total_hits: false,
        query,
        aggs: {
          page: {
            composite: { size: composite.size, sources: composite.sources, ...(after !== undefined ? { after } : {}) },
            ...(composite.aggs ? { aggs: composite.aggs } : {}),
          },
        },
      };
      const response = await this.search(indices, body, call);
      const page = response.aggregations?.page;
      // An index pattern matching no index answers without `aggregations`.
      if (page === undefined) return buckets;
      if (!isRecord(page) || !Array.isArray(page.buckets))
        throw this.badResponse(`composite aggregation over ${indices.join(',')}`, response.aggregations);
      for (const bucket of page.buckets) {
        if (!isRecord(bucket) || !isRecord(bucket.key)) throw this.badResponse(`composite aggregation over ${indices.join(',')}`, bucket);
        buckets.push(bucket as EsCompositeBucket);
      }
      if (page.buckets.length < composite.size || page.after_key === undefined) return buckets;
      after = page.after_key;
    }
  }

  /** `GET /_cluster/health`. */
  async clusterHealth(call: CallOptions): Promise<EsClusterHealth> {
    const body = await this.request('GET', '/_cluster/health', {}, undefined, call, 'GET /_cluster/health');
    if (!isRecord(body) || !['green', 'yellow', 'red'].includes(body.status as string)) throw this.badResponse('GET /_cluster/health', body);
    return body as unknown as EsClusterHealth;
  }

  /** The version of the node answering, from `GET /_nodes/_local` (which, unlike `GET /`, every build has). */
  async version(call: CallOptions): Promise<string | null> {
    const body = await this.request('GET', '/_nodes/_local', { filter_path: 'nodes.*.version' }, undefined, call, 'GET /_nodes/_local');
    if (!isRecord(body) || !isRecord(body.nodes)) return null;
    for (const node of Object.values(body.nodes)) if (isRecord(node) && typeof node.version === 'string') return node.version;
    return null;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
