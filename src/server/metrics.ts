/**
 * Prometheus metrics at /metrics (prom-client): process defaults, one histogram of backend call
 * latency and one counter of outcomes per backend and state, and the cache counters per layer,
 * kind and event.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { CacheStats } from '../cache/stats.js';
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

  watchCache(stats: CacheStats): void {
    stats.onCount((layer, kind, event, n) => this.cacheEvents.inc({ layer, kind, event }, n));
  }
}
