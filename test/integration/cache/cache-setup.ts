/**
 * What the cache integration tests share: counting proxies in front of the real Jaeger and Zipkin
 * (to count backend calls), gateways with a Redis-backed cache under a key prefix of their own, and
 * a look into Redis itself.
 */
import { Redis, Cluster } from 'ioredis';
import { startCountingProxy, type CountingProxy } from '../../support/counting-proxy.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { BACKEND_CONFIG } from '../../support/real-backends.js';
import { ENDPOINTS } from '../../support/harness/servers.js';

export const TRACE_DOC = `query ($id: ID!) { trace(id: $id) { spanCount isComplete backendStatus { backend state cached } } }`;
export const CACHE_DOC = `{ cache { enabled redis { mode ready } counters { layer kind hits misses errors sets skips } } }`;

export interface Proxies {
  jaeger: CountingProxy;
  zipkin: CountingProxy;
  close(): Promise<void>;
}

export async function startProxies(zipkinUrl: string = ENDPOINTS.zipkin): Promise<Proxies> {
  const jaeger = await startCountingProxy(ENDPOINTS.jaeger.query);
  const zipkin = await startCountingProxy(zipkinUrl);
  return { jaeger, zipkin, close: async () => void (await Promise.all([jaeger.close(), zipkin.close()])) };
}

export type RedisTarget = { url: string } | { cluster: Array<{ host: string; port: number }> };

export function startCachedGateway(
  proxies: Proxies,
  redis: RedisTarget,
  keyPrefix: string,
  extra: Record<string, unknown> = {},
): Promise<TestGateway> {
  return startGateway({
    backends: [
      { ...BACKEND_CONFIG.jaeger, url: proxies.jaeger.url, api: 'v1' },
      { ...BACKEND_CONFIG.zipkin, url: proxies.zipkin.url },
    ],
    cache: { redis: { ...redis, keyPrefix, commandTimeoutMs: 500 }, ...extra },
    // Two tenants over the same backends, for the isolation test: without authentication the caller
    // picks one with X-Tenant, and each is its own cache scope.
    tenants: { 'team-a': { backends: ['jaeger', 'zipkin'] }, 'team-b': { backends: ['jaeger', 'zipkin'] } },
  });
}

export function redisClient(redis: RedisTarget): Redis | Cluster {
  return 'url' in redis ? new Redis(redis.url, { lazyConnect: false }) : new Cluster(redis.cluster);
}

async function allKeysUnder(client: Redis | Cluster, prefix: string): Promise<string[]> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  const keys: string[] = [];
  for (const node of nodes) keys.push(...(await node.keys(`${prefix}*`)));
  return keys.sort();
}

/**
 * Every entry under `prefix` (on every master of a cluster), without the cross-replica locks that
 * live beside them while an answer is fetched (`…:lock`, src/cache/keys.ts lockKeyOf).
 */
export async function keysUnder(client: Redis | Cluster, prefix: string): Promise<string[]> {
  return (await allKeysUnder(client, prefix)).filter((k) => !k.endsWith(':lock'));
}

/** The cross-replica locks under `prefix`. */
export async function locksUnder(client: Redis | Cluster, prefix: string): Promise<string[]> {
  return (await allKeysUnder(client, prefix)).filter((k) => k.endsWith(':lock'));
}

export const uniquePrefix = (name: string): string => `tg-it-${name}-${process.pid}-${Date.now()}:`;
