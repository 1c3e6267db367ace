/**
 * The `elasticsearch` backend through the GraphQL API, both schemas, against what the harness's real
 * ES-backed collectors wrote (issue 4). Each ES backend must answer exactly what its collector's own
 * query service answers over the same indexes (Jaeger at 16696, Zipkin at 9421) and what the
 * memory-backed Jaeger and Zipkin answer for the same dataset: traces (one and many), search by
 * service, operation, attribute, error status, duration and window, services and operations. A search
 * a query service cannot run (Jaeger's needs a service) is checked against the dataset alone. Where a
 * schema cannot answer (span kinds of Jaeger's service index) the backend must refuse, not guess.
 * Zipkin's query API keeps no span kind per operation, so there the kinds are checked on the dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceQuery } from '../../../src/backends/backend.js';
import { DatasetIndex } from '../../backends/contract-expectations.js';
import type { IntegrationDataset } from '../../support/dataset/dataset.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { BACKEND_CONFIG, loadedDataset } from '../../support/real-backends.js';

const SPANS = /* GraphQL */ `
  spans {
    spanId parentSpanId isSharedServer name kind service startTimeUs durationUs
    status { code message }
    attributes { key type value }
    resource { serviceName attributes { key type value } }
    events { name timeUs attributes { key type value } }
    links { traceId spanId }
  }
`;
const TRACES = `query ($ids: [ID!]!, $b: [String!]) { traces(ids: $ids, backends: $b) { traceId spanCount warnings { code spanId } ${SPANS} } }`;
const SEARCH = `query ($q: TraceQueryInput!, $b: [String!]) {
  searchTraces(query: $q, first: 100, backends: $b) {
    edges { node { traceId rootService rootOperation startTimeUs durationUs spanCount errorCount services } }
    backendStatus { backend state code }
  }
}`;
const SERVICES = `query ($b: [String!]) { services(backends: $b) { services { name } backendStatus { backend state code } } }`;
const OPERATIONS = `query ($s: String!, $k: SpanKind, $b: [String!]) {
  operations(service: $s, spanKind: $k, backends: $b) { operations { name spanKind } backendStatus { backend state code } }
}`;
const BACKENDS = `{ backends { name kind healthy version capabilities { batchGetTraces searchByAttributes searchByDuration operationsBySpanKind } } }`;

/** The same indexes read by the collector's own query service. */
const JAEGER_ES_QUERY = { kind: 'jaeger', name: 'jaeger-es-query', url: ENDPOINTS.jaegerEs.query };
const ZIPKIN_ES_QUERY = { kind: 'zipkin', name: 'zipkin-es-query', url: ENDPOINTS.zipkinEs };

const SCHEMAS = [
  {
    schema: 'jaeger',
    es: BACKEND_CONFIG.esJaeger,
    references: [JAEGER_ES_QUERY, BACKEND_CONFIG.jaeger],
    share: (d: IntegrationDataset) => d.jaeger,
    name: (s: string) => s,
  },
  {
    schema: 'zipkin',
    es: BACKEND_CONFIG.esZipkin,
    references: [ZIPKIN_ES_QUERY, BACKEND_CONFIG.zipkin],
    share: (d: IntegrationDataset) => d.zipkin,
    name: (s: string) => s.toLowerCase(),
  },
] as const;

const iso = (us: number): string => new Date(us / 1000).toISOString();

let gateway: TestGateway;
let dataset: IntegrationDataset;
beforeAll(async () => {
  dataset = loadedDataset();
  gateway = await startGateway({
    backends: [BACKEND_CONFIG.esJaeger, BACKEND_CONFIG.esZipkin, JAEGER_ES_QUERY, ZIPKIN_ES_QUERY, BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin],
    cache: { enabled: false },
  });
});
afterAll(() => gateway?.close());

async function ask(query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await gateway.query(query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data;
}

/** A reference backend's answer, or null when it refused the query as one it cannot serve. */
async function askReference(query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await gateway.query(query, variables);
  const codes = (response.errors ?? []).map((e) => e.extensions?.code);
  if (codes.length > 0 && codes.every((c) => c === 'BACKEND_UNSUPPORTED')) return null;
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data;
}

type Attr = { key: string };
const byKey = (list: Attr[]): Attr[] => [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** Attribute order carries no meaning (Jaeger's api_v3 reorders event attributes): compare sorted. */
function normaliseTraces(traces: any[]): any[] {
  return traces.map((t) => ({
    ...t,
    spans: t.spans.map((s: any) => ({
      ...s,
      attributes: byKey(s.attributes),
      resource: { ...s.resource, attributes: byKey(s.resource.attributes) },
      events: s.events.map((e: any) => ({ ...e, attributes: byKey(e.attributes) })),
    })),
  }));
}

it('lists both Elasticsearch backends as healthy Elasticsearch 8.8.2 with their schema capabilities', async () => {
  const { backends } = await ask(BACKENDS, {});
  const es = backends.filter((b: { kind: string }) => b.kind === 'elasticsearch');
  expect(es).toEqual([
    {
      name: 'es-jaeger',
      kind: 'elasticsearch',
      healthy: true,
      version: '8.8.2',
      capabilities: { batchGetTraces: true, searchByAttributes: true, searchByDuration: true, operationsBySpanKind: false },
    },
    {
      name: 'es-zipkin',
      kind: 'elasticsearch',
      healthy: true,
      version: '8.8.2',
      capabilities: { batchGetTraces: true, searchByAttributes: true, searchByDuration: true, operationsBySpanKind: true },
    },
  ]);
});

for (const { schema, es, references, share, name } of SCHEMAS) {
  describe(`schema ${schema}: ${es.name} answers what ${references.map((r) => r.name).join(' and ')} answer`, () => {
    const ids = (): string[] => [...new Set(share(dataset).map((s) => s.traceId))];
    const windowUs = () => ({ startUs: dataset.baseUs - 1_000_000, endUs: dataset.baseUs + 60_000_000 });
    const window = () => ({ start: iso(windowUs().startUs), end: iso(windowUs().endUs) });
    const index = () => new DatasetIndex({ spans: share(dataset) }, new Set());

    it('returns every trace of its share, in one traces(ids:) request, span for span', async () => {
      const mine = normaliseTraces((await ask(TRACES, { ids: ids(), b: [es.name] })).traces);
      expect(mine.map((t: { traceId: string } | null) => t?.traceId)).toEqual(ids());
      for (const reference of references) {
        const theirs = normaliseTraces((await ask(TRACES, { ids: ids(), b: [reference.name] })).traces);
        expect(mine, reference.name).toEqual(theirs);
      }
      const spanCount = mine.reduce((n: number, t: { spanCount: number }) => n + t.spanCount, 0);
      expect(spanCount).toBe(share(dataset).length);
    });

    it('answers null for an id it does not hold, beside ones it holds', async () => {
      const [held] = ids();
      const { traces } = await ask(TRACES, { ids: ['ffffffffffffffffffffffffffff0001', held], b: [es.name] });
      expect(traces.map((t: { traceId: string } | null) => t?.traceId ?? null)).toEqual([null, held]);
    });

    // Each query names what it sets; `expected` is the dataset's answer (contract-expectations.ts).
    const searches: Array<{ description: string; query: () => Partial<TraceQuery> }> = [
      { description: 'the whole window', query: () => ({}) },
      { description: 'a service', query: () => ({ service: name('frontend') }) },
      {
        description: 'a service and an operation',
        query: () => ({ service: name('frontend'), operation: share(dataset).find((s) => s.service === 'frontend')!.name }),
      },
      { description: 'an attribute (customer.tier=gold)', query: () => ({ attributes: [{ key: 'customer.tier', value: 'gold' }] }) },
      // G04 (Jaeger) and G05 (Zipkin) are silver; the other silver traces have other item counts.
      {
        description: 'two attributes on one span',
        query: () => ({
          attributes: [
            { key: 'customer.tier', value: 'silver' },
            { key: 'item.count', value: schema === 'jaeger' ? '4' : '5' },
          ],
        }),
      },
      // Zipkin's gold and failing generated traces are inventory's (dataset.ts G03, G07, G11).
      {
        description: 'a service and an attribute',
        query: () => ({ service: schema === 'jaeger' ? 'frontend' : 'inventory', attributes: [{ key: 'customer.tier', value: 'gold' }] }),
      },
      { description: 'error=true', query: () => ({ attributes: [{ key: 'error', value: 'true' }] }) },
      {
        description: 'a service and error=true',
        query: () => ({ service: schema === 'jaeger' ? 'frontend' : 'inventory', attributes: [{ key: 'error', value: 'true' }] }),
      },
      { description: 'a duration range', query: () => ({ minDurationUs: 50_000, maxDurationUs: 100_000 }) },
      { description: 'a service and a minimum duration', query: () => ({ service: name('frontend'), minDurationUs: 60_000 }) },
      { description: 'a service, limit 2 (the newest two)', query: () => ({ service: name('frontend'), limit: 2 }) },
    ];
    it.each(searches)('searches by $description as the dataset says and as the query services do, newest first', async ({ query }) => {
      const fields = query();
      const expected = new DatasetIndex({ spans: share(dataset) }, new Set()).expectedSearch({
        ...index().query(fields),
        window: windowUs(),
        ...(fields.limit ? { limit: fields.limit } : {}),
      });
      expect(expected.length, 'a query worth asking finds something').toBeGreaterThan(0);
      const q = { window: window(), ...fields };
      const mine = (await ask(SEARCH, { q, b: [es.name] })).searchTraces;
      expect(mine.backendStatus).toEqual([{ backend: es.name, state: 'OK', code: null }]);
      expect(mine.edges.map((e: { node: { traceId: string } }) => e.node.traceId)).toEqual(expected);
      for (const reference of references) {
        const theirs = (await askReference(SEARCH, { q, b: [reference.name] }))?.searchTraces;
        if (theirs === undefined && fields.service === undefined && schema === 'jaeger') continue; // Jaeger needs a service
        expect(theirs, `${reference.name} answered`).toBeDefined();
        expect(mine.edges, reference.name).toEqual(theirs.edges);
      }
    });

    it('finds nothing outside the window', async () => {
      const before = { start: iso(dataset.baseUs - 120_000_000), end: iso(dataset.baseUs - 60_000_000) };
      const { searchTraces } = await ask(SEARCH, { q: { window: before }, b: [es.name] });
      expect(searchTraces.edges).toEqual([]);
    });

    it('lists the services and each service’s operations the query services list', async () => {
      const mine = (await ask(SERVICES, { b: [es.name] })).services.services;
      expect(mine.map((s: { name: string }) => s.name)).toEqual([...new Set(share(dataset).map((s) => name(s.service)))].sort());
      for (const reference of references) {
        expect(mine, reference.name).toEqual((await ask(SERVICES, { b: [reference.name] })).services.services);
      }
      const names = (list: Array<{ name: string }>) => [...new Set(list.map((o) => o.name))].sort();
      for (const { name: service } of mine) {
        const ops = (await ask(OPERATIONS, { s: service, b: [es.name] })).operations.operations;
        // Only Zipkin's span documents keep a kind per operation; Jaeger's service index does not.
        if (schema === 'zipkin') expect(ops, service).toEqual(index().expectedOperations(service, null));
        else expect(names(ops), service).toEqual(names(index().expectedOperations(service, null)));
        // Neither query API lists kinds (Jaeger's v1 API, Zipkin's): compare the names.
        for (const reference of references) {
          const theirs = (await ask(OPERATIONS, { s: service, b: [reference.name] })).operations.operations;
          expect(names(ops), `${reference.name} ${service}`).toEqual(names(theirs));
        }
      }
    });
  });
}

it('zipkin schema: operations of one span kind, which Zipkin’s own API cannot list', async () => {
  const mine = (await ask(OPERATIONS, { s: 'frontend', k: 'CLIENT', b: ['es-zipkin'] })).operations.operations;
  const expected = new DatasetIndex({ spans: dataset.zipkin }, new Set()).expectedOperations('frontend', 'CLIENT');
  expect(expected.length).toBeGreaterThan(0);
  expect(mine).toEqual(expected);
  expect(await askReference(OPERATIONS, { s: 'frontend', k: 'CLIENT', b: ['zipkin-es-query'] })).toBeNull();
});

it('jaeger schema: operations of one span kind are refused with BACKEND_UNSUPPORTED, never guessed', async () => {
  const response = await gateway.query(OPERATIONS, { s: 'frontend', k: 'SERVER', b: ['es-jaeger'] });
  expect(response.data.operations.operations).toEqual([]);
  expect(response.data.operations.backendStatus).toEqual([{ backend: 'es-jaeger', state: 'SKIPPED', code: 'BACKEND_UNSUPPORTED' }]);
});
