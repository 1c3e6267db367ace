/**
 * The `elasticsearch` backend: reads the span indices that Jaeger's (schema `jaeger`) or Zipkin's
 * (schema `zipkin`) collectors write into Elasticsearch, without either query service in between.
 * Traces by id come whole however many spans they hold (trace-fetcher.ts); searches follow
 * Tracegate's one-span rule exactly, in Elasticsearch (query.ts, find-traces.ts); services, operations
 * and dependencies are aggregations or reads of what the collectors (and their spark jobs) wrote.
 * Index names: index-names.ts. Documents → canonical spans: documents.ts (the readers are in
 * ../../formats/es-jaeger/ and ../../formats/es-zipkin/). HTTP: client.ts.
 */
import { BackendError } from '../../errors.js';
import type { JaegerEsDependencies } from '../../formats/es-jaeger/index.js';
import { zipkinKindsOf, type ZipkinEsDependency } from '../../formats/es-zipkin/index.js';
import { compareOperations, compareText, type SpanKind, type TraceId, type TraceSummary } from '../../model/index.js';
import type {
  Backend,
  BackendCapabilities,
  BackendDeps,
  BackendHealth,
  BackendTrace,
  CallOptions,
  DependencyLink,
  Operation,
  TimeWindow,
  TraceQuery,
} from '../backend.js';
import type { BackendFactory } from '../factory.js';
import { timeHealthProbe } from '../shared/backend-failure.js';
import { inAskedOrder, logUnplacedWarnings } from '../shared/traces-by-id.js';
import { elasticsearchCapabilities } from './capabilities.js';
import { EsClient } from './client.js';
import { elasticsearchConfigSchema, type ElasticsearchConfig } from './config.js';
import { serviceFromStored } from './documents.js';
import { TraceSearch } from './find-traces.js';
import { dependencyIndices, recentWindow, serviceIndices, spanIndices, type IndexLayout } from './index-names.js';
import { esUnsupportedReason, jaegerDependenciesQuery, operationsRequest, remoteServicesRequest, servicesRequest } from './query.js';
import type { EsCompositeBucket } from './responses.js';
import { TraceFetcher } from './trace-fetcher.js';

const DEFAULT_PREFIX = { jaeger: '', zipkin: 'zipkin' } as const;
/** Candidate traces a search may read to order its answer exactly; below `search.max_buckets` (65,536). */
const MAX_SEARCH_CANDIDATES = 10_000;
/** Buckets per composite-aggregation page (times 7 with Zipkin's kind sub-aggregation, still under max_buckets). */
const NAMES_PAGE = 2_000;

export class ElasticsearchBackend implements Backend {
  readonly kind = 'elasticsearch' as const;
  readonly capabilities: BackendCapabilities;
  /**
   * Zipkin's schema only. Jaeger's keeps a remote service as one span tag among others (`peer.service`
   * in the nested `tags` or a `tag.*` field, as `tags_as_fields` says), in no field or document of its
   * own: its service documents hold service and operation names only (docs/formats/elasticsearch.md
   * §1.5), and Jaeger's query service lists no remote services. Aggregating the tag would answer from
   * the ES index what the `jaeger` backend, reading the same spans, cannot: skipped instead.
   */
  readonly getRemoteServices: ((service: string, call: CallOptions) => Promise<string[]>) | undefined;
  private readonly client: EsClient;
  private readonly layout: IndexLayout;
  private readonly fetcher: TraceFetcher;
  private version: string | null = null;

  constructor(
    private readonly config: ElasticsearchConfig,
    private readonly deps: BackendDeps,
  ) {
    this.client = new EsClient(config.name, config);
    this.layout = {
      schema: config.schema,
      indexPrefix: config.indexPrefix ?? DEFAULT_PREFIX[config.schema],
      dateSeparator: config.dateSeparator,
      rollover: config.rollover,
      useReadAliases: config.useReadAliases,
      spanIndexPattern: config.spanIndexPattern,
    };
    this.fetcher = new TraceFetcher(this.client, {
      backend: config.name,
      schema: config.schema,
      lookupIndices: () => spanIndices(this.layout, this.recent()),
      pageSize: config.pageSize,
      maxSpansPerTrace: config.maxSpansPerTrace,
      maxTermsCount: config.maxTermsCount,
      concurrency: config.maxConcurrency,
      tagDotReplacement: config.tagDotReplacement,
    });
    this.capabilities = elasticsearchCapabilities(config.schema);
    this.getRemoteServices = config.schema === 'zipkin' ? (service, call) => this.zipkinRemoteServices(service, call) : undefined;
  }

  get name(): string {
    return this.config.name;
  }

  /** The window `maxSpanAgeHours` allows for lookups and names; undefined: all time. */
  private recent(): TimeWindow | undefined {
    return recentWindow(this.config.maxSpanAgeHours, Date.now());
  }

  private checkSignal(call: CallOptions, what: string): void {
    if (call.signal.aborted)
      throw new BackendError('BACKEND_TIMEOUT', this.name, `${what} was aborted: timeout or request deadline`, undefined, {
        cause: call.signal.reason,
      });
  }

  async getTraces(ids: readonly TraceId[], call: CallOptions): Promise<Array<BackendTrace | BackendError>> {
    this.checkSignal(call, 'getTraces');
    if (ids.length === 0) return [];
    const { traces, unplaced } = await this.fetcher.fetch(ids, call);
    logUnplacedWarnings(this.deps.logger, this.name, unplaced);
    return inAskedOrder(ids, traces);
  }

  async findTraces(query: TraceQuery, call: CallOptions): Promise<TraceSummary[]> {
    this.checkSignal(call, 'findTraces');
    const reason = esUnsupportedReason(this.config.schema, query);
    if (reason !== null) throw new BackendError('BACKEND_UNSUPPORTED', this.name, reason);
    const search = new TraceSearch(this.client, this.fetcher, {
      backend: this.name,
      schema: this.config.schema,
      tagDotReplacement: this.config.tagDotReplacement,
      windowIndices: spanIndices(this.layout, query.window),
      allIndices: spanIndices(this.layout, this.recent()),
      maxCandidates: MAX_SEARCH_CANDIDATES,
      maxTermsCount: this.config.maxTermsCount,
    });
    return search.find(query, call);
  }

  async getServices(call: CallOptions): Promise<string[]> {
    this.checkSignal(call, 'getServices');
    const { schema } = this.config;
    const request = servicesRequest(schema);
    const indices = schema === 'jaeger' ? serviceIndices(this.layout, this.recent()) : spanIndices(this.layout, this.recent());
    const buckets = await this.client.compositeAll(indices, request.query, { sources: request.sources, size: NAMES_PAGE }, call);
    return [...new Set(buckets.map((b) => serviceFromStored(schema, b.key.service)))].sort(compareText);
  }

  async getOperations(service: string, spanKind: SpanKind | null, call: CallOptions): Promise<Operation[]> {
    this.checkSignal(call, 'getOperations');
    const { schema } = this.config;
    if (spanKind !== null && schema === 'jaeger') {
      throw new BackendError('BACKEND_UNSUPPORTED', this.name, "jaeger's Elasticsearch service index keeps no span kind per operation");
    }
    const request = operationsRequest(schema, service);
    const indices = schema === 'jaeger' ? serviceIndices(this.layout, this.recent()) : spanIndices(this.layout, this.recent());
    const buckets = await this.client.compositeAll(
      indices,
      request.query,
      { sources: request.sources, size: NAMES_PAGE, ...(request.aggs ? { aggs: request.aggs } : {}) },
      call,
    );
    const operations = new Map<string, Operation>();
    for (const bucket of buckets) {
      const name = typeof bucket.key.name === 'string' ? bucket.key.name : '';
      const kinds: SpanKind[] = schema === 'jaeger' ? ['UNSPECIFIED'] : zipkinKindsOf(bucket.key.kind, this.kindTagCounts(bucket));
      for (const kind of kinds) {
        if (spanKind === null || kind === spanKind) operations.set(`${name}\u0000${kind}`, { name, spanKind: kind });
      }
    }
    return [...operations.values()].sort(compareOperations);
  }

  private async zipkinRemoteServices(service: string, call: CallOptions): Promise<string[]> {
    this.checkSignal(call, 'getRemoteServices');
    const request = remoteServicesRequest(service);
    const indices = spanIndices(this.layout, this.recent());
    const buckets = await this.client.compositeAll(indices, request.query, { sources: request.sources, size: NAMES_PAGE }, call);
    const names = buckets.map((b) => b.key.remote).filter((name): name is string => typeof name === 'string');
    return [...new Set(names)].sort(compareText);
  }

  /** Documents per `span.kind` tag value in one Zipkin operations bucket (operationsRequest's `kind_tag`). */
  private kindTagCounts(bucket: EsCompositeBucket): Record<string, number> {
    const agg = bucket.kind_tag as { buckets?: Record<string, { doc_count?: unknown }> } | undefined;
    if (typeof agg !== 'object' || agg === null || typeof agg.buckets !== 'object' || agg.buckets === null) {
      throw new BackendError(
        'BACKEND_BAD_RESPONSE',
        this.name,
        `operations aggregation: bucket without kind_tag: ${JSON.stringify(bucket).slice(0, 160)}`,
      );
    }
    return Object.fromEntries(Object.entries(agg.buckets).map(([tag, b]) => [tag, typeof b?.doc_count === 'number' ? b.doc_count : 0]));
  }

  async getDependencies(window: TimeWindow, call: CallOptions): Promise<DependencyLink[]> {
    this.checkSignal(call, 'getDependencies');
    const { schema } = this.config;
    const indices = dependencyIndices(this.layout, window);
    const edges = new Map<string, DependencyLink>();
    const add = (parent: unknown, child: unknown, calls: unknown, errors: unknown): void => {
      if (typeof parent !== 'string' || typeof child !== 'string') return;
      const key = `${parent}\u0000${child}`;
      const edge = edges.get(key) ?? { parent, child, callCount: 0, errorCount: schema === 'jaeger' ? null : 0 };
      edge.callCount += typeof calls === 'number' ? calls : 0;
      if (edge.errorCount !== null) edge.errorCount += typeof errors === 'number' ? errors : 0;
      edges.set(key, edge);
    };
    // Jaeger's documents are one per job run, ranged on their timestamp; Zipkin's one per edge and day, chosen by index name.
    const query = schema === 'jaeger' ? jaegerDependenciesQuery(window.startUs, window.endUs) : { match_all: {} };
    await this.client.searchAll<Record<string, unknown>>(indices, query, {
      pageSize: this.config.pageSize,
      call,
      what: 'dependencies',
      onHits: (hits) => {
        for (const { _source: doc } of hits) {
          if (schema === 'jaeger') {
            const links = (doc as unknown as JaegerEsDependencies).dependencies;
            for (const link of Array.isArray(links) ? links : [])
              if (typeof link === 'object' && link !== null) add(link.parent, link.child, link.callCount, null);
          } else {
            const link = doc as unknown as ZipkinEsDependency;
            add(link.parent, link.child, link.callCount, link.errorCount);
          }
        }
      },
    });
    return [...edges.values()].sort((a, b) => compareText(a.parent, b.parent) || compareText(a.child, b.child));
  }

  /** Healthy unless the cluster is red or unreachable; `GET /_cluster/health`, never `GET /`. */
  health(call: CallOptions): Promise<BackendHealth> {
    const probe = async () => {
      const health = await this.client.clusterHealth(call);
      if (this.version === null) this.version = await this.client.version(call).catch(() => null);
      // The cluster's name stays in Elasticsearch: callers see its colour only.
      const detail = `cluster ${String(health.status).slice(0, 20)}; schema ${this.config.schema}`;
      return { healthy: health.status !== 'red', detail, version: this.version };
    };
    return timeHealthProbe(this.deps.logger, this.name, probe, () => this.version);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

export const elasticsearchBackendFactory: BackendFactory<ElasticsearchConfig> = {
  kind: 'elasticsearch',
  configSchema: elasticsearchConfigSchema,
  create: (config, deps) => new ElasticsearchBackend(config, deps),
};

export type { ElasticsearchConfig } from './config.js';
