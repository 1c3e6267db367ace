/**
 * The hot path of scenario 3 (a cached trace summary), measured or profiled without any trace server:
 * two in-process memory backends both hold the scenario's 100-span trace (as the benchmark's Jaeger and
 * Zipkin do), the gateway fetches it once, and every request after that is a cache hit (in-process
 * layer in front of Redis, as in scenario 3), so it runs beside the tests and other benchmarks without
 * touching their servers. autocannon runs in a child process (scenarios/cache-hits.ts).
 *
 *   npx tsx bench/profile-cache-hits.ts [seconds]      bare Apollo and Tracegate side by side, 2 rounds
 *                                                      interleaved; prints the req/s ratio
 *   node --cpu-prof --import tsx bench/profile-cache-hits.ts [seconds] --profile [--bare]
 *                                                      Tracegate (or the bare server) alone under load,
 *                                                      for a CPU profile
 */
import { MemoryBackend } from '../src/backends/memory/index.js';
import { bigTrace } from '../test/support/dataset/big-trace.js';
import { startGateway } from '../test/support/gateway.js';
import { ENDPOINTS } from '../test/support/harness/servers.js';
import { sizedTraceId } from './lib/fixtures.js';
import { bareServer, loadFromChild, SUMMARY_QUERY } from './scenarios/cache-hits.js';

const seconds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 8);
const profileOnly = process.argv.includes('--profile');
const profileBare = profileOnly && process.argv.includes('--bare');
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
const bare = profileOnly && !profileBare ? undefined : await bareServer();
try {
  const warm = await gateway.query(SUMMARY_QUERY, variables);
  if (warm.data?.trace?.spanCount !== 100) throw new Error(`cache-hit query failed: ${JSON.stringify(warm.errors)}`);
  // CPU time of this process per request answered, beside req/s: on a shared machine it moves far
  // less with the neighbours' load than throughput does.
  const measure = async (url: string, query: string, vars: Record<string, unknown>) => {
    const cpu = process.cpuUsage();
    const r = await loadFromChild(url, query, vars, seconds);
    const used = process.cpuUsage(cpu);
    return { rps: r.requests.average, cpuUs: (used.user + used.system) / Math.max(1, r.requests.total), errors: r.errors + r.non2xx + r.timeouts };
  };
  const show = (xs: Array<{ rps: number; cpuUs: number }>) => xs.map((x) => `${x.rps.toFixed(0)} req/s ${x.cpuUs.toFixed(0)} µs`).join(', ');
  if (profileOnly) {
    const r = bare !== undefined ? await measure(bare.url, '{ hello }', {}) : await measure(gateway.url, SUMMARY_QUERY, variables);
    console.log(`${bare !== undefined ? 'bare' : 'tracegate'} ${show([r])} (${r.errors} errors)`);
  } else if (bare !== undefined) {
    const runs = { bare: [] as Array<Awaited<ReturnType<typeof measure>>>, tracegate: [] as Array<Awaited<ReturnType<typeof measure>>> };
    for (let i = 0; i < 2; i++) {
      runs.bare.push(await measure(bare.url, '{ hello }', {}));
      runs.tracegate.push(await measure(gateway.url, SUMMARY_QUERY, variables));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(`bare ${show(runs.bare)}; tracegate ${show(runs.tracegate)}`);
    const rps = mean(runs.tracegate.map((r) => r.rps)) / mean(runs.bare.map((r) => r.rps));
    const cpu = mean(runs.bare.map((r) => r.cpuUs)) / mean(runs.tracegate.map((r) => r.cpuUs));
    console.log(`ratio ${rps.toFixed(3)}× req/s, ${cpu.toFixed(3)}× by CPU per request (bare ÷ Tracegate)`);
  }
} finally {
  await gateway.close();
  await bare?.close();
}
