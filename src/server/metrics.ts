/**
 * Prometheus metrics at /metrics (prom-client): process defaults, one histogram of backend call
 * latency and one counter of outcomes per backend and state, the cache counters per layer,
 * kind and event, and what the in-process cache holds. Every label value comes from configuration
 * or a fixed set, never from a request, so the number of series is bounded.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { LayeredCache } from '../cache/layered.js';
import type { BackendOutcome } from '../model/index.js';

export class Metrics {
  readonly registry = new Registry();
  private readonly backendLatency: Histogram<'backend' | 'state'>;
  private readonly backendOutcomes: Counter<'backend' | 'state' | 'code' | 'cached'>;
  private readonly cacheEvents: Counter<'layer' | 'kind' | 'event'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.backendLatency = new Histogram({
      name: 'tracegate_backend_call_seconds',
      help: 'Wall time of one call to a backend, by backend and outcome state',
      labelNames: ['backend', 'state'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.backendOutcomes = new Counter({
      name: 'tracegate_backend_outcomes_total',
      help: 'Backend calls by backend, outcome state, error code and whether the cache answered',
      labelNames: ['backend', 'state', 'code', 'cached'],
      registers: [this.registry],
    });
    this.cacheEvents = new Counter({
      name: 'tracegate_cache_events_total',
      help: 'Cache hits, misses, errors, sets and skips by layer and kind of answer',
      labelNames: ['layer', 'kind', 'event'],
      registers: [this.registry],
    });
  }

  recordOutcome(outcome: BackendOutcome): void {
    if (outcome.state === 'SKIPPED') return;
    this.backendLatency.observe({ backend: outcome.backend, state: outcome.state }, outcome.latencyMs / 1000);
    this.backendOutcomes.inc({ backend: outcome.backend, state: outcome.state, code: outcome.code ?? '', cached: String(outcome.cached) });
  }

  watchCache(cache: LayeredCache): void {
    cache.stats.onCount((layer, kind, event, n) => this.cacheEvents.inc({ layer, kind, event }, n));
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
}
