/**
 * Hit/miss/error counters per cache layer and kind of answer, read by the `cache` GraphQL field and
 * the /metrics endpoint.
 */
import type { CacheKind } from './keys.js';

export type CacheLayer = 'memory' | 'redis';
export type CacheEvent = 'hit' | 'miss' | 'error' | 'set' | 'skip';

export interface CacheCounter {
  layer: CacheLayer;
  kind: CacheKind;
  hits: number;
  misses: number;
  errors: number;
  sets: number;
  /** Answers not stored: partial, failed, oversize or not cacheable. */
  skips: number;
}

const FIELD: Record<CacheEvent, keyof Omit<CacheCounter, 'layer' | 'kind'>> = {
  hit: 'hits',
  miss: 'misses',
  error: 'errors',
  set: 'sets',
  skip: 'skips',
};

export class CacheStats {
  private readonly counters = new Map<string, CacheCounter>();
  private listener: ((layer: CacheLayer, kind: CacheKind, event: CacheEvent, count: number) => void) | undefined;

  count(layer: CacheLayer, kind: CacheKind, event: CacheEvent, n = 1): void {
    if (n === 0) return;
    const key = `${layer}:${kind}`;
    let counter = this.counters.get(key);
    if (!counter) this.counters.set(key, (counter = { layer, kind, hits: 0, misses: 0, errors: 0, sets: 0, skips: 0 }));
    counter[FIELD[event]] += n;
    this.listener?.(layer, kind, event, n);
  }

  /** One subscriber (the metrics registry) sees every increment. */
  onCount(listener: (layer: CacheLayer, kind: CacheKind, event: CacheEvent, count: number) => void): void {
    this.listener = listener;
  }

  snapshot(): CacheCounter[] {
    return [...this.counters.values()].map((c) => ({ ...c })).sort((a, b) => (a.layer + a.kind < b.layer + b.kind ? -1 : 1));
  }
}
