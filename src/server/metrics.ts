/**
 * Prometheus metrics at /metrics (prom-client), every name documented in README ("Operating
 * Tracegate" → "Metrics"): process defaults (event-loop lag among them), requests by API and operation
 * (RED: count by status, errors by code, a duration histogram) and in flight, backend calls (count,
 * outcomes, latency, response bytes), the cache counters per layer, kind and event with their hit
 * ratio, what the in-process cache holds, and the circuit breakers' states and refusals. Every label
 * value comes from configuration or a fixed set, or is folded into one (metric-labels.ts), so the
 * number of series is bounded.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { RESPONSE_BYTES_CHANNEL, type ResponseBytes } from '../backends/http/response-bytes.js';
import type { LayeredCache } from '../cache/layered.js';
import type { BackendOutcome } from '../model/index.js';
import type { CircuitBoard, CircuitStateName } from '../resilience/index.js';

const CIRCUIT_STATE_VALUE: Record<CircuitStateName, number> = { closed: 0, open: 1, halfOpen: 2 };

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One finished API request, its labels already bounded (metric-labels.ts). */
export interface RequestSample {
  api: string;
  operation: string;
  status: number;
  /** Error codes of the answer: GraphQL's `extensions.code`s, or the HTTP status of another API's error. */
  errorCodes: readonly string[];
  durationMs: number;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly backendLatency: Histogram<'backend' | 'state'>;
  private readonly backendOutcomes: Counter<'backend' | 'state' | 'code' | 'cached'>;
  private readonly backendCalls: Counter<'backend' | 'kind'>;
  private readonly backendBytes: Counter<'backend'>;
  private readonly cacheEvents: Counter<'layer' | 'kind' | 'event'>;
  private readonly requests: Counter<'api' | 'operation' | 'status'>;
  private readonly requestErrors: Counter<'api' | 'operation' | 'code'>;
  private readonly requestDuration: Histogram<'api' | 'operation'>;
  readonly inFlight: Gauge;
  private readonly onBytes = (message: unknown): void => {
    const { backend, bytes } = message as ResponseBytes;
    this.backendBytes.inc({ backend }, bytes);
  };

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.backendLatency = new Histogram({
      name: 'tracegate_backend_call_seconds',
      help: 'Wall time of one call to a backend, by backend and outcome state',
      labelNames: ['backend', 'state'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.backendOutcomes = new Counter({
      name: 'tracegate_backend_outcomes_total',
      help: 'Backend calls by backend, outcome state, error code and whether the cache answered',
      labelNames: ['backend', 'state', 'code', 'cached'],
      registers,
    });
    this.backendCalls = new Counter({
      name: 'tracegate_backend_calls_total',
      help: 'Calls to a backend (skipped ones not counted), answered by the cache or not, by backend and kind',
      labelNames: ['backend', 'kind'],
      registers,
    });
    this.backendBytes = new Counter({
      name: 'tracegate_backend_response_bytes_total',
      help: 'Bytes of the response bodies backends sent (cache hits send none), by backend',
      labelNames: ['backend'],
      registers,
    });
    this.cacheEvents = new Counter({
      name: 'tracegate_cache_events_total',
      help: 'Cache hits, misses, errors, sets and skips by layer and kind of answer',
      labelNames: ['layer', 'kind', 'event'],
      registers,
    });
    this.requests = new Counter({
      name: 'tracegate_requests_total',
      help: 'API requests by API, operation (GraphQL operation name or route pattern) and HTTP status',
      labelNames: ['api', 'operation', 'status'],
      registers,
    });
    this.requestErrors = new Counter({
      name: 'tracegate_request_errors_total',
      help: 'API requests that answered an error, by API, operation and code (GraphQL: each distinct extensions.code; other APIs: the HTTP status)',
      labelNames: ['api', 'operation', 'code'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'tracegate_request_duration_seconds',
      help: 'Time from receiving an API request to sending its last byte, by API and operation',
      labelNames: ['api', 'operation'],
      buckets: [...SECONDS_BUCKETS, 30],
      registers,
    });
    this.inFlight = new Gauge({ name: 'tracegate_requests_in_flight', help: 'API requests received and not yet answered', registers });
    subscribe(RESPONSE_BYTES_CHANNEL, this.onBytes);
  }

  recordOutcome(outcome: BackendOutcome): void {
    if (outcome.state === 'SKIPPED') return;
    this.backendCalls.inc({ backend: outcome.backend, kind: outcome.kind });
    this.backendLatency.observe({ backend: outcome.backend, state: outcome.state }, outcome.latencyMs / 1000);
    this.backendOutcomes.inc({ backend: outcome.backend, state: outcome.state, code: outcome.code ?? '', cached: String(outcome.cached) });
  }

  recordRequest(sample: RequestSample): void {
    const { api, operation } = sample;
    this.requests.inc({ api, operation, status: String(sample.status) });
    for (const code of sample.errorCodes) this.requestErrors.inc({ api, operation, code });
    this.requestDuration.observe({ api, operation }, sample.durationMs / 1000);
  }

  watchCache(cache: LayeredCache): void {
    cache.stats.onCount((layer, kind, event, n) => this.cacheEvents.inc({ layer, kind, event }, n));
    new Gauge({
      name: 'tracegate_cache_hit_ratio',
      help: 'Hits / (hits + misses) since start, by layer and kind of answer (for a recent ratio, divide the rates of tracegate_cache_events_total)',
      labelNames: ['layer', 'kind'],
      registers: [this.registry],
      collect() {
        for (const c of cache.stats.snapshot()) {
          if (c.hits + c.misses > 0) this.set({ layer: c.layer, kind: c.kind }, c.hits / (c.hits + c.misses));
        }
      },
    });
    // Read at scrape time: what the in-process layer is charged, per tier, against cache.memory.maxBytes.
    new Gauge({
      name: 'tracegate_cache_memory_bytes',
      help: 'Bytes the in-process cache is charged, by tier (encoded: exact bytes; decoded: estimated heap)',
      labelNames: ['tier'],
      registers: [this.registry],
      collect() {
        const usage = cache.memoryUsage;
        this.set({ tier: 'encoded' }, usage.encodedBytes);
        this.set({ tier: 'decoded' }, usage.decodedBytes);
      },
    });
    new Gauge({
      name: 'tracegate_cache_scopes',
      help: 'Tenants (cache scopes) holding a cache slot, out of cache.scopes.max',
      registers: [this.registry],
      collect() {
        this.set(cache.scopes.size);
      },
    });
  }

  /**
   * The circuit breakers (resilience/): each one's state, read at scrape time, and the calls refused
   * without being made, by circuit (a backend instance's label, or `redis`) and reason.
   */
  watchCircuits(board: CircuitBoard): void {
    const refused = new Counter({
      name: 'tracegate_circuit_refused_total',
      help: 'Calls not made: reason circuitOpen (the circuit of that backend or of Redis was open) or deadline (the request had less time left than the backend usually needs)',
      labelNames: ['circuit', 'reason'],
      registers: [this.registry],
    });
    board.watch({ refused: (circuit, reason) => refused.inc({ circuit, reason }) });
    new Gauge({
      name: 'tracegate_circuit_state',
      help: 'State of each circuit breaker: 0 closed, 1 open (calls refused), 2 half-open (the next call, or the one in flight, probes)',
      labelNames: ['circuit'],
      registers: [this.registry],
      collect() {
        for (const circuit of board.circuits) this.set({ circuit: circuit.label }, CIRCUIT_STATE_VALUE[circuit.status().state]);
      },
    });
  }

  /** Stops counting backend bytes (the channel is process-wide; a closed gateway must not keep a subscriber). */
  close(): void {
    unsubscribe(RESPONSE_BYTES_CHANNEL, this.onBytes);
  }
}
