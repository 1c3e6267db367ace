/**
 * The JIT executor (graphql-jit) must answer exactly what graphql-js answers: the same documents are
 * sent to two gateways over one memory backend holding the demo data (generated once, so both see
 * the same times), one gateway per executor, and the answers compared whole — data, errors, paths and
 * extension codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBackend, generateDemoSpans } from '../../src/backends/memory/index.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

const BIG = 'fc399502bce824169cf1ea00b42069cf';
const SPAN_FIELDS = `spanId parentSpanId name kind service startTime startTimeUs durationUs endTimeUs status { code message }
  attributes { key type value } attribute(key: "http.route") { value } events { name timeUs attributes { key value } }
  links { traceId spanId refType attributes { key value } } backend sources isSharedServer clockSkewAdjustmentUs warnings`;

const DOCUMENTS: Array<[string, string, Record<string, unknown>?]> = [
  ['a whole 1,000-span trace', `query ($id: ID!) { trace(id: $id) { traceId spanCount durationUs services errorCount isComplete warnings { code message spanId } sources { backend spanCount } backendStatus { backend state code cached } rootSpan { spanId } topLevelSpans { spanId } spans { ${SPAN_FIELDS} parent { spanId } children { spanId } } } }`, { id: BIG }],
  ['events filtered by name', `query ($id: ID!) { trace(id: $id) { events(filter: { name: "exception" }) { name timeUs attributes { key value } } } }`, { id: BIG }],
  ['several traces, one unknown', `{ traces(ids: ["${BIG}", "00000000000000000000000000000abc"]) { traceId spanCount } }`],
  ['a search page and the next', `{ searchTraces(query: { lookback: "2h", limit: 50 }, first: 7) { edges { cursor node { traceId rootService rootOperation spanCount errorCount services durationUs } } pageInfo { hasNextPage endCursor } totalCount backendStatus { backend state } } }`],
  ['metadata', `{ services { services { name sources } isComplete } operations(service: "frontend") { operations { name spanKind sources } } dependencies(window: { lookback: "2h" }) { edges { parent child callCount errorCount } } backends { name kind isDefault capabilities { searchByAttributes dependencies } } }`],
  ['aliases and fragments', `fragment S on Span { spanId name } query { a: trace(id: "${BIG}") { rootSpan { ...S } } b: trace(id: "${BIG}") { spanCount } }`],
  ['a bad id (error path and code)', `{ trace(id: "not-hex") { traceId } }`],
  ['a bad window (BAD_USER_INPUT)', `{ searchTraces(query: { window: { start: "2030-01-01T00:00:00Z", end: "2020-01-01T00:00:00Z" } }) { totalCount } }`],
  ['an unknown backend', `{ services(backends: ["nope"]) { services { name } } }`],
];

describe('the JIT executor answers exactly as graphql-js', () => {
  let jit: TestGateway;
  let reference: TestGateway;
  beforeAll(async () => {
    const demo = new MemoryBackend('demo');
    demo.addSpans(generateDemoSpans({ seed: 42, nowUs: Date.now() * 1000 }));
    const config = { backends: [{ name: 'demo', kind: 'memory' }], limits: { maxCost: 10_000_000 }, cache: { enabled: false } };
    jit = await startGateway({ ...config, server: { executor: 'jit' } }, [demo]);
    reference = await startGateway({ ...config, server: { executor: 'graphql-js' } }, [demo]);
  });
  afterAll(async () => {
    await jit.close();
    await reference.close();
  });

  it.each(DOCUMENTS)('%s', async (_, query, variables) => {
    const [a, b] = await Promise.all([jit.query(query, variables), reference.query(query, variables)]);
    const strip = (r: { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> }) => ({
      data: r.data,
      // Latency differs between two runs; everything else must be equal.
      errors: r.errors?.map((e) => ({ ...e, extensions: { ...e.extensions, latencyMs: undefined } })),
    });
    const stripLatency = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'latencyMs' ? undefined : v)));
    expect(stripLatency(strip(a))).toEqual(stripLatency(strip(b)));
    expect(a.status).toBe(b.status);
    expect(a.data ?? a.errors).toBeTruthy();
  });
});
