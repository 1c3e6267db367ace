/**
 * The resilience layer of one backend instance: a decorator the gateway builds around every backend it
 * makes from config (server/build-gateway.ts, tenancy/build-scopes.ts), so it sits beneath the cache
 * (cache hits never reach it, and a refused call is a failure the cache never stores) and above the
 * backend's own client. It owns three decisions and nothing else:
 *
 * - the circuit breaker (circuit.ts): after `consecutiveFailures` failures in a row the backend is not
 *   called for `halfOpenAfterMs`; a call meanwhile throws BACKEND_UNAVAILABLE ("circuit open …") at
 *   once, which fan-out reports as FAILED like any other failure, so the answer is partial as usual;
 * - the deadline: a call whose remaining budget (CallOptions.timeoutAt/deadlineAt) is shorter than
 *   the median of this method's recent successful calls is not started (BACKEND_TIMEOUT);
 * - hedging, off unless configured: a trace fetch not answered after the backend's p95 is sent again.
 *
 * Failures are timeouts (the backend's own, not a request that ran out of time or a caller gone),
 * BACKEND_UNAVAILABLE and BACKEND_BAD_RESPONSE, thrown or as every entry of a trace batch. Not
 * failures: BACKEND_REJECTED (the backend answered: the query's fault) and BACKEND_UNSUPPORTED.
 * Health probes go straight through: they are how operators watch a backend whose circuit is open.
 */
import type { Backend, BackendHealth, BackendTrace, CallOptions, DependencyLink, Operation, TimeWindow, TraceQuery } from '../backends/backend.js';
import { BackendError } from '../errors.js';
import type { SpanKind, TraceId, TraceSummary } from '../model/index.js';
import { Circuit, describeOpenCircuit, type CircuitStatus, type CircuitVerdict } from './circuit.js';
import type { CircuitBoard } from './circuit-board.js';
import type { CircuitBreakerConfig, HedgeConfig } from './config.js';
import { hedged } from './hedge.js';
import { LatencyWindow } from './latency-window.js';

export interface ResilienceSettings {
  circuitBreaker: CircuitBreakerConfig;
  hedge: HedgeConfig;
}

/** A timeout that only shows the caller ran out of time (or left): not the backend's failure. */
const callerEnded = new WeakSet<object>();

const FAILURE_CODES = new Set(['BACKEND_TIMEOUT', 'BACKEND_UNAVAILABLE', 'BACKEND_BAD_RESPONSE']);

function isCountedError(error: unknown): boolean {
  return error instanceof BackendError && FAILURE_CODES.has(error.code) && !callerEnded.has(error);
}

const verdict: CircuitVerdict = {
  // A probe the caller's deadline cut short proved nothing: it keeps the circuit open.
  isFailure: (error, isProbe) => isCountedError(error) || (isProbe && error instanceof BackendError && callerEnded.has(error)),
  isFailedResult: (value) => Array.isArray(value) && value.length > 0 && value.every(isCountedError),
  describe: (failure) => {
    if (failure instanceof BackendError) return `${failure.code}: ${failure.publicReason}`;
    if (Array.isArray(failure) && failure[0] instanceof BackendError)
      return `${failure[0].code}: ${failure[0].publicReason} (every trace of a batch)`;
    return 'failed';
  },
};

/**
 * `work`, or a BACKEND_TIMEOUT as soon as `signal` aborts if `work` has not settled by then: an adapter
 * that ignored its signal would otherwise leave a half-open probe in flight for ever, and its circuit
 * refusing every call.
 */
function settledByAbort<T>(work: Promise<T>, signal: AbortSignal, backend: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        new BackendError('BACKEND_TIMEOUT', backend, 'aborted before the backend answered', undefined, {
          cause: signal.reason,
          publicReason: 'aborted: timeout or request deadline',
        }),
      );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

type Method = 'getTraces' | 'findTraces' | 'getServices' | 'getOperations' | 'getDependencies' | 'getAttributes' | 'getRemoteServices';

export class ResilientBackend implements Backend {
  readonly circuit: Circuit | undefined;
  private readonly latency = new Map<Method, LatencyWindow>();

  constructor(
    readonly inner: Backend,
    private readonly settings: ResilienceSettings,
    /** The instance's label in metrics: its name, `name@tenant` for a tenant's own instance. */
    readonly label: string,
    private readonly board?: CircuitBoard,
  ) {
    if (settings.circuitBreaker.enabled) {
      const refusal = (status: CircuitStatus) =>
        new BackendError('BACKEND_UNAVAILABLE', inner.name, `not called: ${describeOpenCircuit(status)}`, undefined, {
          publicReason: describeOpenCircuit(status),
        });
      this.circuit = new Circuit(label, settings.circuitBreaker, verdict, refusal);
      board?.add(this.circuit);
    }
  }

  get name(): string {
    return this.inner.name;
  }
  get kind(): Backend['kind'] {
    return this.inner.kind;
  }
  get capabilities(): Backend['capabilities'] {
    return this.inner.capabilities;
  }

  /** What this method's recent successful calls needed (ms), at quantile q; undefined before enough calls. */
  usualMs(method: Method, q = 0.5): number | undefined {
    return this.latency.get(method)?.quantile(q);
  }

  private async guard<T>(method: Method, call: CallOptions, work: (call: CallOptions) => Promise<T>): Promise<T> {
    const usual = this.usualMs(method);
    const end = Math.min(call.timeoutAt ?? Infinity, call.deadlineAt ?? Infinity);
    const remaining = end - Date.now();
    if (usual !== undefined && remaining < usual) {
      this.board?.refusedForDeadline(this.label);
      const reason = `remaining deadline ${Math.max(0, Math.round(remaining))} ms is shorter than the ${Math.round(usual)} ms this backend usually needs`;
      throw new BackendError('BACKEND_TIMEOUT', this.name, `${method} not started: ${reason}`, undefined, { publicReason: reason });
    }
    const attempt = async (): Promise<T> => {
      const started = performance.now();
      try {
        const value = await settledByAbort(work(call), call.signal, this.name);
        let window = this.latency.get(method);
        if (window === undefined) this.latency.set(method, (window = new LatencyWindow()));
        window.add(performance.now() - started);
        return value;
      } catch (error) {
        // Aborted, but not by this backend's own timeout: the request's deadline passed or its caller left.
        const isOwnTimeout = call.timeoutAt !== undefined && call.timeoutAt <= (call.deadlineAt ?? Infinity) && Date.now() >= call.timeoutAt - 5;
        if (call.signal.aborted && !isOwnTimeout && typeof error === 'object' && error !== null) callerEnded.add(error);
        throw error;
      }
    };
    return this.circuit ? this.circuit.run(attempt) : attempt();
  }

  getTraces(ids: readonly TraceId[], call: CallOptions): Promise<Array<BackendTrace | BackendError>> {
    const { hedge } = this.settings;
    if (!hedge.enabled) return this.guard('getTraces', call, (c) => this.inner.getTraces(ids, c));
    return this.guard('getTraces', call, (c) => {
      const p95 = this.usualMs('getTraces', 0.95);
      // No estimate yet (fewer than ten answers): no hedge, rather than doubling a cold backend's load.
      if (p95 === undefined) return this.inner.getTraces(ids, c);
      return hedged((signal) => this.inner.getTraces(ids, { ...c, signal }), Math.max(hedge.minDelayMs, p95), c.signal);
    });
  }

  findTraces(query: TraceQuery, call: CallOptions): Promise<TraceSummary[]> {
    return this.guard('findTraces', call, (c) => this.inner.findTraces(query, c));
  }

  getServices(call: CallOptions): Promise<string[]> {
    return this.guard('getServices', call, (c) => this.inner.getServices(c));
  }

  getOperations(service: string, spanKind: SpanKind | null, call: CallOptions): Promise<Operation[]> {
    return this.guard('getOperations', call, (c) => this.inner.getOperations(service, spanKind, c));
  }

  getDependencies(window: TimeWindow, call: CallOptions): Promise<DependencyLink[]> {
    return this.guard('getDependencies', call, (c) => this.inner.getDependencies(window, c));
  }

  // Present only when the inner backend has them, so fan-out still skips backends without them.
  get getAttributeKeys(): ((call: CallOptions) => Promise<string[]>) | undefined {
    const inner = this.inner;
    if (!inner.getAttributeKeys) return undefined;
    return (call) => this.guard('getAttributes', call, (c) => inner.getAttributeKeys!(c));
  }

  get getAttributeValues(): ((key: string, call: CallOptions) => Promise<string[]>) | undefined {
    const inner = this.inner;
    if (!inner.getAttributeValues) return undefined;
    return (key, call) => this.guard('getAttributes', call, (c) => inner.getAttributeValues!(key, c));
  }

  get getRemoteServices(): ((service: string, call: CallOptions) => Promise<string[]>) | undefined {
    const inner = this.inner;
    if (!inner.getRemoteServices) return undefined;
    return (service, call) => this.guard('getRemoteServices', call, (c) => inner.getRemoteServices!(service, c));
  }

  health(call: CallOptions): Promise<BackendHealth> {
    return this.inner.health(call);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The circuit state of a backend the gateway wrapped (undefined: not wrapped, or its breaker is off). */
export function circuitStatusOf(backend: Backend): CircuitStatus | undefined {
  return backend instanceof ResilientBackend ? backend.circuit?.status() : undefined;
}
