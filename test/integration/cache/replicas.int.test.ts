/**
 * Several replicas (issue 15): three gateway processes sharing the real Redis Cluster (then the real
 * standalone Redis) under a key prefix of their own, in front of the real Jaeger and Zipkin through
 * counting proxies. The same trace query, and the same search, fired at all three at once reaches
 * each backend once. With their Redis paused (CLIENT PAUSE) or stopped (a private one on 6393) every
 * replica still answers, each with its own backend call, in bounded time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_IDS } from '../../support/dataset/dataset.js';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';
import { killProcess, sleep } from '../../support/harness/process.js';
import { down, ENDPOINTS, redisServer, up } from '../../support/harness/servers.js';
import { BACKEND_CONFIG, loadedDataset } from '../../support/real-backends.js';
import type { CountingProxy } from '../../support/counting-proxy.js';
import { keysUnder, locksUnder, redisClient, type RedisTarget, startProxies, TRACE_DOC, uniquePrefix, type Proxies } from './cache-setup.js';

const SEARCH_DOC = `query ($q: TraceQueryInput!) { searchTraces(query: $q, first: 100) { edges { node { traceId } } backendStatus { backend state } } }`;

/** Held by both Jaeger and Zipkin, so every round asks each backend for something it has. */
const IDS_ON_BOTH = [TRACE_IDS.BOTH, TRACE_IDS.SPLIT, TRACE_IDS.SKEWED];

async function post(gateway: GatewayProcess, query: string, variables: Record<string, unknown>) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

/** The same request at every replica at once. */
const burst = (gateways: readonly GatewayProcess[], query: string, variables: Record<string, unknown>) =>
  Promise.all(gateways.map((g) => post(g, query, variables)));

function startReplicas(proxies: Proxies, redis: RedisTarget, keyPrefix: string, crossReplica: Record<string, unknown> = {}) {
  const config = {
    backends: [
      { ...BACKEND_CONFIG.jaeger, url: proxies.jaeger.url, api: 'v1' },
      { ...BACKEND_CONFIG.zipkin, url: proxies.zipkin.url },
    ],
    cache: { redis: { ...redis, keyPrefix, commandTimeoutMs: 500 }, crossReplica },
  };
  return Promise.all([1, 2, 3].map(() => startGatewayProcess(config, [])));
}

/** This replica's lock outcomes for traces, from /metrics. */
async function lockOutcomes(gateway: GatewayProcess, kind: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${gateway.origin}/metrics`)).text();
  const out: Record<string, number> = {};
  const line = new RegExp(`^tracegate_cache_events_total\\{layer="replicaLock",kind="${kind}",event="(\\w+)"\\} (\\d+)`, 'gm');
  for (const [, event, n] of text.matchAll(line)) out[event!] = Number(n);
  return out;
}

async function sumOutcomes(gateways: readonly GatewayProcess[], kind: string): Promise<Record<string, number>> {
  const sum: Record<string, number> = {};
  for (const g of gateways) for (const [event, n] of Object.entries(await lockOutcomes(g, kind))) sum[event] = (sum[event] ?? 0) + n;
  return sum;
}

// 64-bit ids travel as 16 or 32 hex digits: count the short form, which both contain.
const short = (id: string) => id.replace(/^0{16}/, '');

const TARGETS: Array<{ name: string; redis: RedisTarget }> = [
  { name: 'the real Redis Cluster', redis: { cluster: [...ENDPOINTS.redisCluster] } },
  { name: 'the real standalone Redis', redis: { url: `redis://${ENDPOINTS.redis.host}:${ENDPOINTS.redis.port}` } },
];

describe.each(TARGETS)('three replicas on $name', ({ redis }) => {
  let proxies: Proxies;
  let replicas: GatewayProcess[] = [];
  const prefix = uniquePrefix('replicas');

  beforeAll(async () => {
    proxies = await startProxies();
    replicas = await startReplicas(proxies, redis, prefix);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await proxies?.close();
  });

  it('make one call per backend for the same trace asked of all three at once, round after round', async () => {
    for (const id of IDS_ON_BOTH) {
      const answers = await burst(replicas, TRACE_DOC, { id });
      for (const answer of answers) {
        expect(answer.errors, id).toBeUndefined();
        expect(answer.data.trace.isComplete, id).toBe(true);
      }
      expect([proxies.jaeger.count(short(id)), proxies.zipkin.count(short(id))], id).toEqual([1, 1]);
    }
    // Per round and backend one replica took the lock; the two others got its answer from Redis, by
    // waiting on the lock (waitedHit) or by finding the entry already stored (a plain Redis hit).
    const { acquired, waitedHit, ...others } = await sumOutcomes(replicas, 'trace');
    expect(acquired).toBe(2 * IDS_ON_BOTH.length);
    expect(waitedHit ?? 0).toBeLessThanOrEqual(2 * 2 * IDS_ON_BOTH.length);
    expect(others).toEqual({});
    // Every lock is gone once its answer is stored.
    const client = redisClient(redis);
    try {
      // A cluster client knows its nodes only once ready.
      if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
      expect(await keysUnder(client, prefix)).not.toEqual([]);
      expect(await locksUnder(client, prefix)).toEqual([]);
    } finally {
      client.disconnect();
    }
  }, 60_000);

  it('make one call per backend for the same search asked of all three at once, round after round', async () => {
    const { baseUs } = loadedDataset();
    const window = { start: new Date(baseUs / 1000 - 60_000).toISOString(), end: new Date(baseUs / 1000 + 600_000).toISOString() };
    const searches = () => [proxies.jaeger.count('/api/traces?service='), proxies.zipkin.count('/api/v2/traces?')];
    for (const [round, limit] of [50, 60, 70].entries()) {
      const answers = await burst(replicas, SEARCH_DOC, { q: { service: 'frontend', window, limit } });
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      const found = answers.map((a) => a.data.searchTraces.edges.length);
      expect(found[0]).toBeGreaterThan(0);
      expect(new Set(found).size).toBe(1);
      expect(searches(), `limit ${limit}`).toEqual([round + 1, round + 1]);
    }
    // In the first round the replica that made a backend's search took that backend's traces whole from
    // its answer (federation/whole-traces.ts); the others fetched them by id, once, under the locks; the
    // later rounds found them cached. So no trace a backend holds is fetched by id twice. (Traces a
    // backend does not hold are not `held`: "no such trace" is never cached, so a later round asks again.)
    const { jaeger, zipkin } = loadedDataset();
    const fetchesOf = (proxy: CountingProxy, id: string) =>
      proxy.calls.filter((c) => c.includes('traceID=') || c.includes('traceMany')).filter((c) => c.includes(id)).length;
    for (const [proxy, held] of [
      [proxies.jaeger, jaeger],
      [proxies.zipkin, zipkin],
    ] as const) {
      for (const id of new Set(held.map((s) => s.traceId))) expect(fetchesOf(proxy, id), id).toBeLessThanOrEqual(1);
    }
  }, 60_000);

  it('make one call per backend for a trace only one backend holds: "no such trace" is handed to the waiters, not cached', async () => {
    const zipkinOnly = loadedDataset()
      .generated.filter((_, i) => i % 2 === 1)
      .slice(0, 3);
    for (const id of zipkinOnly) {
      const answers = await burst(replicas, TRACE_DOC, { id });
      for (const answer of answers) {
        expect(answer.errors, id).toBeUndefined();
        expect(answer.data.trace.spanCount, id).toBe(2);
      }
      expect([proxies.jaeger.count(id), proxies.zipkin.count(id)], id).toEqual([1, 1]);
    }
  }, 60_000);
});

describe('three replicas whose Redis is slow, then stopped', () => {
  const redisDef = redisServer('redis-replicas-victim', 6393);
  let proxies: Proxies;
  let replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    await up([redisDef]);
    proxies = await startProxies();
    // A long maxWaitMs: a replica stuck waiting for a lock would show in the latency below.
    replicas = await startReplicas(proxies, { url: 'redis://127.0.0.1:6393' }, uniquePrefix('replicas-down'), { maxWaitMs: 20_000 });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await proxies?.close();
    await down(['redis-replicas-victim']);
  });

  it('pay the lookup command timeout and no lock command when Redis stops answering', async () => {
    // CLIENT PAUSE keeps every connection open and answers nothing: Redis as slow as it gets.
    const admin = redisClient({ url: 'redis://127.0.0.1:6393' });
    try {
      await admin.call('CLIENT', 'PAUSE', '4000', 'ALL');
      const started = performance.now();
      const answers = await burst(replicas, TRACE_DOC, { id: TRACE_IDS.CHECKOUT });
      const elapsedMs = performance.now() - started;
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      expect([proxies.jaeger.count(TRACE_IDS.CHECKOUT), proxies.zipkin.count(TRACE_IDS.CHECKOUT)]).toEqual([3, 3]);
      // The lookup's timeout (commandTimeoutMs, 500 ms), then the backends: the lock is not tried
      // after a command timed out, as it would cost one more timeout.
      expect(elapsedMs).toBeGreaterThanOrEqual(500);
      expect(elapsedMs).toBeLessThan(2 * 500);
      expect(await sumOutcomes(replicas, 'trace')).toEqual({ redisDown: 3 * 2 });
      await admin.call('CLIENT', 'UNPAUSE');
    } finally {
      admin.disconnect();
    }
  }, 60_000);

  it('still answer at once when Redis is stopped, each with its own backend call, and count it', async () => {
    killProcess('redis-replicas-victim');
    await sleep(500);
    for (const id of IDS_ON_BOTH) {
      const started = performance.now();
      const answers = await burst(replicas, TRACE_DOC, { id });
      const elapsedMs = performance.now() - started;
      for (const answer of answers) {
        expect(answer.errors, id).toBeUndefined();
        expect(answer.data.trace.isComplete, id).toBe(true);
      }
      // Without the shared layer each replica asks for itself: as before cross-replica locks existed.
      expect([proxies.jaeger.count(short(id)), proxies.zipkin.count(short(id))], id).toEqual([3, 3]);
      // Bounded: far below maxWaitMs (20 s) and the backend timeout (5 s); nothing waited on Redis.
      expect(elapsedMs, id).toBeLessThan(2_000);
    }
    const outcomes = await sumOutcomes(replicas, 'trace');
    expect(outcomes).toEqual({ redisDown: 3 * 2 * (IDS_ON_BOTH.length + 1) });
  }, 60_000);
});
