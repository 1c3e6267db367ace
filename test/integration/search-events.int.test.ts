/**
 * searchEvents against the real servers (issue 17): Jaeger, Zipkin and the `elasticsearch` backend on
 * both schemas, each alone and all four merged, checked against the events of the integration dataset
 * (test/support/dataset/dataset.ts: name, time, attributes, span, service, trace), computed here from
 * the dataset and not from any answer. Also: a backend that cannot search for an event is SKIPPED
 * with BACKEND_UNSUPPORTED (Jaeger without a service; Zipkin for a name its annotationQuery cannot
 * hold), the window bounds event times, and paging hands out each event once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../src/model/index.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { BACKEND_CONFIG, loadedDataset } from '../support/real-backends.js';

const SEARCH_EVENTS = /* GraphQL */ `
  query Events($query: EventQueryInput!, $first: Int, $after: String) {
    searchEvents(query: $query, first: $first, after: $after) {
      edges {
        cursor
        node {
          traceId
          service
          backends
          span { spanId isSharedServer }
          event { name timeUs attributes { key value } spanId service sources }
        }
      }
      pageInfo { hasNextPage hasPreviousPage endCursor }
      totalCount
      backendStatus { backend state code reason }
      isComplete
    }
  }
`;

interface Expected {
  traceId: string;
  spanId: string;
  isSharedServer: boolean;
  service: string;
  name: string;
  timeUs: number;
  attributes: Array<{ key: string; value: unknown }>;
  backends: string[];
}

type Side = 'jaeger' | 'zipkin';

/** Attributes in key order: a store need not keep the order an event's attributes were sent in (Jaeger's memory store sorts them). */
const byKey = (attributes: Array<{ key: string; value: unknown }>) => [...attributes].sort((a, b) => (a.key < b.key ? -1 : 1));

/** The events a share holds, as its store gives them back: Zipkin's annotations carry no attributes. */
function eventsOf(spans: readonly Span[], side: Side, backends: string[]): Expected[] {
  return spans.flatMap((span) =>
    span.events.map((event) => ({
      traceId: span.traceId,
      spanId: span.spanId,
      isSharedServer: span.isSharedServer,
      service: span.service,
      name: event.name,
      timeUs: event.timeUs,
      attributes: side === 'jaeger' ? byKey(event.attributes.map((a) => ({ key: a.key, value: a.value }))) : [],
      backends,
    })),
  );
}

const eventKey = (e: Pick<Expected, 'traceId' | 'spanId' | 'isSharedServer' | 'name' | 'timeUs'>) =>
  `${e.traceId}/${e.spanId}${e.isSharedServer ? ':shared' : ''}/${e.name}@${e.timeUs}`;

/** Every backend's events, one entry per event (BOTH's are held by all four), with every backend that held it. */
function mergedEvents(): Expected[] {
  const d = loadedDataset();
  const all = [...eventsOf(d.jaeger, 'jaeger', ['es-jaeger', 'jaeger']), ...eventsOf(d.zipkin, 'zipkin', ['es-zipkin', 'zipkin'])];
  const byKey = new Map<string, Expected>();
  for (const e of all) {
    const known = byKey.get(eventKey(e));
    // A Jaeger copy carries the event's attributes; dedupe keeps them.
    if (known === undefined) byKey.set(eventKey(e), e);
    else byKey.set(eventKey(e), { ...(known.attributes.length > 0 ? known : e), backends: [...new Set([...known.backends, ...e.backends])].sort() });
  }
  return [...byKey.values()];
}

function newestFirst(events: Expected[]): Expected[] {
  return [...events].sort((a, b) => b.timeUs - a.timeUs || (eventKey(a) < eventKey(b) ? -1 : 1));
}

function got(edges: any[]): Expected[] {
  return edges.map(({ node }) => ({
    traceId: node.traceId,
    spanId: node.span.spanId,
    isSharedServer: node.span.isSharedServer,
    service: node.service,
    name: node.event.name,
    timeUs: node.event.timeUs,
    attributes: byKey(node.event.attributes),
    backends: [...node.backends].sort(),
  }));
}

function window(): { start: string; end: string } {
  const { baseUs } = loadedDataset();
  return { start: new Date(baseUs / 1000 - 60_000).toISOString(), end: new Date(baseUs / 1000 + 600_000).toISOString() };
}

const SINGLE = [
  { label: 'Jaeger', config: BACKEND_CONFIG.jaeger, side: 'jaeger', needsService: true },
  { label: 'Zipkin', config: BACKEND_CONFIG.zipkin, side: 'zipkin', needsService: false },
  { label: 'Elasticsearch, jaeger schema,', config: BACKEND_CONFIG.esJaeger, side: 'jaeger', needsService: false },
  { label: 'Elasticsearch, zipkin schema,', config: BACKEND_CONFIG.esZipkin, side: 'zipkin', needsService: false },
] as const;

for (const { label, config, side, needsService } of SINGLE) {
  describe(`searchEvents on ${label} alone`, () => {
    let gateway: TestGateway;
    let expected: Expected[];
    beforeAll(async () => {
      expected = eventsOf(loadedDataset()[side], side, [config.name]);
      gateway = await startGateway({ backends: [config], cache: { enabled: false } });
    });
    afterAll(() => gateway.close());

    it("finds each of the dataset's events by name and service: time, attributes, span, trace", async () => {
      expect(expected.length).toBeGreaterThan(1);
      for (const e of expected) {
        const response = await gateway.query(SEARCH_EVENTS, { query: { name: e.name, service: e.service, window: window() }, first: 20 });
        expect(response.errors, e.name).toBeUndefined();
        const result = response.data.searchEvents;
        expect(result.backendStatus, e.name).toEqual([{ backend: config.name, state: 'OK', code: null, reason: null }]);
        expect(got(result.edges), e.name).toEqual(newestFirst(expected.filter((x) => x.name === e.name && x.service === e.service)));
        expect(result.edges[0].node.event).toMatchObject({ spanId: e.spanId, service: e.service, sources: [config.name] });
      }
    });

    it('finds nothing for a name the dataset has on another service, or in no event', async () => {
      const e = expected[0]!;
      for (const query of [
        { name: e.name, service: 'no-such-service' },
        { name: `${e.name}.nope`, service: e.service },
      ]) {
        const response = await gateway.query(SEARCH_EVENTS, { query: { ...query, window: window() } });
        expect(response.data.searchEvents, query.name).toMatchObject({ edges: [], totalCount: 0, isComplete: true });
      }
    });

    it(needsService ? 'is SKIPPED (BACKEND_UNSUPPORTED) without a service' : 'finds an event by name alone', async () => {
      const e = expected[0]!;
      const response = await gateway.query(SEARCH_EVENTS, { query: { name: e.name, window: window() } });
      const result = response.data.searchEvents;
      if (needsService) {
        expect(result.backendStatus).toMatchObject([{ backend: config.name, state: 'SKIPPED', code: 'BACKEND_UNSUPPORTED' }]);
        expect(result.edges).toEqual([]);
        expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BACKEND_UNSUPPORTED', backend: config.name });
      } else {
        expect(got(result.edges)).toEqual(newestFirst(expected.filter((x) => x.name === e.name)));
      }
    });
  });
}

describe('searchEvents over Jaeger, Zipkin and Elasticsearch merged', () => {
  let gateway: TestGateway;
  let expected: Expected[];
  beforeAll(async () => {
    expected = mergedEvents();
    gateway = await startGateway({
      backends: [BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin, BACKEND_CONFIG.esJaeger, BACKEND_CONFIG.esZipkin],
      cache: { enabled: false },
    });
  });
  afterAll(() => gateway.close());

  it('finds every event of the dataset once, with every backend that held its span', async () => {
    expect(expected.find((e) => e.name === 'retry')?.backends).toEqual(['es-jaeger', 'es-zipkin', 'jaeger', 'zipkin']);
    for (const e of expected) {
      const response = await gateway.query(SEARCH_EVENTS, { query: { name: e.name, service: e.service, window: window() } });
      expect(response.errors, e.name).toBeUndefined();
      expect(response.data.searchEvents.isComplete).toBe(true);
      expect(got(response.data.searchEvents.edges), e.name).toEqual([e]);
    }
  });

  it('matches attributes on the event exactly', async () => {
    const query = { name: 'exception', service: 'payments', window: window() };
    const hit = await gateway.query(SEARCH_EVENTS, { query: { ...query, attributes: [{ key: 'exception.type', value: 'CardDeclined' }] } });
    expect(got(hit.data.searchEvents.edges).map((e) => e.name)).toEqual(['exception']);
    const miss = await gateway.query(SEARCH_EVENTS, { query: { ...query, attributes: [{ key: 'exception.type', value: 'Timeout' }] } });
    expect(miss.data.searchEvents.edges).toEqual([]);
  });

  it('leaves out an event after the window end although its span started inside', async () => {
    const retry = expected.find((e) => e.name === 'retry')!;
    const { baseUs } = loadedDataset();
    const end = new Date((retry.timeUs - 1_000) / 1000).toISOString();
    const response = await gateway.query(SEARCH_EVENTS, {
      query: { name: 'retry', service: 'auth', window: { start: new Date(baseUs / 1000 - 60_000).toISOString(), end } },
    });
    expect(response.data.searchEvents.edges).toEqual([]);
  });

  it('reports Jaeger SKIPPED without a service and still finds the event where the others hold it', async () => {
    const response = await gateway.query(SEARCH_EVENTS, { query: { name: 'exception', window: window() } });
    const result = response.data.searchEvents;
    const states = Object.fromEntries(result.backendStatus.map((o: any) => [o.backend, [o.state, o.code]]));
    expect(states).toEqual({
      jaeger: ['SKIPPED', 'BACKEND_UNSUPPORTED'],
      zipkin: ['OK', null],
      'es-jaeger': ['OK', null],
      'es-zipkin': ['OK', null],
    });
    expect(result.isComplete).toBe(false);
    expect(got(result.edges)).toEqual(expected.filter((e) => e.name === 'exception'));
  });

  it("reports Zipkin SKIPPED for a name its annotationQuery cannot hold (' and ')", async () => {
    const response = await gateway.query(SEARCH_EVENTS, { query: { name: 'cache.miss and more', service: 'catalog', window: window() } });
    const zipkin = response.data.searchEvents.backendStatus.find((o: any) => o.backend === 'zipkin');
    expect(zipkin).toMatchObject({ state: 'SKIPPED', code: 'BACKEND_UNSUPPORTED' });
    expect(response.data.searchEvents.edges).toEqual([]);
  });

  it('searches only the backend asked for, and keeps the events of spans it held', async () => {
    const response = await gateway.query(SEARCH_EVENTS, { query: { name: 'retry', service: 'auth', backend: 'zipkin', window: window() } });
    const result = response.data.searchEvents;
    expect(result.backendStatus.map((o: any) => o.backend)).toEqual(['zipkin']);
    expect(got(result.edges)).toEqual(expected.filter((e) => e.name === 'retry'));
    const other = await gateway.query(SEARCH_EVENTS, { query: { name: 'exception', service: 'payments', backend: 'zipkin', window: window() } });
    expect(other.data.searchEvents.edges).toEqual([]);
  });

  it('pages with first: 1 and the end cursor: each event once, then an empty last page', async () => {
    const query = { name: 'wr', service: 'catalog', window: window() };
    const first = await gateway.query(SEARCH_EVENTS, { query, first: 1 });
    const page1 = first.data.searchEvents;
    expect(got(page1.edges)).toEqual(expected.filter((e) => e.name === 'wr'));
    expect(page1.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false, endCursor: page1.edges[0].cursor });
    const second = await gateway.query(SEARCH_EVENTS, { query, first: 1, after: page1.pageInfo.endCursor });
    expect(second.data.searchEvents.edges).toEqual([]);
    expect(second.data.searchEvents.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true, endCursor: null });
    const bad = await gateway.query(SEARCH_EVENTS, { query, after: 'ZTE6bm90LWEta2V5' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});
