/**
 * Builds the cache from config and wraps each backend in a CachingBackend. With `cache.enabled:
 * false` the backends are returned as they are.
 */
import type { Backend } from '../backends/backend.js';
import type { CacheConfig } from './config.js';
import { CachingBackend } from './caching-backend.js';
import { fingerprintOf } from './keys.js';
import { LayeredCache } from './layered.js';
import { RedisStore, type RedisLogger } from './redis.js';
import { CacheStats } from './stats.js';

export interface CacheSetup {
  cache: LayeredCache | undefined;
  backends: Backend[];
}

export function createCache(
  config: CacheConfig,
  backends: readonly Backend[],
  backendConfigs: ReadonlyMap<string, Record<string, unknown>>,
  logger: RedisLogger,
): CacheSetup {
  if (!config.enabled) return { cache: undefined, backends: [...backends] };
  const redis = config.redis ? new RedisStore(config.redis, logger) : undefined;
  const cache = new LayeredCache(config, new CacheStats(), redis, logger);
  return {
    cache,
    backends: backends.map((backend) => {
      const identity = { name: backend.name, fingerprint: fingerprintOf(backendConfigs.get(backend.name) ?? { kind: backend.kind }) };
      return new CachingBackend(backend, identity, cache, config.ttl);
    }),
  };
}
