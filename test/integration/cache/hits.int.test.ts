/**
 * The cache against real Redis — standalone and a three-master cluster — in front of the real Jaeger
 * and Zipkin (issue 6): hits served without backend calls (from the in-process layer, and from Redis
 * for a second gateway replica), TTL expiry, tenant isolation and single-flight, counted at the
 * backends' doors by counting proxies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { TRACE_IDS } from '../../support/dataset/dataset.js';
import { loadedDataset } from '../../support/real-backends.js';
import type { TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { sleep } from '../../support/harness/process.js';
import {
  CACHE_DOC,
  keysUnder,
  redisClient,
  startCachedGateway,
  startProxies,
  TRACE_DOC,
  uniquePrefix,
  type Proxies,
  type RedisTarget,
} from './cache-setup.js';

const TARGETS: Array<[string, RedisTarget]> = [
  ['standalone Redis', { url: `redis://127.0.0.1:${ENDPOINTS.redis.port}` }],
  ['Redis Cluster', { cluster: [...ENDPOINTS.redisCluster] }],
];

for (const [label, redis] of TARGETS) {
  describe(`cache on ${label}`, () => {
    let proxies: Proxies;
    const client = redisClient(redis);
    const gateways: TestGateway[] = [];
    const gateway = async (prefix: string, extra: Record<string, unknown> = {}) => {
      const g = await startCachedGateway(proxies, redis, prefix, extra);
      gateways.push(g);
      return g;
    };
    // 64-bit ids travel as 16 or 32 hex digits: count the short form, which both contain.
    const traceCalls = (id: string) => proxies.jaeger.count(id.replace(/^0{16}/, '')) + proxies.zipkin.count(id.replace(/^0{16}/, ''));
    // Answers are written to Redis after they are returned: wait until `n` keys are there.
    const keysSettled = async (prefix: string, n: number) => {
      for (let i = 0; i < 40; i++) {
        const keys = await keysUnder(client, prefix);
        if (keys.length >= n) return keys;
        await sleep(50);
      }
      return keysUnder(client, prefix);
    };

    beforeAll(async () => {
      proxies = await startProxies();
    });
    afterAll(async () => {
      await Promise.all(gateways.map((g) => g.close()));
      await proxies.close();
      client.disconnect();
    });

    it('answers a repeated trace query from the cache, and a second replica from Redis, with no backend call', async () => {
      const prefix = uniquePrefix('hits');
      const first = await gateway(prefix);
      const a = await first.query(TRACE_DOC, { id: TRACE_IDS.SPLIT });
      expect(a.data.trace).toMatchObject({ spanCount: 8, isComplete: true });
      expect(traceCalls(TRACE_IDS.SPLIT)).toBe(2);
      const b = await first.query(TRACE_DOC, { id: TRACE_IDS.SPLIT });
      expect(b.data.trace.backendStatus.every((s: { cached: boolean }) => s.cached)).toBe(true);
      expect(traceCalls(TRACE_IDS.SPLIT)).toBe(2);
      // One entry per backend answer, not per merged response.
      expect(await keysSettled(prefix, 2)).toHaveLength(2);
      const replica = await gateway(prefix);
      const c = await replica.query(TRACE_DOC, { id: TRACE_IDS.SPLIT });
      expect(c.data.trace).toMatchObject({ spanCount: 8, isComplete: true });
      expect(traceCalls(TRACE_IDS.SPLIT)).toBe(2);
      const counters = (await replica.query(CACHE_DOC)).data.cache.counters;
      expect(counters).toContainEqual(expect.objectContaining({ layer: 'redis', kind: 'trace', hits: 2 }));
    });

    it('lets an entry expire after its TTL: the next query asks the backends again', async () => {
      const prefix = uniquePrefix('ttl');
      const g = await gateway(prefix, { ttl: { settledTraceSeconds: 1, traceSettleSeconds: 60 } });
      const before = traceCalls(TRACE_IDS.BOTH);
      await g.query(TRACE_DOC, { id: TRACE_IDS.BOTH });
      expect(await keysSettled(prefix, 2)).toHaveLength(2);
      await sleep(1_600);
      expect(await keysUnder(client, prefix)).toEqual([]);
      await g.query(TRACE_DOC, { id: TRACE_IDS.BOTH });
      expect(traceCalls(TRACE_IDS.BOTH) - before).toBe(4);
    });

    it("never lets one tenant read another tenant's entries", async () => {
      const prefix = uniquePrefix('tenant');
      const g = await gateway(prefix);
      const before = traceCalls(TRACE_IDS.BOTH);
      await g.query(TRACE_DOC, { id: TRACE_IDS.BOTH }, { 'x-tenant': 'team-a' });
      await g.query(TRACE_DOC, { id: TRACE_IDS.BOTH }, { 'x-tenant': 'team-a' });
      expect(traceCalls(TRACE_IDS.BOTH) - before).toBe(2);
      await g.query(TRACE_DOC, { id: TRACE_IDS.BOTH }, { 'x-tenant': 'team-b' });
      expect(traceCalls(TRACE_IDS.BOTH) - before).toBe(4);
      // Keys hold a hash of the scope, never the caller's text: two scopes, two entries each.
      const keys = await keysSettled(prefix, 4);
      expect(keys).toHaveLength(4);
      expect(keys.some((k) => k.includes('team-'))).toBe(false);
      // `v3:{<scope>:<backend>…}` (keys.ts: everything after the version is one hash tag).
      const scopes = keys.map((k) => k.slice(prefix.length).split(':')[1]!.replace(/^\{/, ''));
      expect(new Set(scopes).size).toBe(2);
      expect(scopes.every((s) => s !== 'public')).toBe(true);
    });

    // Standalone only: on a cluster the keys live on different nodes and go out as pipelined GETs.
    const standaloneOnly = 'url' in redis ? it : () => undefined;
    standaloneOnly('looks up a batch of traces with one multi-get per backend', async () => {
      // Without the cross-replica lock, whose scripts' GETs Redis counts too.
      const g = await gateway(uniquePrefix('mget'), { crossReplica: { enabled: false } });
      const ids = [...new Set(loadedDataset().jaeger.map((s) => s.traceId))];
      const node = client as Redis;
      await node.config('RESETSTAT');
      await g.query(`query ($ids: [ID!]!) { traces(ids: $ids) { traceId } }`, { ids });
      const stats = await node.info('commandstats');
      const calls = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
      expect(calls('mget')).toBe(2);
      expect(calls('get')).toBe(0);
    });

    it('makes one backend call per backend for 100 concurrent identical queries (single-flight)', async () => {
      const prefix = uniquePrefix('flight');
      const g = await gateway(prefix);
      // BOTH is held by Jaeger and Zipkin, so each backend's answer is one to share.
      const before = traceCalls(TRACE_IDS.BOTH);
      const answers = await Promise.all(Array.from({ length: 100 }, () => g.query(TRACE_DOC, { id: TRACE_IDS.BOTH })));
      expect(answers.every((a) => a.data.trace.spanCount === 3 && a.errors === undefined)).toBe(true);
      expect(traceCalls(TRACE_IDS.BOTH) - before).toBe(2);
    });
  });
}
