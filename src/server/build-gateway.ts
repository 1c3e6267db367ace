/**
 * Builds what answers queries, without HTTP: the configured backends (backends/registry.ts), the cache
 * in front of them, the Gateway over them, and the metrics every fan-out reports to (handed to the
 * Gateway when it is made). create-server.ts serves it over HTTP; `close()` releases what is built here.
 */
import type { Logger } from 'pino';
import type { Backend } from '../backends/backend.js';
import { backendFactories } from '../backends/registry.js';
import { createCache } from '../cache/create-cache.js';
import type { LayeredCache } from '../cache/layered.js';
import type { Config } from '../config/index.js';
import { Gateway } from '../federation/index.js';
import { Redactor } from '../redaction/index.js';
import { CircuitBoard, withResilience } from '../resilience/index.js';
import { buildScopes } from '../tenancy/build-scopes.js';
import { defaultBackendNames } from '../federation/gateway.js';
import { Metrics } from './metrics.js';

export interface BuiltGateway {
  gateway: Gateway;
  /** Undefined with `cache.enabled: false`. */
  cache: LayeredCache | undefined;
  metrics: Metrics;
  close(): Promise<void>;
}

/** Each configured backend, behind its circuit breaker and deadline check (resilience/), beneath the cache. */
function createBackends(config: Config, logger: Logger, circuits: CircuitBoard): Backend[] {
  return config.backends.map((backendConfig) => {
    const factory = backendFactories.get(backendConfig.kind);
    if (!factory) throw new Error(`no factory for backend kind '${backendConfig.kind}'`);
    const backend = factory.create(backendConfig, { logger: logger.child({ backend: backendConfig.name }) });
    return withResilience(backend, backendConfig, backendConfig.name, circuits);
  });
}

/**
 * `backends` replaces the configured ones (tests, benchmarks); the cache is still in front of them, but
 * no circuit breaker: a test's scripted backend fails on purpose, again and again, and says so.
 */
export async function buildGateway(config: Config, logger: Logger, backends?: Backend[]): Promise<BuiltGateway> {
  const circuits = new CircuitBoard();
  const instances = backends ?? createBackends(config, logger, circuits);
  const configs = new Map(config.backends.map((b) => [b.name, b]));
  const enabled = new Set(config.backends.filter((b) => b.enabled).map((b) => b.name));
  const { scopes, instances: everyInstance } = buildScopes({
    backends: instances.map((backend) => ({ backend, config: configs.get(backend.name) })),
    defaults: defaultBackendNames(instances, config.federation, enabled),
    tenants: config.tenants,
    deps: (name) => ({ logger: logger.child({ backend: name }) }),
    wrap: (backend, backendConfig, label) => withResilience(backend, backendConfig, label, circuits),
  });
  const { cache, caches } = createCache(config.cache, everyInstance, logger);
  // Give Redis its connect timeout to come up, so the first requests can use it; start anyway if not.
  if (cache && config.cache.redis && !(await cache.ready(config.cache.redis.connectTimeoutMs))) {
    logger.warn({ cache: 'redis' }, 'redis not reachable at start-up; serving without the shared cache until it is');
  }
  const metrics = new Metrics();
  if (cache) metrics.watchCache(cache);
  if (cache?.redis?.circuit) circuits.add(cache.redis.circuit);
  metrics.watchCircuits(circuits);
  const redaction = Redactor.fromConfig(config.redaction);
  const gateway = new Gateway({
    backends: instances,
    ...(caches !== undefined ? { caches } : {}),
    federation: config.federation,
    timeoutsMs: new Map(config.backends.map((b) => [b.name, b.timeoutMs])),
    enabled,
    scopes,
    logger,
    outcomeListener: metrics,
    ...(redaction !== undefined ? { redaction } : {}),
  });
  return {
    gateway,
    cache,
    metrics,
    async close() {
      await gateway.close();
      await cache?.close();
      metrics.close();
    },
  };
}
