/**
 * What Tracegate's own tracing costs (`NODE_ENV=production npx tsx bench/profile-tracing.ts`), in two
 * parts, each variant measured interleaved with its baseline in the same run:
 *
 * 1. The hooks in the request path with tracing off (no SDK in the process): one backend call through
 *    withBackendSpan against calling it directly, the headers of one backend HTTP request through
 *    withTraceContext against taking them as they are, one merge through withMergeSpan against calling
 *    it; nanoseconds per call, median of rounds.
 * 2. Whole in-process GraphQL requests (`trace(id)` of a 22-span demo trace, memory backend, no network):
 *    tracing off against tracing on (every request sampled, exported to a local OTLP sink that answers
 *    200), median and p99 per request.
 *
 * Needs no servers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backend } from '../src/backends/backend.js';
import { parseConfig } from '../src/config/index.js';
import type { BackendOutcome } from '../src/model/index.js';
import { startTracing, withBackendSpan, withMergeSpan, withTraceContext } from '../src/telemetry/index.js';
import { startGateway } from '../test/support/gateway.js';
import { fmt, interleaved, ratio } from './lib/stats.js';

const CALLS = 200_000;
const ROUNDS = 7;

const backend = { name: 'jaeger', kind: 'jaeger' } as Backend;
const outcome: BackendOutcome = { backend: 'jaeger', kind: 'jaeger', state: 'OK', latencyMs: 1, code: null, reason: null, cached: false };
const entry = { outcome };
const headers = { accept: 'application/json', authorization: 'Bearer x' };
const merged = { spans: [], warnings: [] };

/** ns per call of `fn` run CALLS times, median over ROUNDS rounds interleaved with the others. */
async function perCall(fns: Record<string, () => Promise<unknown> | unknown>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const [name, fn] of Object.entries(fns)) {
      const t0 = performance.now();
      for (let i = 0; i < CALLS; i++) await fn();
      // The first round warms up and is not kept.
      if (round > 0) samples[name]!.push(((performance.now() - t0) * 1e6) / CALLS);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!]));
}

const run = async () => entry;
const hooks = await perCall({
  'backend call, direct': run,
  'backend call, withBackendSpan': () => withBackendSpan(backend, run),
  'headers, as given': () => headers,
  'headers, withTraceContext': () => withTraceContext(headers),
  'merge, direct': () => merged,
  'merge, withMergeSpan': () => withMergeSpan('a11ce5b1e7000000000000000000beef', 2, () => merged),
});
console.log('1. hooks with tracing off, ns per call (median of rounds)');
for (const [name, ns] of Object.entries(hooks)) console.log(`   ${name.padEnd(32)} ${ns.toFixed(1)} ns`);
const extra = (a: string, b: string) => hooks[b]! - hooks[a]!;
const callNs = extra('backend call, direct', 'backend call, withBackendSpan');
const headerNs = extra('headers, as given', 'headers, withTraceContext');
const mergeNs = extra('merge, direct', 'merge, withMergeSpan');
console.log(
  `   added: ${callNs.toFixed(1)} ns per backend call, ${headerNs.toFixed(1)} ns per backend HTTP request, ${mergeNs.toFixed(1)} ns per merge`,
);

// 2. Whole requests: a local OTLP sink, so exporting costs what it costs but nothing leaves the machine.
const sink = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const tracing = { enabled: true, endpoint: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/v1/traces` };
const sdk = await startTracing(parseConfig({ telemetry: { tracing } }).telemetry.tracing);
const off = await startGateway({ cache: { enabled: false } });
const on = await startGateway({ cache: { enabled: false }, telemetry: { tracing } });
const query = 'query OneTrace($id: ID!) { trace(id: $id) { spanCount spans { spanId name service durationUs } } }';
const id = { id: '8d5519426246b2fb920aae509f0fd6af' };
try {
  // Both gateways share the process and its registered SDK: the off one creates no span with it
  // (test/telemetry/tracing.test.ts), so it is tracing off plus the context manager's own cost.
  const samples = await interleaved({ off: () => off.query(query, id), on: () => on.query(query, id) }, 3_000, 20_000, 50);
  const [a, b] = [samples.off!, samples.on!];
  console.log('2. trace(id), 22 spans, in process, ms per request');
  console.log(`   tracing off: median ${fmt(a.median)} p99 ${fmt(a.p99)} (n ${a.n})`);
  console.log(`   tracing on:  median ${fmt(b.median)} p99 ${fmt(b.p99)} (n ${b.n}), ${ratio(b.median, a.median)} of off`);
  const perRequestUs = (callNs + mergeNs) / 1000;
  console.log(
    `   hooks off per such request (1 backend call, 1 merge): ~${perRequestUs.toFixed(2)} µs = ${((perRequestUs / (a.median * 1000)) * 100).toFixed(3)}% of it`,
  );
} finally {
  await off.close();
  await on.close();
  await sdk?.shutdown();
  sink.close();
}
