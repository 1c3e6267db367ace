/**
 * Builds the cache from config and a CachingBackend in front of each backend, which the Gateway calls
 * through per request scope (backend-caches.ts). With `cache.enabled: false` there is neither.
 */
import type { Backend } from '../backends/backend.js';
import { BackendCaches } from './backend-caches.js';
import { CachingBackend } from './caching-backend.js';
import type { CacheConfig } from './config.js';
import { fingerprintOf } from './keys.js';
import { LayeredCache } from './layered.js';
import { RedisStore, type RedisLogger } from './redis.js';
import { ReplicaFlight } from './replica-flight.js';
import { CacheStats } from './stats.js';

export interface CacheSetup {
  cache: LayeredCache | undefined;
  /** For the Gateway (federation/gateway.ts, `caches`). */
  caches: BackendCaches | undefined;
}

/**
 * `instances`: every backend instance a request can reach (tenants' own instances included) with the
 * config it was built from; its cache identity is the backend's name and the fingerprint of that
 * config, so instances differing in any field (a tenant's headers, index prefix, API key) never share
 * an entry.
 */
export function createCache(
  config: CacheConfig,
  instances: ReadonlyArray<{ backend: Backend; config: Record<string, unknown> }>,
  logger: RedisLogger,
): CacheSetup {
  if (!config.enabled) return { cache: undefined, caches: undefined };
  const redis = config.redis ? new RedisStore(config.redis, logger) : undefined;
  const cache = new LayeredCache(config, new CacheStats(), redis, logger);
  // One flight for every backend: it holds no per-backend state, only the lock settings.
  const flight = new ReplicaFlight(cache.stats, redis && config.crossReplica.enabled ? { store: redis, config: config.crossReplica } : undefined);
  const byBackend = new Map<Backend, CachingBackend>();
  for (const { backend, config: backendConfig } of instances) {
    const identity = { name: backend.name, fingerprint: fingerprintOf(backendConfig) };
    byBackend.set(backend, new CachingBackend(backend, identity, cache, config.ttl, flight));
  }
  return { cache, caches: new BackendCaches(byBackend) };
}
