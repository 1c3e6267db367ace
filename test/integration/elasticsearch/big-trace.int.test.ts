/**
 * A trace of 12,000 spans — more than Elasticsearch's default 10,000-hit result window — written by a
 * real Jaeger collector into Elasticsearch comes back whole through the GraphQL API (issue 4). The
 * writer is a private Jaeger with its own index prefix, so the shared indexes keep holding exactly
 * the integration dataset.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseTraceId } from '../../../src/model/index.js';
import { bigTrace, chunks } from '../../support/dataset/big-trace.js';
import { sendSpans, type JaegerTarget } from '../../support/dataset/load.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { sleep } from '../../support/harness/process.js';
import { down, ENDPOINTS, jaegerServer, up } from '../../support/harness/servers.js';

const PREFIX = 'tgbig';
const SPANS = 12_000;
const TRACE_ID = parseTraceId('b16b16b16b16b16b16b16b16b16b1600');
const writer = jaegerServer(
  'jaeger-es-big',
  { query: 16706, queryGrpc: 16707, otlpHttp: 4338, otlpGrpc: 4337, health: 13153 },
  'elasticsearch',
  PREFIX,
);
const target: JaegerTarget = { kind: 'jaeger', query: 'http://127.0.0.1:16706', otlp: 'http://127.0.0.1:4338' };

let gateway: TestGateway;

async function indexedSpanCount(): Promise<number> {
  await fetch(`${ENDPOINTS.elasticsearch}/${PREFIX}-jaeger-span-*/_refresh`, { method: 'POST' });
  const response = await fetch(`${ENDPOINTS.elasticsearch}/${PREFIX}-jaeger-span-*/_count`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: { term: { traceID: TRACE_ID } } }),
  });
  if (!response.ok) return 0;
  return ((await response.json()) as { count: number }).count;
}

beforeAll(async () => {
  await up([writer]);
  const spans = bigTrace({ traceId: TRACE_ID, spanCount: SPANS, baseUs: Math.floor(Date.now() / 1000) * 1000 - 3_600_000_000 });
  for (const chunk of chunks(spans, 2_000)) await sendSpans(target, chunk);
  const deadline = Date.now() + 120_000;
  while ((await indexedSpanCount()) < SPANS) {
    if (Date.now() > deadline) throw new Error(`Elasticsearch holds ${await indexedSpanCount()} of ${SPANS} spans after 120 s`);
    await sleep(500);
  }
  gateway = await startGateway({
    backends: [{ kind: 'elasticsearch', name: 'es-big', urls: [ENDPOINTS.elasticsearch], schema: 'jaeger', indexPrefix: PREFIX }],
    cache: { enabled: false },
  });
}, 300_000);

afterAll(async () => {
  await gateway?.close();
  await down(['jaeger-es-big']);
  await fetch(`${ENDPOINTS.elasticsearch}/${PREFIX}-*`, { method: 'DELETE' });
});

it(`returns all ${SPANS.toLocaleString('en')} spans of the trace, every parent found`, async () => {
  const response = await gateway.query(
    `query ($id: ID!) { trace(id: $id) { spanCount isComplete warnings { code } topLevelSpans { spanId } spans { spanId parentSpanId } } }`,
    { id: TRACE_ID },
  );
  expect(response.errors).toBeUndefined();
  const t = response.data.trace;
  expect(t.spanCount).toBe(SPANS);
  expect(t.isComplete).toBe(true);
  expect(new Set(t.spans.map((s: { spanId: string }) => s.spanId)).size).toBe(SPANS);
  expect(t.topLevelSpans).toEqual([{ spanId: '0000000000000001' }]);
  expect(t.warnings).toEqual([]);
}, 120_000);
