/**
 * Scenario 3 — cache hits under load: a cached trace-summary query through Tracegate (Redis +
 * in-process layer) driven by autocannon for a bounded time, against a bare Apollo Server on Fastify
 * answering `{ hello }` in the same run. Goal: ≥ 0.80× the bare server's requests per second.
 * autocannon runs in a child process of its own (`loadFromChild`), so the load generator does not
 * share the servers' event loop: in process it took ~15% of the servers' CPU and slowed the faster
 * server more, which skewed the ratio.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { ApolloServer } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { Result } from 'autocannon';
import Fastify from 'fastify';
import { startGateway } from '../../test/support/gateway.js';
import { ENDPOINTS } from '../../test/support/harness/servers.js';
import { BENCH_BACKENDS, sizedTraceId } from '../lib/fixtures.js';
import type { ScenarioResult } from '../lib/report.js';
import { fmt, interleaved, ratio } from '../lib/stats.js';

const SECONDS = 10;
const CONNECTIONS = 20;

/** The trace-summary query both scenario 3 and bench/profile-cache-hits.ts send. */
export const SUMMARY_QUERY = `query ($id: ID!) { trace(id: $id) { traceId spanCount durationUs services errorCount rootSpan { name service } } }`;

export async function bareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify();
  const apollo = new ApolloServer({
    typeDefs: 'type Query { hello: String! }',
    resolvers: { Query: { hello: () => 'world' } },
    plugins: [fastifyApolloDrainPlugin(app)],
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${address}/graphql`, close: async () => void (await app.close()) };
}

// Runs autocannon's own API in a child node process and prints its result as JSON on stdout.
const CHILD = `const [path, options] = process.argv.slice(1);
require(path)(JSON.parse(options), (error, result) => {
  if (error) { console.error(error); process.exit(1); }
  process.stdout.write(JSON.stringify(result));
});`;

/** POSTs `query` to `url` for `seconds` from a child process running autocannon. */
export function loadFromChild(url: string, query: string, variables: Record<string, unknown> = {}, seconds = SECONDS): Promise<Result> {
  const options = {
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  };
  const child = spawn(process.execPath, ['-e', CHILD, createRequire(import.meta.url).resolve('autocannon'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Result) : reject(new Error(`autocannon exited with ${code}`))));
  });
}

export async function cacheHits(): Promise<ScenarioResult> {
  const gateway = await startGateway({
    backends: [BENCH_BACKENDS.jaeger, BENCH_BACKENDS.zipkin],
    cache: { redis: { url: `redis://127.0.0.1:${ENDPOINTS.redis.port}`, keyPrefix: `tg-bench-${Date.now()}:` } },
  });
  const uncached = await startGateway({ backends: [BENCH_BACKENDS.jaeger, BENCH_BACKENDS.zipkin], cache: { enabled: false } });
  const bare = await bareServer();
  const query = SUMMARY_QUERY;
  const variables = { id: sizedTraceId(100) };
  try {
    const warm = await gateway.query(query, variables);
    if (warm.data?.trace?.spanCount !== 100) throw new Error(`cache-hit query failed: ${JSON.stringify(warm.errors)}`);
    // One request at a time: what a hit saves against a miss on the real backends (issue 6).
    const single = await interleaved({ hit: () => gateway.query(query, variables), miss: () => uncached.query(query, variables) }, 200, 30_000);
    // Interleaved: bare, tracegate, bare, tracegate; each SECONDS long.
    const runs = { bare: [] as Result[], tracegate: [] as Result[] };
    for (let i = 0; i < 2; i++) {
      runs.bare.push(await loadFromChild(bare.url, '{ hello }'));
      runs.tracegate.push(await loadFromChild(gateway.url, query, variables));
    }
    const rps = (rs: Result[]) => rs.reduce((n, r) => n + r.requests.average, 0) / rs.length;
    const p50 = (rs: Result[]) => Math.max(...rs.map((r) => r.latency.p50));
    const p99 = (rs: Result[]) => Math.max(...rs.map((r) => r.latency.p99));
    const failures = [...runs.tracegate, ...runs.bare].reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0);
    const r = rps(runs.tracegate) / rps(runs.bare);
    return {
      title: `3. Cache hits under load (${CONNECTIONS} connections, 2 × ${SECONDS} s each, interleaved)`,
      baselineName: 'bare Apollo-on-Fastify { hello }',
      rows: [
        {
          case: 'one request at a time: cache hit (Redis + in-process) against a miss (cache off, real Jaeger and Zipkin)',
          median: fmt(single.hit!.median),
          p99: fmt(single.hit!.p99),
          baseline: `miss ${fmt(single.miss!.median)}`,
          ratio: ratio(single.hit!.median, single.miss!.median),
          goal: '(informative)',
          met: '—',
        },
        {
          case: `cached trace summary: ${rps(runs.tracegate).toFixed(0)} req/s vs ${rps(runs.bare).toFixed(0)} req/s bare (${failures} errors)`,
          median: String(p50(runs.tracegate)),
          p99: String(p99(runs.tracegate)),
          baseline: String(p50(runs.bare)),
          ratio: `${r.toFixed(2)}× req/s`,
          goal: '≥ 0.80× req/s',
          met: r >= 0.8 && failures === 0 ? 'yes' : 'no',
        },
      ],
      notes: [
        "Latency columns are autocannon's per-request latency (ms); the ratio is of requests per second. autocannon runs in a child process, so the servers' event loop is theirs alone, but the three processes share the 2 cores.",
        "What bounds it (bench/profile-cache-hits.ts measures this query side by side on in-process backends, or profiles Tracegate alone): a hit no longer fans out (issue 16): when the in-process cache holds every backend's answer, the outcomes are built at once, with no timer, abort signal or request-deadline timer; the planning price is remembered per operation and variables, the security headers are computed at start-up, a scope's fan-out options once. What is left is the pipeline a bare server skips: authentication, graphql-armor's and Tracegate's Apollo plugins (execution budget, audit, error codes), context and DataLoader, metrics and the request observer, and a larger answer; the socket write is the largest single item for both servers. Fixed before: a cached trace was merged again on every hit; the merge is memoised on the cached answers (1,267 → ~3,000 req/s).",
      ],
    };
  } finally {
    await gateway.close();
    await uncached.close();
    await bare.close();
  }
}
