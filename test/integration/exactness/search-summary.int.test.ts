/**
 * A search hit summarises the trace exactly as trace(id) shows it, when one backend answers too.
 * Before c5b500c a search over a single backend passed on that backend's own summary, made from its
 * raw spans: copies of a span exported twice were counted twice, and times were those before clock-skew
 * correction. Now every page is summarised again over the merged trace (src/resolvers/query.ts,
 * searchTraces).
 *
 * Two traces of one service, each sent through OTLP/HTTP to a Jaeger with memory storage and to a
 * Jaeger writing to Elasticsearch:
 *   - TWICE: two spans, one an error, and the same OTLP body posted twice. Jaeger's query service
 *     removes identical copies itself (its DeduplicateSpans adjuster), the index holds four documents.
 *   - SKEWED: a server span on another host reported to start 20 ms before the client span that
 *     called it, before the root even; trace(id) shifts it into its parent, so the trace starts later
 *     and is shorter than its raw spans say.
 * Checked on fadf501 (before the change): the Jaeger search reported SKEWED 20 ms early and 20 ms
 * longer; the index search also counted TWICE as 4 spans with 2 errors.
 *
 * Private servers (test/support/private-servers.ts): the shared ones hold exactly the dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtlpResourceSpans, OtlpTracesData } from '../../../src/formats/otlp-json/wire.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { sleep } from '../../support/harness/process.js';
import { nanos, otlpString, postOtlp, waitForJaegerTraces } from '../../support/otlp-post.js';
import { PRIVATE, PRIVATE_ES_PREFIX, privateSpanDocs, startPrivateServers } from '../../support/private-servers.js';

const SERVICE = 'exact-search';
const TWICE = 'e7ac0000000000000000000000000d01';
const SKEWED = 'e7ac0000000000000000000000000d02';

const resource = (service: string, host: string) => ({ attributes: [otlpString('service.name', service), otlpString('host.name', host)] });

function twice(baseUs: number): OtlpTracesData {
  const at = (offsetUs: number) => nanos(baseUs + offsetUs);
  return {
    resourceSpans: [
      {
        resource: resource(SERVICE, 'search-1'),
        scopeSpans: [
          {
            spans: [
              { traceId: TWICE, spanId: '00000000000d0101', name: 'GET /twice', kind: 2, startTimeUnixNano: at(0), endTimeUnixNano: at(30_000) },
              {
                traceId: TWICE,
                spanId: '00000000000d0102',
                parentSpanId: '00000000000d0101',
                name: 'charge',
                kind: 3,
                startTimeUnixNano: at(1_000),
                endTimeUnixNano: at(20_000),
                status: { code: 2, message: 'card declined' },
              },
            ],
          },
        ],
      },
    ],
  };
}

function skewed(baseUs: number): OtlpTracesData {
  const at = (offsetUs: number) => nanos(baseUs + offsetUs);
  const caller: OtlpResourceSpans = {
    resource: resource(SERVICE, 'search-1'),
    scopeSpans: [
      {
        spans: [
          { traceId: SKEWED, spanId: '00000000000d0201', name: 'GET /skewed', kind: 2, startTimeUnixNano: at(0), endTimeUnixNano: at(100_000) },
          {
            traceId: SKEWED,
            spanId: '00000000000d0202',
            parentSpanId: '00000000000d0201',
            name: 'call ledger',
            kind: 3,
            startTimeUnixNano: at(10_000),
            endTimeUnixNano: at(60_000),
          },
        ],
      },
    ],
  };
  // Another host whose clock is 30 ms behind: its 40 ms server span seems to start before its caller.
  const callee: OtlpResourceSpans = {
    resource: resource('exact-ledger', 'ledger-1'),
    scopeSpans: [
      {
        spans: [
          {
            traceId: SKEWED,
            spanId: '00000000000d0203',
            parentSpanId: '00000000000d0202',
            name: 'post entry',
            kind: 2,
            startTimeUnixNano: at(-20_000),
            endTimeUnixNano: at(20_000),
          },
        ],
      },
    ],
  };
  return { resourceSpans: [caller, callee] };
}

const JAEGER = { kind: 'jaeger', name: 'jaeger', url: PRIVATE.jaeger.query };
const ES_JAEGER = { kind: 'elasticsearch', name: 'es-jaeger', urls: [ENDPOINTS.elasticsearch], schema: 'jaeger', indexPrefix: PRIVATE_ES_PREFIX };

let stopServers: () => Promise<void>;
beforeAll(async () => {
  stopServers = await startPrivateServers(['jaeger', 'jaegerEs']);
  const baseUs = Math.floor(Date.now() / 1000) * 1_000_000 - 300_000_000;
  for (const otlp of [PRIVATE.jaeger.otlp, PRIVATE.jaegerEs.otlp]) {
    // The same export twice, as a retrying exporter sends it.
    await postOtlp(otlp, twice(baseUs));
    await postOtlp(otlp, twice(baseUs));
    await postOtlp(otlp, skewed(baseUs + 1_000_000));
  }
  for (const query of [PRIVATE.jaeger.query, PRIVATE.jaegerEs.query]) await waitForJaegerTraces(query, { [TWICE]: 2, [SKEWED]: 3 });
  const deadline = Date.now() + 30_000;
  const indexed = async () => (await privateSpanDocs({ term: { traceID: TWICE } })).length;
  while ((await indexed()) < 4) {
    if (Date.now() > deadline) throw new Error(`the index holds ${await indexed()} of 4 documents of ${TWICE} after 30 s`);
    await sleep(200);
  }
}, 120_000);
afterAll(() => stopServers?.());

const SEARCH = /* GraphQL */ `
  query ($query: TraceQueryInput!, $backends: [String!]) {
    searchTraces(query: $query, first: 10, backends: $backends) {
      edges { node { traceId spanCount errorCount services sources rootService rootOperation startTimeUs durationUs } }
      backendStatus { backend state code }
    }
  }
`;

const TRACE = /* GraphQL */ `
  query ($id: ID!, $backends: [String!]) {
    trace(id: $id, backends: $backends) {
      traceId spanCount errorCount services startTimeUs durationUs
      sources { backend }
      rootSpan { service name }
      warnings { code spanId }
    }
  }
`;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway({ backends: [JAEGER, ES_JAEGER], cache: { enabled: false } });
});
afterAll(() => gateway?.close());

describe.each([{ backends: ['jaeger'] }, { backends: ['es-jaeger'] }, { backends: ['jaeger', 'es-jaeger'] }])(
  'searchTraces(backends: $backends)',
  ({ backends }) => {
    it.each([
      { id: TWICE, what: 'a trace exported twice' },
      { id: SKEWED, what: 'a trace with a skewed host clock' },
    ])('summarises $what exactly as trace(id) shows it', async ({ id }) => {
      const search = await gateway.query(SEARCH, { query: { service: SERVICE, window: { lookback: '1h' } }, backends });
      expect(search.errors).toBeUndefined();
      const nodes = search.data.searchTraces.edges.map((e: { node: any }) => e.node);
      expect(nodes.map((n: { traceId: string }) => n.traceId).sort()).toEqual([TWICE, SKEWED]);
      const response = await gateway.query(TRACE, { id, backends });
      expect(response.errors).toBeUndefined();
      const t = response.data.trace;
      expect(nodes.find((n: { traceId: string }) => n.traceId === id)).toEqual({
        traceId: id,
        spanCount: t.spanCount,
        errorCount: t.errorCount,
        services: t.services,
        sources: t.sources.map((s: { backend: string }) => s.backend).sort(),
        rootService: t.rootSpan.service,
        rootOperation: t.rootSpan.name,
        startTimeUs: t.startTimeUs,
        durationUs: t.durationUs,
      });
    });
  },
);

it('counts each span of the trace exported twice once, and its one error once', async () => {
  for (const backends of [['jaeger'], ['es-jaeger']]) {
    const t = (await gateway.query(TRACE, { id: TWICE, backends })).data.trace;
    expect(t, backends[0]).toMatchObject({ spanCount: 2, errorCount: 1 });
  }
});

it('starts the skewed trace with its root and ends it with its root, the server span shifted inside its caller', async () => {
  const t = (await gateway.query(TRACE, { id: SKEWED, backends: ['jaeger'] })).data.trace;
  expect(t.durationUs).toBe(100_000);
  expect(t.warnings).toContainEqual({ code: 'CLOCK_SKEW_ADJUSTED', spanId: '00000000000d0203' });
});
