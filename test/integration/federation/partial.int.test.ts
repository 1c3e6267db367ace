/**
 * Honest partial answers against real servers (issue 5): a Zipkin killed mid-query and a Zipkin made
 * slow by a delaying TCP proxy. The answer keeps what Jaeger returned, `errors[]` names the failed
 * backend with its code, the per-backend status says the same, and nothing waits past its timeout.
 * The Zipkin killed here is a private instance (port 19811) loaded with Zipkin's share of the dataset,
 * never the shared one other suites read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_IDS, type IntegrationDataset } from '../../support/dataset/dataset.js';
import { sendSpans, waitUntilHeld, type ZipkinTarget } from '../../support/dataset/load.js';
import { startDelayProxy, type DelayProxy } from '../../support/delay-proxy.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { killProcess } from '../../support/harness/process.js';
import { down, up, zipkinServer } from '../../support/harness/servers.js';
import { BACKEND_CONFIG, loadedDataset } from '../../support/real-backends.js';
import { SERVICES_QUERY, TRACE_QUERY } from './queries.js';

const VICTIM_PORT = 19811;
const victim = zipkinServer('zipkin-victim', VICTIM_PORT);
const victimTarget: ZipkinTarget = { kind: 'zipkin', url: `http://127.0.0.1:${VICTIM_PORT}` };

let dataset: IntegrationDataset;

async function startVictim(): Promise<void> {
  await up([victim]);
  await sendSpans(victimTarget, dataset.zipkin);
  await waitUntilHeld(victimTarget, dataset.zipkin);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

beforeAll(async () => {
  dataset = loadedDataset();
  await startVictim();
}, 180_000);
afterAll(() => down(['zipkin-victim']).then(() => undefined));

const jaegerSpanIds = () => dataset.jaeger.filter((s) => s.traceId === TRACE_IDS.SPLIT).map((s) => s.spanId);

describe('a backend stopped mid-test', () => {
  let proxy: DelayProxy;
  let gateway: TestGateway;
  beforeAll(async () => {
    proxy = await startDelayProxy({ host: '127.0.0.1', port: VICTIM_PORT }, 0);
    gateway = await startGateway({
      backends: [BACKEND_CONFIG.jaeger, { ...BACKEND_CONFIG.zipkin, url: proxy.url, timeoutMs: 5_000 }],
      cache: { enabled: false },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await proxy.close();
  });

  it('answers whole while both backends are up', async () => {
    const response = await gateway.query(TRACE_QUERY, { id: TRACE_IDS.SPLIT });
    expect(response.errors).toBeUndefined();
    expect(response.data.trace).toMatchObject({ spanCount: 8, isComplete: true });
  });

  it("answers with Jaeger's half and a BACKEND_UNAVAILABLE error naming Zipkin when Zipkin dies during the query", async () => {
    proxy.delayMs = 1_000;
    const pending = gateway.query(TRACE_QUERY, { id: TRACE_IDS.SPLIT });
    await new Promise((r) => setTimeout(r, 300));
    killProcess('zipkin-victim');
    const { value: response, ms } = await timed(() => pending);
    proxy.delayMs = 0;
    expect(ms).toBeLessThan(5_000);
    const t = response.data.trace;
    expect(t.spans.map((s: { spanId: string }) => s.spanId).sort()).toEqual(jaegerSpanIds().sort());
    expect(t.isComplete).toBe(false);
    expect(t.backendStatus).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ backend: 'jaeger', state: 'OK' }),
        expect.objectContaining({ backend: 'zipkin', state: 'FAILED', code: 'BACKEND_UNAVAILABLE' }),
      ]),
    );
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'zipkin', state: 'FAILED' });
    expect(response.errors![0]!.path).toEqual(['trace']);
  });

  it('keeps answering partially while Zipkin is down, for traces and for metadata', async () => {
    const response = await gateway.query(TRACE_QUERY, { id: TRACE_IDS.SPLIT });
    expect(response.data.trace.spanCount).toBe(4);
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BACKEND_UNAVAILABLE']);
    const services = await gateway.query(SERVICES_QUERY);
    const names = services.data.services.services.map((s: { name: string }) => s.name);
    expect(names).toEqual([...new Set(dataset.jaeger.map((s) => s.service))].sort());
    expect(services.data.services.backendStatus).toContainEqual({ backend: 'zipkin', state: 'FAILED', code: 'BACKEND_UNAVAILABLE' });
    expect(services.errors?.map((e) => e.extensions?.backend)).toEqual(['zipkin']);
  });

  it('answers whole again once Zipkin is back', async () => {
    await startVictim();
    const response = await gateway.query(TRACE_QUERY, { id: TRACE_IDS.SPLIT });
    expect(response.errors).toBeUndefined();
    expect(response.data.trace).toMatchObject({ spanCount: 8, isComplete: true });
  }, 180_000);
});

describe('a slow backend', () => {
  let proxy: DelayProxy;
  beforeAll(async () => {
    proxy = await startDelayProxy({ host: '127.0.0.1', port: VICTIM_PORT }, 3_000);
  });
  afterAll(() => proxy.close());

  it('times out at its own timeout with BACKEND_TIMEOUT while the other backend answers', async () => {
    const gateway = await startGateway({
      backends: [BACKEND_CONFIG.jaeger, { ...BACKEND_CONFIG.zipkin, url: proxy.url, timeoutMs: 500 }],
      cache: { enabled: false },
    });
    try {
      const { value: response, ms } = await timed(() => gateway.query(TRACE_QUERY, { id: TRACE_IDS.SPLIT }));
      expect(ms).toBeLessThan(2_000);
      expect(response.data.trace.spans.map((s: { spanId: string }) => s.spanId).sort()).toEqual(jaegerSpanIds().sort());
      expect(response.data.trace.backendStatus).toContainEqual(
        expect.objectContaining({ backend: 'zipkin', state: 'TIMEOUT', code: 'BACKEND_TIMEOUT' }),
      );
      expect(response.errors?.map((e) => [e.extensions?.code, e.extensions?.backend])).toEqual([['BACKEND_TIMEOUT', 'zipkin']]);
    } finally {
      await gateway.close();
    }
  });

  it("never delays the answer past the request deadline, whatever the backend's own timeout", async () => {
    const gateway = await startGateway({
      backends: [BACKEND_CONFIG.jaeger, { ...BACKEND_CONFIG.zipkin, url: proxy.url, timeoutMs: 30_000 }],
      federation: { requestTimeoutMs: 700 },
      cache: { enabled: false },
    });
    try {
      const { value: response, ms } = await timed(() => gateway.query(TRACE_QUERY, { id: TRACE_IDS.SPLIT }));
      expect(ms).toBeLessThan(2_000);
      expect(response.data.trace.spanCount).toBe(4);
      expect(response.errors?.map((e) => [e.extensions?.code, e.extensions?.backend])).toEqual([['BACKEND_TIMEOUT', 'zipkin']]);
    } finally {
      await gateway.close();
    }
  });
});
