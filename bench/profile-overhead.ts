/**
 * Profiles scenario 1's 10,000-span case (`node --cpu-prof --import tsx bench/profile-overhead.ts`):
 * one gateway over the three bench backends, the big trace fetched repeatedly. Then prints the split
 * of the miss path's own work on the same three bodies, in process and step by step (JSON.parse, each
 * format's mapping, each merge step), medians of ten rounds: the numbers scenario 1's note cites.
 * Starts and stops the bench servers.
 */
import { esDocsToSpans } from '../src/backends/elasticsearch/documents.js';
import { traceIdsQuery } from '../src/backends/elasticsearch/query.js';
import { MERGE_STEPS, type MergeOptions } from '../src/federation/merge.js';
import { mapJaegerTrace } from '../src/formats/jaeger-json/index.js';
import { parseJsonExact } from '../src/formats/shared/index.js';
import { mapZipkinSpans } from '../src/formats/zipkin-v2/index.js';
import { compactTraceId, type Span } from '../src/model/index.js';
import { startGateway } from '../test/support/gateway.js';
import { ENDPOINTS } from '../test/support/harness/servers.js';
import { BENCH_BACKENDS, ES_PREFIX, sizedTraceId, startBenchServers, stopBenchServers, TARGETS } from './lib/fixtures.js';
import { summarise } from './lib/stats.js';

const id = sizedTraceId(10_000);

/** The three bodies as the backends ask for them (Jaeger v1 multi-get, Zipkin by id, ES terms search). */
async function bodies(): Promise<{ jaeger: string; zipkin: string; es: string }> {
  const text = async (r: Promise<Response>) => (await r).text();
  return {
    jaeger: await text(fetch(`${TARGETS.jaeger.query}/api/traces?traceID=${compactTraceId(id)}&raw=true`)),
    zipkin: await text(fetch(`${TARGETS.zipkin.url}/api/v2/trace/${compactTraceId(id)}`)),
    es: await text(
      fetch(`${ENDPOINTS.elasticsearch}/${ES_PREFIX}-jaeger-span-*/_search?filter_path=hits.hits._source,hits.hits.sort,_shards,timed_out`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: traceIdsQuery('jaeger', [id]), size: 10_000, sort: ['_doc'], track_total_hits: false }),
      }),
    ),
  };
}

function split(texts: { jaeger: string; zipkin: string; es: string }): void {
  const times = new Map<string, number[]>();
  const timed = <T>(name: string, run: () => T): T => {
    const t0 = performance.now();
    const result = run();
    let list = times.get(name);
    if (list === undefined) times.set(name, (list = []));
    list.push(performance.now() - t0);
    return result;
  };
  const options: MergeOptions = { lenientTraceIds: false, raw: false, clockSkew: 'provable', maxClockSkewUs: 600_000_000 };
  for (let round = 0; round < 12; round++) {
    const jaeger = timed('parse Jaeger v1', () => parseJsonExact(texts.jaeger) as { data: Parameters<typeof mapJaegerTrace>[0][] });
    const zipkin = timed('parse Zipkin', () => parseJsonExact(texts.zipkin) as Parameters<typeof mapZipkinSpans>[0]);
    const es = timed('parse Elasticsearch', () => parseJsonExact(texts.es) as { hits: { hits: Array<{ _source: unknown }> } });
    const perBackend: Span[][] = [
      timed('map Jaeger v1', () => jaeger.data.flatMap((trace) => mapJaegerTrace(trace, 'jaeger').spans)),
      timed('map Zipkin', () => mapZipkinSpans(zipkin, 'zipkin').spans),
      timed(
        'map ES Jaeger',
        () =>
          esDocsToSpans(
            'jaeger',
            es.hits.hits.map((hit) => hit._source),
            'es',
            { tagDotReplacement: '@' },
          ).spans,
      ),
    ];
    let spans = perBackend.flat();
    const ctx = { traceId: id, options, tree: undefined };
    for (const step of MERGE_STEPS) spans = timed(`merge: ${step.name}`, () => step.run(spans, ctx).spans);
  }
  let total = 0;
  for (const [name, list] of times) {
    const median = summarise(list.slice(2)).median;
    total += median;
    console.log(`${name.padEnd(22)} ${median.toFixed(1).padStart(6)} ms`);
  }
  console.log(`${'total'.padEnd(22)} ${total.toFixed(1).padStart(6)} ms`);
}

await startBenchServers(() => {});
const gateway = await startGateway({
  backends: [BENCH_BACKENDS.jaeger, BENCH_BACKENDS.zipkin, BENCH_BACKENDS.es],
  cache: { enabled: false },
  limits: { maxCost: 10_000_000 },
});
try {
  const query = `query ($id: ID!) { trace(id: $id) { spanCount spans { spanId parentSpanId name service startTimeUs durationUs sources } } }`;
  const t0 = performance.now();
  for (let i = 0; i < 8; i++) await gateway.query(query, { id });
  console.log(`${((performance.now() - t0) / 8).toFixed(0)} ms per query`);
  split(await bodies());
} finally {
  await gateway.close();
  await stopBenchServers();
}
