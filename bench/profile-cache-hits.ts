/**
 * The hot path of scenario 3 (a cached trace summary), measured or profiled without any trace server:
 * two in-process memory backends both hold the scenario's 100-span trace (as the benchmark's Jaeger and
 * Zipkin do), the gateway fetches it once, and every request after that is a cache hit (in-process
 * layer in front of Redis, as in scenario 3), so it runs beside the tests and other benchmarks without
 * touching their servers. autocannon runs in a child process (scenarios/cache-hits.ts).
 *
 *   npx tsx bench/profile-cache-hits.ts [seconds]      bare Apollo and Tracegate side by side, 2 rounds
 *                                                      interleaved; prints the req/s ratio
 *   node --cpu-prof --import tsx bench/profile-cache-hits.ts [seconds] --profile
 *                                                      Tracegate alone under load, for a CPU profile
 */
import { MemoryBackend } from '../src/backends/memory/index.js';
import { bigTrace } from '../test/support/dataset/big-trace.js';
import { startGateway } from '../test/support/gateway.js';
import { ENDPOINTS } from '../test/support/harness/servers.js';
import { sizedTraceId } from './lib/fixtures.js';
import { bareServer, loadFromChild, SUMMARY_QUERY } from './scenarios/cache-hits.js';

const seconds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 8);
const profileOnly = process.argv.includes('--profile');
const variables = { id: sizedTraceId(100) };
// Settled half an hour ago, as the benchmark's traces are: cached under the long TTL.
const spans = bigTrace({ traceId: variables.id, spanCount: 100, baseUs: Date.now() * 1000 - 1_800_000_000 });
const backends = ['jaeger', 'zipkin'].map((name) => {
  const backend = new MemoryBackend(name);
  backend.addSpans(spans);
  return backend;
});

const gateway = await startGateway(
  {
    backends: backends.map((b) => ({ kind: 'memory', name: b.name, demo: false })),
    cache: { redis: { url: `redis://127.0.0.1:${ENDPOINTS.redis.port}`, keyPrefix: `tg-profile-${Date.now()}:` } },
  },
  backends,
);
const bare = profileOnly ? undefined : await bareServer();
try {
  const warm = await gateway.query(SUMMARY_QUERY, variables);
  if (warm.data?.trace?.spanCount !== 100) throw new Error(`cache-hit query failed: ${JSON.stringify(warm.errors)}`);
  if (bare === undefined) {
    const r = await loadFromChild(gateway.url, SUMMARY_QUERY, variables, seconds);
    console.log(`tracegate ${r.requests.average} req/s (${r.errors + r.non2xx + r.timeouts} errors)`);
  } else {
    const rps = { bare: [] as number[], tracegate: [] as number[] };
    for (let i = 0; i < 2; i++) {
      rps.bare.push((await loadFromChild(bare.url, '{ hello }', {}, seconds)).requests.average);
      rps.tracegate.push((await loadFromChild(gateway.url, SUMMARY_QUERY, variables, seconds)).requests.average);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(`bare ${rps.bare.join(', ')} req/s; tracegate ${rps.tracegate.join(', ')} req/s`);
    console.log(`ratio ${(mean(rps.tracegate) / mean(rps.bare)).toFixed(3)}× req/s`);
  }
} finally {
  await gateway.close();
  await bare?.close();
}
