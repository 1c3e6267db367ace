/**
 * The cache when things fail, against real servers (issue 6): an answer that was partial because a
 * backend was down is never served again once the backend is back, and a Redis killed mid-run costs
 * the client nothing — answers keep coming from the backends, the errors are counted — and the cache
 * is used again after Redis restarts. Both use private servers (Zipkin on 19611, Redis on 6391).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_IDS } from '../../support/dataset/dataset.js';
import { sendSpans, waitUntilHeld, type ZipkinTarget } from '../../support/dataset/load.js';
import type { TestGateway } from '../../support/gateway.js';
import { killProcess, sleep } from '../../support/harness/process.js';
import { down, redisServer, up, zipkinServer } from '../../support/harness/servers.js';
import { loadedDataset } from '../../support/real-backends.js';
import { CACHE_DOC, keysUnder, redisClient, startCachedGateway, startProxies, TRACE_DOC, uniquePrefix, type Proxies } from './cache-setup.js';

describe('a partial answer', () => {
  const zipkin = zipkinServer('zipkin-cache-victim', 19611);
  const target: ZipkinTarget = { kind: 'zipkin', url: 'http://127.0.0.1:19611' };
  const redis = { url: 'redis://127.0.0.1:6390' };
  let proxies: Proxies;
  let gateway: TestGateway;

  beforeAll(async () => {
    proxies = await startProxies(target.url);
    gateway = await startCachedGateway(proxies, redis, uniquePrefix('partial'));
  });
  afterAll(async () => {
    await gateway.close();
    await proxies.close();
    await down(['zipkin-cache-victim']);
  });

  it('is not cached: after the failed backend returns, the next query is complete', async () => {
    const first = await gateway.query(TRACE_DOC, { id: TRACE_IDS.SPLIT });
    expect(first.data.trace).toMatchObject({ spanCount: 4, isComplete: false });
    expect(first.errors?.map((e) => e.extensions?.code)).toEqual(['BACKEND_UNAVAILABLE']);
    await up([zipkin]);
    const spans = loadedDataset().zipkin;
    await sendSpans(target, spans);
    await waitUntilHeld(target, spans);
    const second = await gateway.query(TRACE_DOC, { id: TRACE_IDS.SPLIT });
    expect(second.errors).toBeUndefined();
    expect(second.data.trace).toMatchObject({ spanCount: 8, isComplete: true });
    // Jaeger's answer was complete and came from the cache; Zipkin's was asked again.
    expect(second.data.trace.backendStatus).toEqual([
      expect.objectContaining({ backend: 'jaeger', state: 'OK', cached: true }),
      expect.objectContaining({ backend: 'zipkin', state: 'OK', cached: false }),
    ]);
  }, 180_000);
});

describe('Redis killed mid-run', () => {
  const redisDef = redisServer('redis-cache-victim', 6391);
  const redis = { url: 'redis://127.0.0.1:6391' };
  let proxies: Proxies;
  let gateway: TestGateway;
  const prefix = uniquePrefix('redis-down');

  beforeAll(async () => {
    await up([redisDef]);
    proxies = await startProxies();
    gateway = await startCachedGateway(proxies, redis, prefix);
  });
  afterAll(async () => {
    await gateway.close();
    await proxies.close();
    await down(['redis-cache-victim']);
  });

  it('costs the client nothing, is counted, and the cache is used again after Redis restarts', async () => {
    const ok = await gateway.query(TRACE_DOC, { id: TRACE_IDS.CHECKOUT });
    expect(ok.errors).toBeUndefined();
    killProcess('redis-cache-victim');
    await sleep(200);
    // Fresh questions (not in the in-process layer) while Redis is gone: answered by the backends.
    for (const id of [TRACE_IDS.FULFIL, TRACE_IDS.LEGACY64, TRACE_IDS.HOME, TRACE_IDS.BOTH]) {
      const answer = await gateway.query(TRACE_DOC, { id });
      expect(answer.errors, id).toBeUndefined();
      expect(answer.data.trace.isComplete).toBe(true);
    }
    const counters = (await gateway.query(CACHE_DOC)).data.cache.counters as Array<{ layer: string; errors: number }>;
    expect(counters.filter((c) => c.layer === 'redis').reduce((n, c) => n + c.errors, 0)).toBeGreaterThan(0);

    await up([redisDef]);
    const client = redisClient(redis);
    try {
      // ioredis reconnects by itself; a new question is then stored in Redis again.
      const deadline = Date.now() + 15_000;
      let stored = 0;
      for (const id of [TRACE_IDS.SEARCH, TRACE_IDS.SKEWED, ...loadedDataset().generated]) {
        const answer = await gateway.query(TRACE_DOC, { id });
        expect(answer.errors).toBeUndefined();
        stored = (await keysUnder(client, prefix)).length;
        if (stored > 0 || Date.now() > deadline) break;
        await sleep(500);
      }
      expect(stored).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  }, 60_000);
});
