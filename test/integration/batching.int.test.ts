/**
 * DataLoader batching against the real servers (issue 3): one GraphQL query for 50 trace ids makes
 * the fewest HTTP calls each backend's API allows, counted at the backends' doors — Zipkin one
 * `traceMany`, Jaeger's v1 API one multi-id call, the Elasticsearch backend one search, and Jaeger's
 * api_v3 (which has no multi-get) one call per id with at most `maxConcurrency` in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceId, type TraceId } from '../../src/model/index.js';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy.js';
import { startGateway } from '../support/gateway.js';
import { ENDPOINTS } from '../support/harness/servers.js';
import { BACKEND_CONFIG, loadedDataset } from '../support/real-backends.js';

const DOC = `query ($ids: [ID!]!) { traces(ids: $ids) { traceId spanCount } }`;

let ids: TraceId[];
let held: Map<TraceId, number>;
beforeAll(() => {
  const d = loadedDataset();
  held = new Map();
  for (const s of [...d.jaeger, ...d.zipkin]) held.set(s.traceId, 0);
  // Every dataset trace, then ids no backend holds, to 50.
  ids = [...held.keys()];
  for (let i = 0; ids.length < 50; i++) ids.push(parseTraceId(`dead${i.toString(16).padStart(28, '0')}`));
});

async function ask(backend: Record<string, unknown>, proxy: CountingProxy) {
  const gateway = await startGateway({ backends: [backend], cache: { enabled: false } });
  try {
    proxy.reset();
    const response = await gateway.query(DOC, { ids });
    expect(response.errors).toBeUndefined();
    expect(response.data.traces).toHaveLength(50);
    return response.data.traces as Array<{ traceId: string; spanCount: number } | null>;
  } finally {
    await gateway.close();
  }
}

describe('traces(ids: [50 ids])', () => {
  const proxies: CountingProxy[] = [];
  const proxy = async (url: string) => {
    const p = await startCountingProxy(url);
    proxies.push(p);
    return p;
  };
  afterAll(() => Promise.all(proxies.map((p) => p.close())));

  it('makes one traceMany call to Zipkin', async () => {
    const p = await proxy(ENDPOINTS.zipkin);
    const traces = await ask({ ...BACKEND_CONFIG.zipkin, url: p.url }, p);
    expect(p.calls.filter((c) => c.includes('/api/v2/trace'))).toEqual([expect.stringContaining('GET /api/v2/traceMany?traceIds=')]);
    expect(traces.filter((t) => t !== null).length).toBe(new Set(loadedDataset().zipkin.map((s) => s.traceId)).size);
  });

  it("makes one multi-id call to Jaeger's v1 API", async () => {
    const p = await proxy(ENDPOINTS.jaeger.query);
    const traces = await ask({ ...BACKEND_CONFIG.jaeger, url: p.url, api: 'v1' }, p);
    expect(p.calls.filter((c) => c.includes('/api/traces'))).toEqual([
      expect.stringMatching(/^GET \/api\/traces\?traceID=[0-9a-f]+(&traceID=[0-9a-f]+){49}/),
    ]);
    expect(traces.filter((t) => t !== null).length).toBe(new Set(loadedDataset().jaeger.map((s) => s.traceId)).size);
  });

  it("makes one call per id to Jaeger's api_v3, at most maxConcurrency at once", async () => {
    const p = await proxy(ENDPOINTS.jaeger.query);
    await ask({ ...BACKEND_CONFIG.jaeger, url: p.url, api: 'v3', maxConcurrency: 4 }, p);
    expect(p.calls.filter((c) => c.startsWith('GET /api/v3/traces/'))).toHaveLength(50);
    expect(p.maxInFlight).toBeLessThanOrEqual(4);
    expect(p.maxInFlight).toBeGreaterThan(1);
  });

  it('makes one search request to Elasticsearch', async () => {
    const p = await proxy(ENDPOINTS.elasticsearch);
    const traces = await ask({ ...BACKEND_CONFIG.esJaeger, urls: [p.url] }, p);
    expect(p.calls.filter((c) => c.includes('_search'))).toHaveLength(1);
    expect(traces.filter((t) => t !== null).length).toBe(new Set(loadedDataset().jaeger.map((s) => s.traceId)).size);
  });
});
