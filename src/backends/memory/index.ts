/**
 * The `memory` backend: an in-process trace store, and Tracegate's default (the embedded demo). It
 * holds what it is given: the demo dataset of src/demo/ (`demo: true`, loaded at start-up), trace
 * files exported from other tools (`files`), and whatever tests add with `addSpans`. It can do
 * everything the Backend contract describes, exactly, so it is also the reference the shared
 * contract suite is checked against.
 *
 * Storage and indexes are store.ts; search semantics search.ts; the service graph dependencies.ts.
 */
import type { BackendError } from '../../errors.js';
import { cloneSpan, nowMicros, type Span, type SpanKind, type TraceId, type TraceSummary } from '../../model/index.js';
import {
  ALL_CAPABILITIES,
  type Backend,
  type BackendCapabilities,
  type BackendDeps,
  type BackendHealth,
  type BackendTrace,
  type CallOptions,
  type DependencyLink,
  type Operation,
  type TimeWindow,
  type TraceQuery,
} from '../backend.js';
import { generateDemoSpans } from '../../demo/index.js';
import type { BackendFactory } from '../factory.js';
import { CallGuard } from './call-guard.js';
import { memoryConfigSchema, type MemoryBackendConfig } from './config.js';
import { computeDependencies } from './dependencies.js';
import { loadTraceFiles } from './load-trace-files.js';
import { searchTraces } from './search.js';
import { TraceStore } from './store.js';

export class MemoryBackend implements Backend {
  readonly kind = 'memory' as const;
  /** The reference store: it can do everything, exactly. */
  readonly capabilities: BackendCapabilities = ALL_CAPABILITIES;
  private readonly store: TraceStore;

  constructor(readonly name: string) {
    this.store = new TraceStore(name);
  }

  /**
   * Adds spans (copied; `sources` becomes [this.name]). A span whose id the trace already holds
   * replaces the stored one. For start-up loading and tests.
   */
  addSpans(spans: readonly Span[]): void {
    this.store.add(spans);
  }

  get traceCount(): number {
    return this.store.traceCount;
  }

  get spanCount(): number {
    return this.store.spanCount;
  }

  /** Warnings are always empty: what loading a file could not keep was logged when it was loaded (load-trace-files.ts). */
  async getTraces(ids: readonly TraceId[], call: CallOptions): Promise<Array<BackendTrace | BackendError>> {
    const guard = new CallGuard(this.name, call.signal);
    const traces: BackendTrace[] = [];
    for (const id of ids) {
      const spans = this.store.get(id) ?? [];
      // Each position gets its own copy, even for an id listed twice: the caller owns every object.
      traces.push({ spans: spans.map(cloneSpan), warnings: [] });
      if (guard.tick(spans.length)) await guard.pause();
    }
    return traces;
  }

  findTraces(query: TraceQuery, call: CallOptions): Promise<TraceSummary[]> {
    return this.guarded(call, (guard) => searchTraces(this.store, query, guard));
  }

  getServices(call: CallOptions): Promise<string[]> {
    return this.guarded(call, async () => this.store.services());
  }

  getOperations(service: string, spanKind: SpanKind | null, call: CallOptions): Promise<Operation[]> {
    return this.guarded(call, async () => this.store.operations(service).filter((op) => spanKind === null || op.spanKind === spanKind));
  }

  getDependencies(window: TimeWindow, call: CallOptions): Promise<DependencyLink[]> {
    return this.guarded(call, (guard) => computeDependencies(this.store, window, guard));
  }

  getRemoteServices(service: string, call: CallOptions): Promise<string[]> {
    return this.guarded(call, async () => this.store.remoteServices(service));
  }

  getAttributeKeys(call: CallOptions): Promise<string[]> {
    return this.guarded(call, async () => this.store.attributeKeys());
  }

  getAttributeValues(key: string, call: CallOptions): Promise<string[]> {
    return this.guarded(call, async () => this.store.attributeValues(key));
  }

  async health(_call: CallOptions): Promise<BackendHealth> {
    return { healthy: true, latencyMs: 0, detail: `${this.store.traceCount} traces, ${this.store.spanCount} spans in memory`, version: null };
  }

  async close(): Promise<void> {}

  /** Runs `work` under the call's signal: an already-aborted call rejects before any work. */
  private async guarded<T>(call: CallOptions, work: (guard: CallGuard) => Promise<T>): Promise<T> {
    const guard = new CallGuard(this.name, call.signal);
    const result = await work(guard);
    guard.check();
    return result;
  }
}

/** Builds a memory backend from its config: demo data first, then the files in order. Throws TraceFileLoadError. */
export function createMemoryBackend(config: MemoryBackendConfig, deps: BackendDeps): MemoryBackend {
  const backend = new MemoryBackend(config.name);
  if (config.demo) backend.addSpans(generateDemoSpans({ seed: config.demoSeed, nowUs: nowMicros() }));
  if (config.files.length > 0) backend.addSpans(loadTraceFiles(config.name, config.files, deps.logger));
  deps.logger.info({ traces: backend.traceCount, spans: backend.spanCount, demo: config.demo, files: config.files.length }, 'memory backend ready');
  return backend;
}

export const memoryBackendFactory: BackendFactory<MemoryBackendConfig> = {
  kind: 'memory',
  configSchema: memoryConfigSchema,
  create: createMemoryBackend,
};

export { TraceFileLoadError } from './load-trace-files.js';
export type { MemoryBackendConfig } from './config.js';
