/**
 * The embedded demo dataset: an online outdoor shop of ten services (web-frontend, api-gateway,
 * auth-service, catalog-service, cart-service, checkout-service, payment-service, inventory-service,
 * shipping-service, email-service) calling each other over HTTP and gRPC, and calling PostgreSQL,
 * Redis, Kafka and Elasticsearch through CLIENT/PRODUCER spans of the calling service.
 *
 * Deterministic: the same seed gives the same trace ids, span ids, names, attributes and shape;
 * only times move, being relative to `nowUs` (traces spread over the hour before it, all ended by
 * then). About a third of the trace ids are 64-bit (high half zero), as from an older tracer.
 * Exactly one trace is large: the catalog's `nightly-reindex` batch job, 1,000 spans, so docs and
 * benchmarks can find it by operation name (`findNightlyReindexTrace`).
 *
 * Every child starts and ends inside its parent: the demo has no clock skew on purpose, so that
 * skew correction is only ever seen on data that needs it. The shipping consumer starts after the
 * checkout's publish ended, which is why it is a trace of its own, linked to the publish.
 */
import { parseTraceId, type Micros, type Span, type TraceId } from '../model/index.js';
import { sequence, sqlQuery, type Outcome } from './calls.js';
import { checkout, shipOrder } from './checkout.js';
import { BROWSING_SCENARIOS, type Scenario } from './scenarios.js';
import { attr, DemoTraceBuilder } from './demo-trace-builder.js';
import { SeededRandom } from './seeded-random.js';

export interface DemoOptions {
  seed: number;
  nowUs: Micros;
  /** Number of traces, the 1,000-span one included. Default 300. */
  traceCount?: number;
}

export const NIGHTLY_REINDEX_OPERATION = 'nightly-reindex';
export const NIGHTLY_REINDEX_SPAN_COUNT = 1_000;

const US_PER_SECOND = 1_000_000;
/** Traces start between one hour and 30 s before now; the slowest lasts about 5 s. */
const WINDOW_US = 3_600 * US_PER_SECOND;
const NEWEST_START_US = 30 * US_PER_SECOND;

const SCENARIOS: ReadonlyArray<readonly [Scenario, number]> = [...BROWSING_SCENARIOS, [checkout, 12]];

function traceIdFactory(random: SeededRandom): () => TraceId {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const hex = random.chance(0.3) ? `${'0'.repeat(16)}${random.hex(16)}` : random.hex(32);
      if (used.has(hex)) continue;
      used.add(hex);
      return parseTraceId(hex);
    }
  };
}

/**
 * The catalog's nightly search reindex: one root, 333 batches of 500 products, each batch reading
 * from PostgreSQL and bulk-writing to Elasticsearch; 1 + 333 × 3 = 1,000 spans. Eight workers run
 * batches in parallel, so the trace is wide (333 children under the root) rather than deep.
 */
function nightlyReindex(b: DemoTraceBuilder, startUs: Micros): void {
  const batches = (NIGHTLY_REINDEX_SPAN_COUNT - 1) / 3;
  const root = b.open(null, startUs, {
    service: 'catalog-service',
    name: NIGHTLY_REINDEX_OPERATION,
    kind: 'INTERNAL',
    instrumentation: 'manual',
    attributes: [attr.str('app.job.name', NIGHTLY_REINDEX_OPERATION), attr.int('app.job.batches', batches), attr.int('app.job.batch_size', 500)],
  });
  const workers = Array.from({ length: 8 }, () => startUs + b.random.latencyUs(1_000, 5_000));
  for (let index = 0; index < batches; index++) {
    const worker = workers.indexOf(Math.min(...workers));
    const batch = b.open(root, workers[worker]!, {
      service: 'catalog-service',
      name: 'reindex batch',
      kind: 'INTERNAL',
      instrumentation: 'manual',
      attributes: [attr.int('app.batch.index', index), attr.int('app.batch.worker', worker)],
    });
    const work: Outcome = sequence(b, batch.startTimeUs, [
      (t) =>
        sqlQuery(b, batch, t, {
          dbName: 'catalog',
          operation: 'SELECT',
          table: 'products',
          statement: 'SELECT id, name, description, category, price_cents FROM products WHERE id > $1 ORDER BY id LIMIT 500',
          durationUs: b.random.latencyUs(4_000, 30_000),
        }),
      (t) => {
        const bulk = b.open(batch, t, {
          service: 'catalog-service',
          name: 'bulk',
          kind: 'CLIENT',
          instrumentation: 'elasticsearch',
          attributes: [
            attr.str('db.system', 'elasticsearch'),
            attr.str('db.operation', 'bulk'),
            attr.str('db.elasticsearch.path_parts.index', 'products'),
            attr.str('http.request.method', 'POST'),
            attr.str('url.full', 'http://search-es.data.svc:9200/products/_bulk'),
            attr.str('server.address', 'search-es.data.svc'),
            attr.int('server.port', 9200),
          ],
        });
        const endUs = b.close(bulk, t + b.random.latencyUs(15_000, 90_000));
        bulk.attributes.push(attr.int('http.response.status_code', 200));
        return { endUs, failure: null };
      },
    ]);
    workers[worker] = b.close(batch, work.endUs);
  }
  b.close(root, Math.max(...workers) + b.random.latencyUs(1_000, 10_000));
  root.attributes.push(attr.int('app.job.documents', batches * 500));
}

/**
 * Generates the demo spans. `traceCount` counts every trace: the nightly reindex, the request
 * traces, and the shipping traces that follow placed orders.
 */
export function generateDemoSpans({ seed, nowUs, traceCount = 300 }: DemoOptions): Span[] {
  if (traceCount <= 0) return [];
  const random = new SeededRandom(seed);
  const newTraceId = traceIdFactory(random);
  const spans: Span[] = [];

  // Generated first so its id depends on the seed alone, not on traceCount.
  const reindex = new DemoTraceBuilder(random, newTraceId());
  nightlyReindex(reindex, nowUs - random.int(20 * 60, 50 * 60) * US_PER_SECOND);
  spans.push(...reindex.spans);

  let traces = 1;
  while (traces < traceCount) {
    const startUs = nowUs - NEWEST_START_US - Math.floor(random.next() * (WINDOW_US - NEWEST_START_US));
    const builder = new DemoTraceBuilder(random, newTraceId());
    const { producer } = random.weighted(SCENARIOS)(builder, startUs);
    spans.push(...builder.spans);
    traces++;
    if (producer !== null && traces < traceCount) {
      const consumer = new DemoTraceBuilder(random, newTraceId());
      shipOrder(consumer, producer, producer.startTimeUs + producer.durationUs + random.latencyUs(5_000, 800_000));
      spans.push(...consumer.spans);
      traces++;
    }
  }
  return spans;
}

/** The id of the 1,000-span nightly-reindex trace in `spans`, for docs, benchmarks and tests. */
export function findNightlyReindexTrace(spans: readonly Span[]): TraceId | undefined {
  return spans.find((s) => s.name === NIGHTLY_REINDEX_OPERATION && s.parentSpanId === null)?.traceId;
}
