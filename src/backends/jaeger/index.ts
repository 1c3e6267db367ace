/**
 * The `jaeger` backend: a Jaeger query service over HTTP. api_v3 is the main path (services,
 * operations, search, single traces); the v1 JSON API serves what v3 lacks: fetching many traces in
 * one call and dependencies. `api: auto` (default) probes once which of the two the server has;
 * `v3` or `v1` pins one. Traces are fetched raw: merging and skew correction are Tracegate's.
 */
import { BackendError } from '../../errors.js';
import { mapJaegerTrace } from '../../formats/jaeger-json/index.js';
import { mapOtlpTraces } from '../../formats/otlp-json/index.js';
import { compareOperations, type Span, type TraceId, type TraceSummary } from '../../model/index.js';
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
import { mapBounded } from '../http/http-client.js';
import { timeHealthProbe } from '../shared/backend-failure.js';
import { summariseMatchingTraces } from '../shared/match-query.js';
import { fileTraces, inAskedOrder, logUnplacedWarnings, offerWholeTraces, onlyTrace } from '../shared/traces-by-id.js';
import { jaegerCapabilities, type JaegerApis } from './capabilities.js';
import { JaegerClient } from './client.js';
import { jaegerConfigSchema, type JaegerConfig } from './config.js';
import { fromJaegerSpanKind, isBoundedEventSearch, jaegerSearchQuery, toJaegerSpanKind, toV1SearchParams, toV3SearchParams } from './query.js';

export class JaegerBackend implements Backend {
  readonly kind = 'jaeger' as const;
  private readonly client: JaegerClient;
  private apis: JaegerApis | undefined;
  private probing: Promise<JaegerApis> | undefined;

  constructor(
    private readonly config: JaegerConfig,
    private readonly deps: BackendDeps,
  ) {
    this.client = new JaegerClient(config.name, config);
    if (config.api === 'v3') this.apis = { v3: true, v1: false };
    if (config.api === 'v1') this.apis = { v3: false, v1: true };
  }

  get name(): string {
    return this.config.name;
  }

  /** Before the probe: as if both APIs answer, so nothing is skipped that the server may serve. */
  get capabilities(): BackendCapabilities {
    return jaegerCapabilities(this.apis ?? { v3: true, v1: true });
  }

  /**
   * Probes once (concurrent callers share the probe); a failed probe is retried on the next call. The
   * probe runs under the first caller's CallOptions, headers included: what it learns is which APIs the
   * server has, nothing about that caller, so later callers may share it.
   */
  private async which(call: CallOptions): Promise<JaegerApis> {
    if (this.apis) return this.apis;
    this.probing ??= this.client.probe(call).then(
      (apis) => {
        this.apis = apis;
        this.deps.logger.info({ apis }, 'jaeger query APIs detected');
        return apis;
      },
      (error: unknown) => {
        this.probing = undefined;
        throw error;
      },
    );
    return this.probing;
  }

  async getTraces(ids: readonly TraceId[], call: CallOptions): Promise<Array<BackendTrace | BackendError>> {
    if (ids.length === 0) return [];
    const apis = await this.which(call);
    // api_v3 whenever the server has it, even for many ids: the v1 multi-get is lossy (arrays and maps
    // as JSON text, links as FOLLOWS_FROM references without attributes, nameless events; one NaN
    // double fails the whole call with HTTP 500), and a batched id must read exactly as it reads alone.
    if (apis.v3) return this.getTracesV3(ids, call);
    return this.getTracesV1(ids, call);
  }

  /** api_v3 has no multi-get: one call per id, at most maxConcurrency in flight. */
  private getTracesV3(ids: readonly TraceId[], call: CallOptions): Promise<Array<BackendTrace | BackendError>> {
    return mapBounded(ids, this.config.maxConcurrency, async (id) => {
      try {
        const result = await this.client.getTraceV3(id, call);
        if (result === null) return { spans: [], warnings: [] };
        return onlyTrace(id, mapOtlpTraces(result, this.name));
      } catch (error) {
        if (error instanceof BackendError && error.code !== 'BACKEND_TIMEOUT') return error;
        throw error;
      }
    });
  }

  /**
   * A v1-only Jaeger: the multi-get, in chunks. A chunk the server fails as a whole (HTTP 500 for one
   * trace it cannot render) is fetched again one id at a time, so only the trace that fails fails,
   * and its error says that the batch call failed first.
   */
  private async getTracesV1(ids: readonly TraceId[], call: CallOptions): Promise<Array<BackendTrace | BackendError>> {
    // Each id once: Jaeger answers a repeated traceID with the trace twice.
    const unique = [...new Set(ids)];
    const chunks: TraceId[][] = [];
    for (let i = 0; i < unique.length; i += this.config.batchSize) chunks.push(unique.slice(i, i + this.config.batchSize));
    const byTrace = new Map<TraceId, BackendTrace>();
    const failed = new Map<TraceId, BackendError>();
    await Promise.all(
      chunks.map(async (chunk) => {
        let traces: Awaited<ReturnType<typeof this.client.getTracesV1>>;
        try {
          traces = await this.client.getTracesV1(chunk, call);
        } catch (error) {
          if (chunk.length === 1 || !(error instanceof BackendError) || error.code === 'BACKEND_TIMEOUT') throw error;
          const one = await mapBounded(chunk, this.config.maxConcurrency, (id) => this.getTraceV1Alone(id, error, call));
          chunk.forEach((id, i) => {
            const answer = one[i]!;
            if (answer instanceof BackendError) failed.set(id, answer);
            else byTrace.set(id, answer);
          });
          return;
        }
        const unplaced = fileTraces(
          traces.map((trace) => mapJaegerTrace(trace, this.name)),
          chunk,
          byTrace,
        );
        logUnplacedWarnings(this.deps.logger, this.name, unplaced);
      }),
    );
    return inAskedOrder(ids, new Map<TraceId, BackendTrace | BackendError>([...byTrace, ...failed]));
  }

  private async getTraceV1Alone(id: TraceId, batchError: BackendError, call: CallOptions): Promise<BackendTrace | BackendError> {
    try {
      const traces = await this.client.getTracesV1([id], call);
      const mapped = traces.map((trace) => mapJaegerTrace(trace, this.name));
      return onlyTrace(id, { spans: mapped.flatMap((m) => m.spans), warnings: mapped.flatMap((m) => m.warnings) });
    } catch (error) {
      if (!(error instanceof BackendError) || error.code === 'BACKEND_TIMEOUT') throw error;
      const alone = (why: string, batchWhy: string): string => `${why} (fetched alone after the multi-get for several ids failed: ${batchWhy})`;
      return new BackendError(error.code, this.name, alone(error.message, batchError.message), error.httpStatus, {
        publicReason: alone(error.publicReason, batchError.publicReason),
      });
    }
  }

  async findTraces(query: TraceQuery, call: CallOptions): Promise<TraceSummary[]> {
    if (query.service === null) throw new BackendError('BACKEND_UNSUPPORTED', this.name, 'Jaeger needs a service to search');
    const apis = await this.which(call);
    if (query.attributes.length > 0 && !apis.v1) {
      // Before Jaeger v2.14 api_v3 over HTTP ignores attribute filters, and the server does not say
      // which version it is: refuse rather than answer a broader search as if it were this one.
      throw new BackendError('BACKEND_UNSUPPORTED', this.name, 'this Jaeger serves only api_v3, which cannot be trusted to filter by attributes');
    }
    const sent = jaegerSearchQuery(query);
    let spans: Span[];
    if (apis.v3 && query.attributes.length === 0) {
      const result = await this.client.findTracesV3(toV3SearchParams(sent), call);
      const mapping = result === null ? { spans: [], warnings: [] } : mapOtlpTraces(result, this.name);
      // api_v3 answers every hit in one document, whose warnings name no trace: then none is offered.
      if (mapping.warnings.length === 0) offerWholeTraces([mapping], call);
      spans = mapping.spans;
    } else {
      const mappings = (await this.client.findTracesV1(toV1SearchParams(sent), call)).map((trace) => mapJaegerTrace(trace, this.name));
      offerWholeTraces(mappings, call);
      spans = mappings.flatMap((m) => m.spans);
    }
    if (query.eventName !== undefined && !isBoundedEventSearch(sent, new Set(spans.map((s) => s.traceId)).size)) {
      throw new BackendError(
        'BACKEND_UNSUPPORTED',
        this.name,
        `Jaeger cannot match event names itself, and ${sent.limit} or more traces match the rest of the query; narrow the service or the window`,
      );
    }
    // Jaeger answers a superset (see jaegerSearchQuery); full traces come back, so the exact rule is
    // applied here.
    return summariseMatchingTraces(spans, query);
  }

  async getServices(call: CallOptions): Promise<string[]> {
    const apis = await this.which(call);
    const services = apis.v3 ? await this.client.getServicesV3(call) : await this.client.getServicesV1(call);
    return [...new Set(services)].sort();
  }

  async getOperations(service: string, spanKind: Operation['spanKind'] | null, call: CallOptions): Promise<Operation[]> {
    const apis = await this.which(call);
    const kind = spanKind === null ? null : toJaegerSpanKind(spanKind);
    const raw = apis.v3 ? await this.client.getOperationsV3(service, kind, call) : await this.client.getOperationsV1(service, kind, call);
    const seen = new Map<string, Operation>();
    for (const op of raw) {
      const operation = { name: op.name, spanKind: fromJaegerSpanKind(op.spanKind) };
      if (spanKind !== null && operation.spanKind !== spanKind) continue;
      seen.set(`${operation.name}\u0000${operation.spanKind}`, operation);
    }
    return [...seen.values()].sort(compareOperations);
  }

  async getDependencies(window: TimeWindow, call: CallOptions): Promise<DependencyLink[]> {
    const apis = await this.which(call);
    if (!apis.v1) throw new BackendError('BACKEND_UNSUPPORTED', this.name, 'Jaeger api_v3 over HTTP serves no dependencies');
    // Jaeger's bounds are exclusive (memory store: trace start strictly after the start, end strictly
    // before the end); Tracegate's are inclusive, so one millisecond is added on each side.
    const endMs = Math.ceil(window.endUs / 1000) + 1;
    const lookbackMs = Math.max(1, endMs - (Math.floor(window.startUs / 1000) - 1));
    const links = await this.client.getDependenciesV1(endMs, lookbackMs, call);
    return links.map((l) => ({ parent: l.parent, child: l.child, callCount: l.callCount, errorCount: null }));
  }

  health(call: CallOptions): Promise<BackendHealth> {
    return timeHealthProbe(this.deps.logger, this.name, async () => {
      const apis = await this.which(call);
      await (apis.v3 ? this.client.getServicesV3(call) : this.client.getServicesV1(call));
      return { healthy: true, detail: `query APIs: ${[apis.v3 && 'api_v3', apis.v1 && 'v1'].filter(Boolean).join(', ')}`, version: null };
    });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

export const jaegerBackendFactory: BackendFactory<JaegerConfig> = {
  kind: 'jaeger',
  configSchema: jaegerConfigSchema,
  create: (config, deps) => new JaegerBackend(config, deps),
};

export type { JaegerConfig } from './config.js';
