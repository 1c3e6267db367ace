/**
 * Hit/miss/error counters per cache layer and kind of answer, read by the `cache` GraphQL field and
 * the /metrics endpoint, and the outcomes of the cross-replica lock (replica-flight.ts), which reach
 * /metrics through the same listener as layer `replicaLock`.
 */
import type { CacheKind } from './keys.js';

export type CacheLayer = 'memory' | 'redis';
export type CacheEvent = 'hit' | 'miss' | 'error' | 'set' | 'skip';

/**
 * What one missed answer did about other replicas: `acquired` the lock and asked the backend;
 * `waitedHit`: another replica held it and its answer appeared in Redis; `waitedTimeout`: it did
 * not appear within maxWaitMs; `holderFailed`: the lock went away with no answer (the holder's call
 * failed, was partial or not cacheable); `redisDown`: Redis could not take the lock. All but the
 * first two end in a backend call of this replica's own.
 */
export type LockOutcome = 'acquired' | 'waitedHit' | 'waitedTimeout' | 'holderFailed' | 'redisDown';

type Listener = (layer: CacheLayer | 'replicaLock', kind: CacheKind, event: CacheEvent | LockOutcome, count: number) => void;

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
  private readonly locks = new Map<string, number>();
  private listener: Listener | undefined;

  count(layer: CacheLayer, kind: CacheKind, event: CacheEvent, n = 1): void {
    if (n === 0) return;
    const key = `${layer}:${kind}`;
    let counter = this.counters.get(key);
    if (!counter) this.counters.set(key, (counter = { layer, kind, hits: 0, misses: 0, errors: 0, sets: 0, skips: 0 }));
    counter[FIELD[event]] += n;
    this.listener?.(layer, kind, event, n);
  }

  countLock(kind: CacheKind, outcome: LockOutcome, n = 1): void {
    if (n === 0) return;
    const key = `${kind}:${outcome}`;
    this.locks.set(key, (this.locks.get(key) ?? 0) + n);
    this.listener?.('replicaLock', kind, outcome, n);
  }

  /** One subscriber (the metrics registry) sees every increment, lock outcomes included. */
  onCount(listener: Listener): void {
    this.listener = listener;
  }

  /** Lock outcomes so far, by kind of answer: `{ trace: { acquired: 1, waitedHit: 2 } }`. */
  lockSnapshot(): Partial<Record<CacheKind, Partial<Record<LockOutcome, number>>>> {
    const out: Partial<Record<CacheKind, Partial<Record<LockOutcome, number>>>> = {};
    for (const [key, n] of this.locks) {
      const [kind, outcome] = key.split(':') as [CacheKind, LockOutcome];
      (out[kind] ??= {})[outcome] = n;
    }
    return out;
  }

  snapshot(): CacheCounter[] {
    return [...this.counters.values()].map((c) => ({ ...c })).sort((a, b) => (a.layer + a.kind < b.layer + b.kind ? -1 : 1));
  }
}
