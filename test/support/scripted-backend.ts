/**
 * A Backend whose answers a unit test scripts (delay, failure, spans). Only for testing the
 * federation layer's own logic; every real backend is tested against its real server.
 */
import {
  NO_CAPABILITIES,
  type Backend,
  type BackendCapabilities,
  type BackendKind,
  type CallOptions,
  type DependencyLink,
} from '../../src/backends/backend.js';
import { BackendError } from '../../src/errors.js';
import type { Span, TraceId, TraceSummary } from '../../src/model/index.js';

export interface Script {
  delayMs?: number;
  fail?: BackendError;
  /** Ignore the abort signal (a badly behaved adapter). */
  ignoreSignal?: boolean;
  spans?: Span[];
  /** getTraces' warnings per trace id (what reading the trace could not keep). */
  traceWarnings?: Record<string, string[]>;
  summaries?: TraceSummary[];
  services?: string[];
  dependencies?: DependencyLink[];
}

export class ScriptedBackend implements Backend {
  readonly calls: Array<{ method: string; args: unknown }> = [];
  /** The CallOptions each call got, in call order (health included): what fan-out and the cache hand on. */
  readonly received: Array<{ method: string; call: CallOptions }> = [];
  constructor(
    readonly name: string,
    public script: Script = {},
    readonly capabilities: BackendCapabilities = { ...NO_CAPABILITIES, batchGetTraces: true, searchWithoutService: true },
    readonly kind: BackendKind = 'memory',
  ) {}

  private async run<T>(method: string, args: unknown, call: CallOptions, value: () => T): Promise<T> {
    const { signal } = call;
    this.calls.push({ method, args });
    this.received.push({ method, call });
    if (this.script.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.script.delayMs);
        if (!this.script.ignoreSignal) {
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new BackendError('BACKEND_TIMEOUT', this.name, 'aborted'));
          });
        }
      });
    }
    if (this.script.fail) throw this.script.fail;
    return value();
  }

  getTraces(ids: readonly TraceId[], call: CallOptions) {
    return this.run('getTraces', ids, call, () =>
      ids.map((id) => ({
        spans: (this.script.spans ?? []).filter((s) => s.traceId === id).map((s) => ({ ...s, sources: [this.name] })),
        warnings: [...(this.script.traceWarnings?.[id] ?? [])],
      })),
    );
  }
  findTraces(query: unknown, call: CallOptions) {
    return this.run('findTraces', query, call, () => this.script.summaries ?? []);
  }
  getServices(call: CallOptions) {
    return this.run('getServices', null, call, () => this.script.services ?? []);
  }
  getOperations(service: string, _kind: unknown, call: CallOptions) {
    return this.run('getOperations', service, call, () => []);
  }
  getDependencies(window: unknown, call: CallOptions) {
    return this.run('getDependencies', window, call, () => this.script.dependencies ?? []);
  }
  async health(call: CallOptions) {
    this.received.push({ method: 'health', call });
    return { healthy: true, latencyMs: 0, detail: null, version: null };
  }
  async close() {}
}
