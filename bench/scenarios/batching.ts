/**
 * Scenario 4 — batching: `traces(ids: [50 ids])` against 50 separate `trace(id)` queries, counting the
 * HTTP calls each backend receives (counting proxies) and the wall time. Goal: calls = the minimum
 * each API allows (Zipkin one traceMany, Jaeger v1 one multi-get).
 */
import { startCountingProxy } from '../../test/support/counting-proxy.js';
import { startGateway } from '../../test/support/gateway.js';
import { BATCH_IDS, BENCH_BACKENDS } from '../lib/fixtures.js';
import type { ScenarioResult } from '../lib/report.js';
import { fmt, interleaved, ratio } from '../lib/stats.js';

export async function batching(): Promise<ScenarioResult> {
  const jaeger = await startCountingProxy(BENCH_BACKENDS.jaeger.url);
  const zipkin = await startCountingProxy(BENCH_BACKENDS.zipkin.url);
  const gateway = await startGateway({
    backends: [
      { ...BENCH_BACKENDS.jaeger, url: jaeger.url },
      { ...BENCH_BACKENDS.zipkin, url: zipkin.url },
    ],
    cache: { enabled: false },
  });
  try {
    const traceCalls = () =>
      jaeger.calls.filter((c) => c.includes('/api/traces')).length + zipkin.calls.filter((c) => c.includes('/api/v2/trace')).length;
    jaeger.reset();
    zipkin.reset();
    await gateway.query(`query ($ids: [ID!]!) { traces(ids: $ids) { spanCount } }`, { ids: BATCH_IDS });
    const batchedCalls = traceCalls();
    jaeger.reset();
    zipkin.reset();
    await Promise.all(BATCH_IDS.map((id) => gateway.query(`query ($id: ID!) { trace(id: $id) { spanCount } }`, { id })));
    const separateCalls = traceCalls();
    const s = await interleaved(
      {
        batched: () => gateway.query(`query ($ids: [ID!]!) { traces(ids: $ids) { spanCount } }`, { ids: BATCH_IDS }),
        separate: () => Promise.all(BATCH_IDS.map((id) => gateway.query(`query ($id: ID!) { trace(id: $id) { spanCount } }`, { id }))),
      },
      30,
      60_000,
    );
    return {
      title: '4. Batching: traces(ids: [50 ids]) against 50 separate trace(id) queries',
      baselineName: '50 separate queries',
      rows: [
        {
          case: `backend HTTP calls: ${batchedCalls} batched vs ${separateCalls} separate (Jaeger v1 + Zipkin)`,
          median: fmt(s.batched!.median),
          p99: fmt(s.batched!.p99),
          baseline: fmt(s.separate!.median),
          ratio: ratio(s.batched!.median, s.separate!.median),
          goal: 'calls = 2 (one per backend)',
          met: batchedCalls === 2 ? 'yes' : 'no',
        },
      ],
      notes: [
        'The 50 separate queries run concurrently (what a dashboard firing one query per row does); each is its own request, so nothing can batch them.',
      ],
    };
  } finally {
    await gateway.close();
    await jaeger.close();
    await zipkin.close();
  }
}
