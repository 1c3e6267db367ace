/**
 * Profiles scenario 1's 10,000-span case (`node --cpu-prof --import tsx bench/profile-overhead.ts`):
 * one gateway over the three bench backends, the big trace fetched repeatedly. Starts and stops the
 * bench servers.
 */
import { startGateway } from '../test/support/gateway.js';
import { BENCH_BACKENDS, sizedTraceId, startBenchServers, stopBenchServers } from './lib/fixtures.js';

await startBenchServers(() => {});
const gateway = await startGateway({
  backends: [BENCH_BACKENDS.jaeger, BENCH_BACKENDS.zipkin, BENCH_BACKENDS.es],
  cache: { enabled: false },
  limits: { maxCost: 10_000_000 },
});
try {
  const query = `query ($id: ID!) { trace(id: $id) { spanCount spans { spanId parentSpanId name service startTimeUs durationUs sources } } }`;
  const t0 = performance.now();
  for (let i = 0; i < 8; i++) await gateway.query(query, { id: sizedTraceId(10_000) });
  console.log(`${((performance.now() - t0) / 8).toFixed(0)} ms per query`);
} finally {
  await gateway.close();
  await stopBenchServers();
}
