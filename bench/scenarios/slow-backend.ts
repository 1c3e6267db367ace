/**
 * Scenario 5 — a slow backend: Zipkin behind a proxy that delays it 2 s, request deadline 500 ms. The
 * answer must come within the deadline (p99 ≤ 550 ms) and hold Jaeger's part, with Zipkin reported.
 */
import { startDelayProxy } from '../../test/support/delay-proxy.js';
import { startGateway } from '../../test/support/gateway.js';
import { BENCH_BACKENDS, sizedTraceId } from '../lib/fixtures.js';
import type { ScenarioResult } from '../lib/report.js';
import { fmt, interleaved } from '../lib/stats.js';

export async function slowBackend(): Promise<ScenarioResult> {
  const proxy = await startDelayProxy({ host: '127.0.0.1', port: Number(new URL(BENCH_BACKENDS.zipkin.url).port) }, 2_000);
  const gateway = await startGateway({
    backends: [BENCH_BACKENDS.jaeger, { ...BENCH_BACKENDS.zipkin, url: proxy.url, timeoutMs: 10_000 }],
    federation: { requestTimeoutMs: 500 },
    cache: { enabled: false },
  });
  let partial = 0;
  let total = 0;
  try {
    const id = sizedTraceId(100);
    const s = await interleaved(
      {
        query: async () => {
          const r = await gateway.query(`query ($id: ID!) { trace(id: $id) { spanCount isComplete } }`, { id });
          total++;
          if (r.data?.trace?.spanCount === 100 && r.data.trace.isComplete === false && r.errors?.[0]?.extensions?.code === 'BACKEND_TIMEOUT')
            partial++;
        },
      },
      // p99 needs at least 100 samples to be more than the single worst one.
      120,
      75_000,
      1,
    );
    return {
      title: '5. Slow backend: Zipkin delayed 2 s, request deadline 500 ms',
      baselineName: 'deadline',
      rows: [
        {
          case: `partial answers with BACKEND_TIMEOUT: ${partial} of ${total}`,
          median: fmt(s.query!.median),
          p99: fmt(s.query!.p99),
          baseline: '500',
          ratio: `${(s.query!.p99 / 500).toFixed(2)}× (p99)`,
          goal: 'p99 ≤ 550 ms, partial',
          met: s.query!.p99 <= 550 && partial === total ? 'yes' : 'no',
        },
      ],
      notes: [],
    };
  } finally {
    await gateway.close();
    await proxy.close();
  }
}
