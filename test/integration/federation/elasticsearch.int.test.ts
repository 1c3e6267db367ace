/**
 * Correlation with Elasticsearch in the mix (issue 5): the same spans read through Jaeger's and
 * Zipkin's query services and straight from the indexes their ES-backed collectors wrote must fold
 * into one span each, with no conflicting copies; the two ES schemas alone rebuild the split, skewed
 * and duplicated traces; a slow Elasticsearch (behind a delaying proxy) times out alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_IDS, type IntegrationDataset } from '../../support/dataset/dataset.js';
import { startDelayProxy, type DelayProxy } from '../../support/delay-proxy.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { BACKEND_CONFIG, loadedDataset } from '../../support/real-backends.js';
import { TRACE_QUERY } from './queries.js';

let dataset: IntegrationDataset;
beforeAll(() => {
  dataset = loadedDataset();
});

const ALL = [BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin, BACKEND_CONFIG.esJaeger, BACKEND_CONFIG.esZipkin];

describe('four backends: Jaeger, Zipkin and the Elasticsearch indexes their collectors wrote', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ backends: ALL, cache: { enabled: false } });
  });
  afterAll(() => gateway.close());

  it.each(Object.entries(TRACE_IDS))('folds each span of %s held by a query service and by its index into one, without conflicts', async (_, id) => {
    const response = await gateway.query(TRACE_QUERY, { id });
    expect(response.errors).toBeUndefined();
    const t = response.data.trace;
    const inJaeger = new Set(dataset.jaeger.filter((s) => s.traceId === id).map((s) => s.spanId));
    const inZipkin = new Set(dataset.zipkin.filter((s) => s.traceId === id).map((s) => `${s.spanId}${s.isSharedServer ? ':shared' : ''}`));
    const keys = t.spans.map((s: { spanId: string; isSharedServer: boolean }) => `${s.spanId}${s.isSharedServer ? ':shared' : ''}`);
    expect(new Set(keys)).toEqual(new Set([...inJaeger, ...inZipkin]));
    for (const s of t.spans) {
      const expected = [
        ...(inJaeger.has(s.spanId) && !s.isSharedServer ? ['jaeger', 'es-jaeger'] : []),
        ...(inZipkin.has(`${s.spanId}${s.isSharedServer ? ':shared' : ''}`) ? ['zipkin', 'es-zipkin'] : []),
      ];
      expect([...s.sources].sort(), `${id}/${s.spanId}`).toEqual(expected.sort());
    }
    expect(t.warnings.filter((w: { code: string }) => w.code === 'CONFLICTING_DUPLICATE')).toEqual([]);
  });
});

describe('the two Elasticsearch schemas alone', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ backends: [BACKEND_CONFIG.esJaeger, BACKEND_CONFIG.esZipkin], cache: { enabled: false } });
  });
  afterAll(() => gateway.close());

  it('rebuild the split trace whole, the skewed one corrected and the duplicated one folded', async () => {
    const split = (await gateway.query(TRACE_QUERY, { id: TRACE_IDS.SPLIT })).data.trace;
    expect(split).toMatchObject({ spanCount: 8, isComplete: true, warnings: [] });
    expect(split.topLevelSpans).toEqual([{ spanId: '0000000000000510' }]);
    const skewed = (await gateway.query(TRACE_QUERY, { id: TRACE_IDS.SKEWED })).data.trace;
    expect(skewed.warnings).toContainEqual(expect.objectContaining({ code: 'CLOCK_SKEW_ADJUSTED', spanId: '0000000000005c03' }));
    const both = (await gateway.query(TRACE_QUERY, { id: TRACE_IDS.BOTH })).data.trace;
    expect(both.spanCount).toBe(3);
    for (const s of both.spans) expect([...s.sources].sort()).toEqual(['es-jaeger', 'es-zipkin']);
  });
});

describe('a slow Elasticsearch', () => {
  let proxy: DelayProxy;
  let gateway: TestGateway;
  beforeAll(async () => {
    proxy = await startDelayProxy({ host: '127.0.0.1', port: 9200 }, 3_000);
    const viaProxy = (b: typeof BACKEND_CONFIG.esJaeger | typeof BACKEND_CONFIG.esZipkin) => ({ ...b, urls: [proxy.url], timeoutMs: 500 });
    gateway = await startGateway({
      backends: [BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin, viaProxy(BACKEND_CONFIG.esJaeger), viaProxy(BACKEND_CONFIG.esZipkin)],
      cache: { enabled: false },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await proxy.close();
  });

  it('times out alone: the query services still answer the whole trace, both ES backends report BACKEND_TIMEOUT', async () => {
    const t0 = performance.now();
    const response = await gateway.query(TRACE_QUERY, { id: TRACE_IDS.SPLIT });
    expect(performance.now() - t0).toBeLessThan(2_500);
    expect(response.data.trace.spanCount).toBe(8);
    expect(response.data.trace.isComplete).toBe(false);
    expect(response.errors?.map((e) => [e.extensions?.backend, e.extensions?.code]).sort()).toEqual([
      ['es-jaeger', 'BACKEND_TIMEOUT'],
      ['es-zipkin', 'BACKEND_TIMEOUT'],
    ]);
  });
});
