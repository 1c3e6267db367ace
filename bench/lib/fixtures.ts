/**
 * The benchmark's own servers and data. Big traces go to PRIVATE instances (a Jaeger, a Zipkin, and a
 * Jaeger writing to Elasticsearch under its own index prefix), never to the shared servers whose
 * contents the integration tests depend on. Loading is idempotent per run: private instances start
 * empty (memory storage; the ES prefix is deleted first).
 */
import { parseTraceId, type Span, type TraceId } from '../../src/model/index.js';
import { bigTrace, chunks } from '../../test/support/dataset/big-trace.js';
import { describeTarget, heldSpanStarts, sendSpans, type JaegerTarget, type ZipkinTarget } from '../../test/support/dataset/load.js';
import { sleep } from '../../test/support/harness/process.js';
import { down, ENDPOINTS, jaegerServer, up, zipkinServer } from '../../test/support/harness/servers.js';

export const ES_PREFIX = 'tgbench';
export const PRIVATE = {
  jaeger: jaegerServer('bench-jaeger', { query: 16726, queryGrpc: 16727, otlpHttp: 4358, otlpGrpc: 4357, health: 13173 }),
  zipkin: zipkinServer('bench-zipkin', 19711),
  jaegerEs: jaegerServer(
    'bench-jaeger-es',
    { query: 16736, queryGrpc: 16737, otlpHttp: 4368, otlpGrpc: 4367, health: 13183 },
    'elasticsearch',
    ES_PREFIX,
  ),
};
export const TARGETS = {
  jaeger: { kind: 'jaeger', query: 'http://127.0.0.1:16726', otlp: 'http://127.0.0.1:4358' } satisfies JaegerTarget,
  zipkin: { kind: 'zipkin', url: 'http://127.0.0.1:19711' } satisfies ZipkinTarget,
  jaegerEs: { kind: 'jaeger', query: 'http://127.0.0.1:16736', otlp: 'http://127.0.0.1:4368' } satisfies JaegerTarget,
};

/** Gateway backend config blocks for the private instances. */
export const BENCH_BACKENDS = {
  jaeger: { kind: 'jaeger', name: 'jaeger', url: TARGETS.jaeger.query, api: 'v1' },
  zipkin: { kind: 'zipkin', name: 'zipkin', url: TARGETS.zipkin.url },
  es: { kind: 'elasticsearch', name: 'es', urls: [ENDPOINTS.elasticsearch], schema: 'jaeger', indexPrefix: ES_PREFIX },
};

export const SIZES = [100, 1_000, 10_000] as const;
export const sizedTraceId = (size: number): TraceId => parseTraceId(`be0c${size.toString(16).padStart(28, '0')}`);
export const BIG_ID = parseTraceId('be0cb16000000000000000000000000f');
export const BIG_SPANS = 100_000;
export const BATCH_IDS: TraceId[] = Array.from({ length: 50 }, (_, i) => parseTraceId(`ba7c${i.toString(16).padStart(28, '0')}`));
/** Scenario 9: small traces of a service of their own, in all three backends, more than one search's 100 hits. */
export const SEARCH_SERVICE = 'bench-search';
export const SEARCH_IDS: TraceId[] = Array.from({ length: 120 }, (_, i) => parseTraceId(`5ea4${i.toString(16).padStart(28, '0')}`));
const SEARCH_SPANS = 5;

const base = () => Math.floor(Date.now() / 1000) * 1_000_000 - 1_800_000_000;

async function send(target: JaegerTarget | ZipkinTarget, spans: readonly Span[], size = 5_000): Promise<void> {
  for (const chunk of chunks(spans, size)) await sendSpans(target, chunk);
}

async function esCount(query: object): Promise<number> {
  await fetch(`${ENDPOINTS.elasticsearch}/${ES_PREFIX}-jaeger-span-*/_refresh`, { method: 'POST' });
  const r = await fetch(`${ENDPOINTS.elasticsearch}/${ES_PREFIX}-jaeger-span-*/_count`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return r.ok ? ((await r.json()) as { count: number }).count : 0;
}

async function heldBy(target: JaegerTarget | ZipkinTarget, id: TraceId, expected: number, deadlineMs = 300_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const count = (await heldSpanStarts(target, id).catch(() => [])).length;
    if (count >= expected) return;
    if (Date.now() > deadline) throw new Error(`${describeTarget(target)} holds ${count} of ${expected} spans of ${id}`);
    await sleep(1_000);
  }
}

export async function startBenchServers(log: (s: string) => void): Promise<void> {
  await up(undefined, log);
  await fetch(`${ENDPOINTS.elasticsearch}/${ES_PREFIX}-*`, { method: 'DELETE' });
  await down(['bench-jaeger', 'bench-zipkin', 'bench-jaeger-es']);
  await up([PRIVATE.jaeger, PRIVATE.zipkin, PRIVATE.jaegerEs], log);
  const b = base();
  for (const size of SIZES) {
    const spans = bigTrace({ traceId: sizedTraceId(size), spanCount: size, baseUs: b });
    await Promise.all([send(TARGETS.jaeger, spans), send(TARGETS.zipkin, spans), send(TARGETS.jaegerEs, spans)]);
    await heldBy(TARGETS.jaeger, sizedTraceId(size), size);
    await heldBy(TARGETS.zipkin, sizedTraceId(size), size);
    for (const deadline = Date.now() + 180_000; (await esCount({ term: { traceID: sizedTraceId(size) } })) < size; await sleep(1_000)) {
      if (Date.now() > deadline) throw new Error(`Elasticsearch did not index the ${size}-span trace`);
    }
    log(`loaded the ${size}-span trace into Jaeger, Zipkin and Elasticsearch`);
  }
  const small = BATCH_IDS.flatMap((id, i) => bigTrace({ traceId: id, spanCount: 5, baseUs: b + i * 1_000 }));
  await Promise.all([send(TARGETS.jaeger, small), send(TARGETS.zipkin, small)]);
  await heldBy(TARGETS.zipkin, BATCH_IDS[49]!, 5);
  await heldBy(TARGETS.jaeger, BATCH_IDS[49]!, 5);
  // One millisecond apart, so the 100 newest are one well-defined set in every backend.
  const searched = SEARCH_IDS.flatMap((id, i) =>
    bigTrace({ traceId: id, spanCount: SEARCH_SPANS, baseUs: b + i * 1_000, services: [SEARCH_SERVICE] }),
  );
  await Promise.all([send(TARGETS.jaeger, searched), send(TARGETS.zipkin, searched), send(TARGETS.jaegerEs, searched)]);
  const last = SEARCH_IDS.at(-1)!;
  await heldBy(TARGETS.jaeger, last, SEARCH_SPANS);
  await heldBy(TARGETS.zipkin, last, SEARCH_SPANS);
  const searchedSpans = SEARCH_IDS.length * SEARCH_SPANS;
  for (
    const deadline = Date.now() + 180_000;
    (await esCount({ term: { 'process.serviceName': SEARCH_SERVICE } })) < searchedSpans;
    await sleep(1_000)
  ) {
    if (Date.now() > deadline) throw new Error('Elasticsearch did not index the search traces');
  }
  log(`loaded ${SEARCH_IDS.length} traces of ${SEARCH_SERVICE} into Jaeger, Zipkin and Elasticsearch`);
  // 100,000 spans split over two backends: even spans to Jaeger, odd to Zipkin.
  const big = bigTrace({ traceId: BIG_ID, spanCount: BIG_SPANS, baseUs: b });
  await Promise.all([
    send(
      TARGETS.jaeger,
      big.filter((_, i) => i % 2 === 0),
    ),
    send(
      TARGETS.zipkin,
      big.filter((_, i) => i % 2 === 1),
    ),
  ]);
  await heldBy(TARGETS.zipkin, BIG_ID, BIG_SPANS / 2);
  await heldBy(TARGETS.jaeger, BIG_ID, BIG_SPANS / 2);
  log('loaded the 100,000-span split trace');
}

export async function stopBenchServers(): Promise<void> {
  await down(['bench-jaeger', 'bench-zipkin', 'bench-jaeger-es']);
  await fetch(`${ENDPOINTS.elasticsearch}/${ES_PREFIX}-*`, { method: 'DELETE' }).catch(() => undefined);
}
