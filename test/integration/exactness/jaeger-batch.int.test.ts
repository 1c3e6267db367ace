/**
 * A trace id asked in a batch reads exactly as it reads alone, on a real Jaeger (v2.13, memory
 * storage, loaded through its OTLP/HTTP collector). Before b92ad13 a batch of several ids took Jaeger's
 * v1 multi-get whenever the server had the v1 API, and that path is lossy where api_v3 is exact: arrays
 * and maps arrive as JSON text, an empty bytes value as null, a link as a FOLLOWS_FROM reference
 * without its attributes, an event with an empty name as a log without an `event` field (then named
 * "log"); and one trace holding a NaN double makes Jaeger answer the whole multi-get with HTTP 500, so
 * every id of the batch failed. Now a Jaeger with api_v3 is asked one id at a time, and a v1-only
 * Jaeger falls back to one call per id when its multi-get fails (src/backends/jaeger/index.ts,
 * getTracesV1 and getTraceV1Alone).
 *
 * A private Jaeger (test/support/private-servers.ts): the shared one must keep holding exactly the
 * integration dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jaegerV1LossTraces, NAN as NAN_IDS, PLAIN as PLAIN_IDS, ZOO as ZOO_IDS } from '../../support/exactness/index.js';
import { startCountingProxy, type CountingProxy } from '../../support/counting-proxy.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { postOtlp, waitForJaegerTraces } from '../../support/otlp-post.js';
import { PRIVATE, startPrivateServers } from '../../support/private-servers.js';
import { EXACT_TRACE, EXACT_TRACES, TWO_TRACES } from './queries.js';

// ZOO: every attribute type Jaeger's v1 model cannot carry, events without a name, a link with
// attributes. NAN: one double attribute that is NaN. PLAIN: nothing special, the other member of a
// batch that must not fail (test/support/exactness/jaeger-v1-losses.ts).
const { trace: ZOO } = ZOO_IDS;
const { trace: NAN } = NAN_IDS;
const { trace: PLAIN } = PLAIN_IDS;

let stopServers: () => Promise<void>;
beforeAll(async () => {
  stopServers = await startPrivateServers(['jaeger']);
  await postOtlp(PRIVATE.jaeger.otlp, jaegerV1LossTraces(Math.floor(Date.now() / 1000) * 1_000_000 - 300_000_000));
  await waitForJaegerTraces(PRIVATE.jaeger.query, { [ZOO]: 2, [NAN]: 1, [PLAIN]: 1 });
}, 120_000);
afterAll(() => stopServers?.());

const JAEGER = { kind: 'jaeger', name: 'jaeger', url: PRIVATE.jaeger.query };

describe('a Jaeger with api_v3', () => {
  let gateway: TestGateway;
  let alone: Map<string, unknown>;
  beforeAll(async () => {
    gateway = await startGateway({ backends: [JAEGER], cache: { enabled: false } });
    alone = new Map();
    for (const id of [ZOO, NAN, PLAIN]) {
      const response = await gateway.query(EXACT_TRACE, { id });
      expect(response.errors, id).toBeUndefined();
      alone.set(id, response.data.trace);
    }
  });
  afterAll(() => gateway.close());

  it('answers trace(id) alone with the arrays, maps, empty bytes, nameless events and link attributes it was sent', () => {
    const zoo = alone.get(ZOO) as any;
    const root = zoo.spans.find((s: { spanId: string }) => s.spanId === '00000000000a0101');
    expect(root.attributes).toEqual(
      expect.arrayContaining([
        { key: 'zoo.array', type: 'ARRAY', value: ['a', 7, true, 1.5] },
        { key: 'zoo.map', type: 'MAP', value: { k: 'v', n: 3, list: ['x'] } },
        { key: 'zoo.empty_bytes', type: 'BYTES', value: '' },
        { key: 'zoo.text', type: 'STRING', value: 'plain' },
      ]),
    );
    expect(root.events.map((e: { name: string }) => e.name)).toEqual(['', '', 'cache.miss']);
    expect(root.events[0].attributes).toEqual([{ key: 'note', type: 'STRING', value: 'nameless' }]);
    expect(root.events[2].attributes).toEqual([{ key: 'attempt', type: 'INT', value: 2 }]);
    const child = zoo.spans.find((s: { spanId: string }) => s.spanId === '00000000000a0102');
    expect(child.parentSpanId).toBe('00000000000a0101');
    expect(child.links).toEqual([
      expect.objectContaining({
        traceId: PLAIN,
        spanId: '00000000000a0301',
        attributes: expect.arrayContaining([
          { key: 'link.reason', type: 'STRING', value: 'batched' },
          { key: 'link.position', type: 'INT', value: 4 },
        ]),
      }),
    ]);
    expect(child.links[0].attributes).toHaveLength(2);
    const nan = alone.get(NAN) as any;
    // JSON has no NaN: the value travels as proto3 JSON writes it.
    expect(nan.spans[0].attributes).toContainEqual({ key: 'ratio', type: 'DOUBLE', value: 'NaN' });
  });

  it.each([
    { batch: [ZOO, NAN], why: 'the NaN trace with the exact one' },
    { batch: [NAN, ZOO, PLAIN], why: 'three ids, the NaN trace first' },
    { batch: [ZOO, PLAIN], why: 'no NaN: the v1 multi-get would answer, lossily' },
  ])('answers traces(ids) for $why exactly as trace(id) alone', async ({ batch }) => {
    const response = await gateway.query(EXACT_TRACES, { ids: batch });
    expect(response.errors).toBeUndefined();
    expect(response.data.traces).toEqual(batch.map((id) => alone.get(id)));
  });

  it('answers two trace(id) fields of one document exactly as each alone, the NaN trace included', async () => {
    const response = await gateway.query(TWO_TRACES, { a: ZOO, b: NAN });
    expect(response.errors).toBeUndefined();
    expect(response.data.a).toEqual(alone.get(ZOO));
    expect(response.data.b).toEqual(alone.get(NAN));
    expect(response.data.b).not.toBeNull();
  });
});

/** The trace ids of each v1 multi-get the proxy forwarded, in order. */
function v1TraceCalls(proxy: CountingProxy): string[][] {
  return proxy.calls
    .filter((c) => c.startsWith('GET /api/traces?'))
    .map((c) => new URL(c.slice('GET '.length), 'http://x').searchParams.getAll('traceID'));
}

describe('a v1-only Jaeger (api: v1), whose v1 API answers HTTP 500 for a trace holding NaN', () => {
  let proxy: CountingProxy;
  let gateway: TestGateway;
  beforeAll(async () => {
    // What the real server does, checked here so the expectations below rest on it.
    const nanAlone = await fetch(`${PRIVATE.jaeger.query}/api/traces/${NAN}`);
    expect(nanAlone.status).toBe(500);
    expect(await nanAlone.text()).toContain('NaN');
    const zooAlone = await fetch(`${PRIVATE.jaeger.query}/api/traces/${ZOO}`);
    expect(zooAlone.status).toBe(200);
    await zooAlone.arrayBuffer();

    proxy = await startCountingProxy(PRIVATE.jaeger.query);
    gateway = await startGateway({ backends: [{ ...JAEGER, url: proxy.url, api: 'v1' }], cache: { enabled: false } });
  });
  afterAll(async () => {
    await gateway.close();
    await proxy.close();
  });

  it('fails only the NaN trace of a batch: the other id answers, the NaN id says the multi-get failed and it was fetched alone', async () => {
    proxy.reset();
    const response = await gateway.query(EXACT_TRACES, { ids: [ZOO, NAN] });
    // One multi-get for both ids (HTTP 500), then one call per id, those in parallel.
    const [multiGet, ...alone] = v1TraceCalls(proxy);
    expect(multiGet).toEqual([ZOO, NAN]);
    expect(alone.map((ids) => ids.join()).sort()).toEqual([ZOO, NAN].sort());
    const [zoo, nan] = response.data.traces;
    expect(zoo).toMatchObject({ traceId: ZOO, spanCount: 2, isComplete: true });
    expect(zoo.backendStatus).toEqual([expect.objectContaining({ backend: 'jaeger', state: 'OK' })]);
    expect(nan).toBeNull();
    expect(response.errors).toHaveLength(1);
    const [error] = response.errors!;
    expect(error!.path).toEqual(['traces', 1]);
    expect(error!.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'jaeger', state: 'FAILED' });
    // The reason is the only place that tells "failed alone" from "failed in a batch".
    expect(error!.message).toContain('HTTP 500');
    expect(error!.message).toContain('fetched alone after the multi-get for several ids failed');
  });

  it('fails trace(id) of the NaN trace alone with BACKEND_UNAVAILABLE, and no batch is mentioned', async () => {
    proxy.reset();
    const response = await gateway.query(EXACT_TRACE, { id: NAN });
    expect(v1TraceCalls(proxy)).toEqual([[NAN]]);
    expect(response.data.trace).toBeNull();
    expect(response.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.backend])).toEqual([[['trace'], 'BACKEND_UNAVAILABLE', 'jaeger']]);
    expect(response.errors![0]!.message).not.toContain('fetched alone');
  });
});
