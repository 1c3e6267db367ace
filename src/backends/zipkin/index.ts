/**
 * The `zipkin` backend: Zipkin's API v2 over HTTP. Many traces are one `traceMany` call (at most
 * `batchSize` ids each, since Zipkin's request line is limited to 4 KiB); search answers are
 * re-checked against Tracegate's one-span semantics (shared/match-query.ts) because Zipkin's
 * in-memory store lets each term match a different span.
 */
import { BackendError } from '../../errors.js';
import { isObject } from '../../formats/shared/index.js';
import { mapZipkinSpans, type ZipkinTrace } from '../../formats/zipkin-v2/index.js';
import { tryParseTraceId, type TraceId, type TraceSummary } from '../../model/index.js';
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
import { summariseMatchingTraces } from '../shared/match-query.js';
import { fileTraces, inAskedOrder, logUnplacedWarnings, offerWholeTraces } from '../shared/traces-by-id.js';
import { ZIPKIN_CAPABILITIES } from './capabilities.js';
import { ZipkinClient } from './client.js';
import { zipkinConfigSchema, type ZipkinConfig } from './config.js';
import { toZipkinSearchParams, zipkinUnsupportedReason } from './query.js';

export class ZipkinBackend implements Backend {
  readonly kind = 'zipkin' as const;
  readonly capabilities: BackendCapabilities = ZIPKIN_CAPABILITIES;
  private readonly client: ZipkinClient;

  constructor(
    private readonly config: ZipkinConfig,
    private readonly deps: BackendDeps,
  ) {
    this.client = new ZipkinClient(config.name, config);
  }

  get name(): string {
    return this.config.name;
  }

  async getTraces(ids: readonly TraceId[], call: CallOptions): Promise<Array<BackendTrace | BackendError>> {
    if (ids.length === 0) return [];
    const chunks: TraceId[][] = [];
    for (let i = 0; i < ids.length; i += this.config.batchSize) chunks.push(ids.slice(i, i + this.config.batchSize));
    const answers = await Promise.all(chunks.map((chunk) => this.client.getTraceMany(chunk, call)));
    // Zipkin answers 64-bit traces with 16-hex ids and in no order: file them by normalised id.
    const byTrace = new Map<TraceId, BackendTrace>();
    answers.forEach((traces, i) => {
      const mappings = traces.map((trace) => ({ ...mapZipkinSpans(trace, this.name), traceId: wireTraceId(trace) }));
      logUnplacedWarnings(this.deps.logger, this.name, fileTraces(mappings, chunks[i]!, byTrace));
    });
    return inAskedOrder(ids, byTrace);
  }

  async findTraces(query: TraceQuery, call: CallOptions): Promise<TraceSummary[]> {
    const reason = zipkinUnsupportedReason(query);
    if (reason !== null) throw new BackendError('BACKEND_UNSUPPORTED', this.name, reason);
    const traces = await this.client.findTraces(toZipkinSearchParams(query), call);
    const mappings = traces.map((trace) => ({ ...mapZipkinSpans(trace, this.name), traceId: wireTraceId(trace) }));
    offerWholeTraces(mappings, call);
    return summariseMatchingTraces(
      mappings.flatMap((m) => m.spans),
      query,
      { ignoreNameCase: true },
    );
  }

  async getServices(call: CallOptions): Promise<string[]> {
    return [...new Set(await this.client.getServices(call))].sort();
  }

  async getOperations(service: string, spanKind: Operation['spanKind'] | null, call: CallOptions): Promise<Operation[]> {
    if (spanKind !== null) throw new BackendError('BACKEND_UNSUPPORTED', this.name, 'Zipkin keeps no span kind per operation');
    const names = await this.client.getSpanNames(service, call);
    return [...new Set(names)].sort().map((name) => ({ name, spanKind: 'UNSPECIFIED' as const }));
  }

  /** `/api/v2/remoteServices`: Zipkin lower-cases the service it is asked for, as it lower-cased every name on ingest. */
  async getRemoteServices(service: string, call: CallOptions): Promise<string[]> {
    return [...new Set(await this.client.getRemoteServices(service, call))].sort();
  }

  async getDependencies(window: TimeWindow, call: CallOptions): Promise<DependencyLink[]> {
    const endMs = Math.ceil(window.endUs / 1000);
    const lookbackMs = Math.max(1, endMs - Math.floor(window.startUs / 1000));
    const links = await this.client.getDependencies(endMs, lookbackMs, call);
    return links.map((l) => ({ parent: l.parent, child: l.child, callCount: l.callCount ?? 0, errorCount: l.errorCount ?? 0 }));
  }

  async getAttributeKeys(call: CallOptions): Promise<string[]> {
    return [...new Set(await this.client.getAutocompleteKeys(call))].sort();
  }

  async getAttributeValues(key: string, call: CallOptions): Promise<string[]> {
    return [...new Set(await this.client.getAutocompleteValues(key, call))].sort();
  }

  health(call: CallOptions): Promise<BackendHealth> {
    return timeHealthProbe(this.deps.logger, this.name, async () => {
      const [health, version] = await Promise.all([this.client.health(call), this.client.version(call)]);
      return { healthy: health.up, detail: health.detail, version };
    });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

export const zipkinBackendFactory: BackendFactory<ZipkinConfig> = {
  kind: 'zipkin',
  configSchema: zipkinConfigSchema,
  create: (config, deps) => new ZipkinBackend(config, deps),
};

/** The trace a traceMany list holds, by its first span with a valid trace id: where warnings about its skipped spans belong. */
function wireTraceId(trace: ZipkinTrace): TraceId | undefined {
  for (const span of trace) {
    const id = isObject(span) ? tryParseTraceId(span.traceId) : undefined;
    if (id !== undefined) return id;
  }
  return undefined;
}

export type { ZipkinConfig } from './config.js';
