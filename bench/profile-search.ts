/**
 * Profiles scenario 9 (`node --cpu-prof --cpu-prof-dir=/tmp/prof-search --import tsx bench/profile-search.ts`):
 * one gateway over the three bench backends, the 100-hit search repeated 60 times after a warm-up,
 * and the wall time of the backends' own searches beside it. Starts and stops the bench servers.
 */
import { startGateway } from '../test/support/gateway.js';
import { BENCH_BACKENDS, SEARCH_SERVICE, startBenchServers, stopBenchServers } from './lib/fixtures.js';
import { summarise } from './lib/stats.js';

const SEARCH = `query ($q: TraceQueryInput!, $first: Int) { searchTraces(query: $q, first: $first) { totalCount isComplete edges { node { traceId rootService rootOperation startTimeUs durationUs spanCount errorCount services sources } } } }`;

await startBenchServers(() => {});
const gateway = await startGateway({ backends: [BENCH_BACKENDS.jaeger, BENCH_BACKENDS.zipkin, BENCH_BACKENDS.es], cache: { enabled: false } });
try {
  const endUs = Date.now() * 1_000;
  const window = { start: new Date(endUs / 1_000 - 2 * 3_600_000).toISOString(), end: new Date(endUs / 1_000).toISOString() };
  const run = async () => {
    const r = await gateway.query(SEARCH, { q: { service: SEARCH_SERVICE, limit: 100, window }, first: 100 });
    if (r.data?.searchTraces?.isComplete !== true) throw new Error(JSON.stringify(r.errors));
  };
  for (let i = 0; i < 10; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  console.log(`searchTraces, 100 hits over 3 backends: median ${summarise(times).median.toFixed(1)} ms`);
} finally {
  await gateway.close();
  await stopBenchServers();
}
