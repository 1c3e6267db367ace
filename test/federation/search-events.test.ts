/**
 * Event search: the exact match over merged spans, the newest-first order with its tiebreaks, the
 * cursor codec, and paging through GraphQL over two in-process memory backends (every page joined
 * is every event once, in order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../src/backends/memory/index.js';
import { BadUserInputError } from '../../src/errors.js';
import { compareEventHits, matchingEvents, type EventQuery } from '../../src/federation/search-events.js';
import { decodeEventCursor, encodeEventCursor, pageOfEvents } from '../../src/federation/search-events-page.js';
import { intAttr, parseTraceId, stringAttr, type Span } from '../../src/model/index.js';
import { startGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';
import { makeSpan } from '../support/make-span.js';

const WINDOW = { startUs: 1_000, endUs: 10_000 };
const query = (fields: Partial<EventQuery> = {}): EventQuery => ({
  name: 'exception',
  service: null,
  backend: null,
  attributes: [],
  window: WINDOW,
  limit: 100,
  ...fields,
});

const SPANS: Span[] = [
  makeSpan('a', {
    service: 'checkout',
    startTimeUs: 2_000,
    sources: ['jaeger', 'zipkin'],
    events: [
      { name: 'exception', timeUs: 2_500, attributes: [stringAttr('exception.type', 'Timeout'), intAttr('attempt', 2)] },
      { name: 'retry', timeUs: 2_600, attributes: [] },
      { name: 'Exception', timeUs: 2_700, attributes: [] },
    ],
  }),
  makeSpan('b', {
    service: 'payments',
    startTimeUs: 3_000,
    sources: ['zipkin'],
    events: [{ name: 'exception', timeUs: 12_000, attributes: [] }],
  }),
  makeSpan('c', { service: 'payments', startTimeUs: 500, sources: ['jaeger'], events: [{ name: 'exception', timeUs: 1_500, attributes: [] }] }),
  makeSpan('d', { service: 'payments', startTimeUs: 4_000, sources: ['jaeger'], events: [{ name: 'exception', timeUs: 4_100, attributes: [] }] }),
];

describe('matchingEvents', () => {
  const cases: Array<{ description: string; query: EventQuery; want: string[] }> = [
    { description: 'matches the name exactly (case counts), in the window, of spans started in it', query: query(), want: ['a/0', 'd/0'] },
    { description: 'keeps only events of the service', query: query({ service: 'payments' }), want: ['d/0'] },
    { description: 'keeps only events of spans a backend held', query: query({ backend: 'zipkin' }), want: ['a/0'] },
    {
      description: 'matches attributes on the event itself, values as text',
      query: query({ attributes: [{ key: 'attempt', value: '2' }] }),
      want: ['a/0'],
    },
    {
      description: 'needs every attribute filter',
      query: query({
        attributes: [
          { key: 'attempt', value: '2' },
          { key: 'exception.type', value: 'Other' },
        ],
      }),
      want: [],
    },
    { description: 'leaves out an event after the window end', query: query({ window: { startUs: 1_000, endUs: 11_000 } }), want: ['a/0', 'd/0'] },
    {
      description: 'leaves out events of a span that started before the window',
      query: query({ window: { startUs: 1_400, endUs: 20_000 } }),
      want: ['a/0', 'b/0', 'd/0'],
    },
  ];
  for (const { description, query: q, want } of cases) {
    it(description, () => {
      const got = matchingEvents(SPANS, q).map((h) => `${h.span.spanId.slice(-1)}/${h.index}`);
      expect(got).toEqual(want);
    });
  }
});

describe('the order of hits', () => {
  it('is newest first, then trace id, span (the shared half after the client) and place in the span', () => {
    const t1 = parseTraceId('1');
    const t2 = parseTraceId('2');
    const spans = [
      makeSpan('a', { traceId: t2, events: [{ name: 'x', timeUs: 1_500, attributes: [] }] }),
      makeSpan('a', { traceId: t1, isSharedServer: true, events: [{ name: 'x', timeUs: 1_500, attributes: [] }] }),
      makeSpan('a', {
        traceId: t1,
        events: [
          { name: 'x', timeUs: 1_500, attributes: [] },
          { name: 'x', timeUs: 1_500, attributes: [] },
        ],
      }),
      makeSpan('b', { traceId: t1, events: [{ name: 'x', timeUs: 1_200, attributes: [] }] }),
      makeSpan('c', { traceId: t2, events: [{ name: 'x', timeUs: 1_900, attributes: [] }] }),
    ];
    const hits = matchingEvents(spans, query({ name: 'x' })).sort(compareEventHits);
    expect(
      hits.map((h) => `${h.event.timeUs} ${h.traceId.slice(-1)} ${h.span.spanId.slice(-1)}${h.span.isSharedServer ? 's' : ''}/${h.index}`),
    ).toEqual(['1900 2 c/0', '1500 1 a/0', '1500 1 a/1', '1500 1 as/0', '1500 2 a/0', '1200 1 b/0']);
  });
});

describe('event cursors', () => {
  it('round-trips the order key, fractional times and shared spans included', () => {
    const key = { timeUs: 1_796_066_557_100_000.5, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanKey: '00000000000000c4:shared', index: 3 };
    expect(decodeEventCursor(encodeEventCursor(key))).toEqual(key);
  });

  const bad: Array<{ description: string; cursor: string }> = [
    { description: 'empty', cursor: '' },
    { description: 'not base64url', cursor: 'a+b/c==' },
    { description: "searchTraces' offset cursor", cursor: Buffer.from('offset:3').toString('base64url') },
    { description: 'another version', cursor: Buffer.from(`e2:1:${'a'.repeat(32)}:${'b'.repeat(16)}:0`).toString('base64url') },
    { description: 'a short trace id', cursor: Buffer.from(`e1:1:abc:${'b'.repeat(16)}:0`).toString('base64url') },
    { description: 'upper-case hex', cursor: Buffer.from(`e1:1:${'A'.repeat(32)}:${'b'.repeat(16)}:0`).toString('base64url') },
    { description: 'a missing index', cursor: Buffer.from(`e1:1:${'a'.repeat(32)}:${'b'.repeat(16)}`).toString('base64url') },
    { description: 'text after the key', cursor: Buffer.from(`e1:1:${'a'.repeat(32)}:${'b'.repeat(16)}:0:x`).toString('base64url') },
    { description: 'far too long', cursor: 'A'.repeat(201) },
  ];
  for (const { description, cursor } of bad) {
    it(`refuses ${description} as BAD_USER_INPUT on 'after'`, () => {
      let error: unknown;
      try {
        decodeEventCursor(cursor);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BadUserInputError);
      expect((error as BadUserInputError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    });
  }
});

describe('pageOfEvents', () => {
  const hits = matchingEvents(
    Array.from({ length: 7 }, (_, i) => makeSpan((i + 1).toString(16), { events: [{ name: 'x', timeUs: 2_000 + (i % 3), attributes: [] }] })),
    query({ name: 'x' }),
  ).sort(compareEventHits);
  const result = { hits, outcomes: [] };

  it('walks every hit once, in order, a page at a time', () => {
    const seen: string[] = [];
    let after = null;
    let pages = 0;
    for (;;) {
      const page = pageOfEvents(result, 3, after);
      pages++;
      seen.push(...page.edges.map((e) => e.cursor));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = decodeEventCursor(page.pageInfo.endCursor!);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(pageOfEvents(result, 100, null).edges.map((e) => e.cursor));
    expect(new Set(seen).size).toBe(7);
  });

  it('starts after the cursor even when that event is gone (newer events do not shift the page)', () => {
    const third = pageOfEvents(result, 3, null).edges[2]!;
    const without = { hits: hits.filter((_, i) => i !== 2), outcomes: [] };
    const next = pageOfEvents(without, 2, decodeEventCursor(third.cursor));
    expect(next.edges.map((e) => e.cursor)).toEqual(pageOfEvents(result, 2, decodeEventCursor(third.cursor)).edges.map((e) => e.cursor));
  });

  it('answers an empty page after the last event', () => {
    const last = pageOfEvents(result, 100, null).pageInfo.endCursor!;
    const page = pageOfEvents(result, 5, decodeEventCursor(last));
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });
});

const SEARCH_EVENTS = /* GraphQL */ `
  query Events($query: EventQueryInput!, $first: Int, $after: String) {
    searchEvents(query: $query, first: $first, after: $after) {
      edges { cursor node { traceId service backends span { spanId } event { name timeUs attributes { key value } } } }
      pageInfo { hasNextPage endCursor }
      totalCount
      backendStatus { backend state code }
    }
  }
`;

describe('Query.searchEvents over memory backends', () => {
  let gateway: TestGateway;
  const nowUs = Date.now() * 1000;
  const one = new MemoryBackend('one');
  const two = new MemoryBackend('two');
  beforeAll(async () => {
    // Ten traces, each with two `exception` events; trace 3 is held by both backends (merged once).
    for (let i = 0; i < 10; i++) {
      const traceId = parseTraceId(`e${i}`);
      const startTimeUs = nowUs - 600_000_000 + i * 1_000_000;
      const events = [0, 1].map((j) => ({ name: 'exception', timeUs: startTimeUs + 100 + j * 50, attributes: [intAttr('n', i * 2 + j)] }));
      const span = makeSpan('a', { traceId, startTimeUs, durationUs: 1_000, service: 'checkout', events, sources: [] });
      if (i % 2 === 0 || i === 3) one.addSpans([structuredClone(span)]);
      if (i % 2 === 1) two.addSpans([structuredClone(span)]);
    }
    gateway = await startGateway(
      {
        backends: [
          { name: 'one', kind: 'memory' },
          { name: 'two', kind: 'memory' },
        ],
        cache: { enabled: false },
      },
      [one, two],
    );
  });
  afterAll(() => gateway.close());

  it('pages through every event newest first with first: 3 and the end cursors, none twice', async () => {
    const got: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response: GraphQLResponse = await gateway.query(SEARCH_EVENTS, {
        query: { name: 'exception', window: { lookback: '1h' } },
        first: 3,
        after,
      });
      expect(response.errors).toBeUndefined();
      const { edges, pageInfo, totalCount } = response.data.searchEvents as {
        edges: any[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
        totalCount: number;
      };
      expect(totalCount).toBe(20);
      got.push(...edges.map((e: any) => e.node.event.attributes[0].value));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i));
  });

  it('names the backends that held each event, and keeps only those of a backend', async () => {
    const response = await gateway.query(SEARCH_EVENTS, { query: { name: 'exception', backend: 'two', window: { lookback: '1h' } }, first: 100 });
    const { edges, backendStatus } = response.data.searchEvents;
    expect(backendStatus.map((o: any) => o.backend)).toEqual(['two']);
    expect(edges.map((e: any) => e.node.event.attributes[0].value)).toEqual([19, 18, 15, 14, 11, 10, 7, 6, 3, 2]);
    const fromTrace3 = edges.filter((e: any) => e.node.traceId.endsWith('e3'));
    expect(fromTrace3.map((e: any) => e.node.backends)).toEqual([
      ['one', 'two'],
      ['one', 'two'],
    ]);
  });

  it('refuses a cursor it did not hand out, a backend not selected and a page over the limit', async () => {
    const cases = [
      { variables: { query: { name: 'exception' }, after: 'bm90LWEtY3Vyc29y' }, argument: 'after' },
      { variables: { query: { name: 'exception', backend: 'three' } }, argument: 'query.backend' },
      { variables: { query: { name: ' ' } }, argument: 'query.name' },
      { variables: { query: { name: 'exception' }, first: 100_000 }, argument: 'first' },
      { variables: { query: { name: 'exception', limit: 0 } }, argument: 'query.limit' },
    ];
    for (const { variables, argument } of cases) {
      const response = await gateway.query(SEARCH_EVENTS, variables);
      expect(response.errors?.[0]?.extensions, argument).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });
});

describe('Query.searchEvents with redaction', () => {
  let gateway: TestGateway;
  const store = new MemoryBackend('store');
  beforeAll(async () => {
    gateway = await startGateway(
      {
        backends: [{ name: 'store', kind: 'memory' }],
        cache: { enabled: false },
        redaction: { enabled: true, keys: ['db.statement'], valuePatterns: ['email'] },
      },
      [store],
    );
  });
  afterAll(() => gateway.close());

  const cases = [
    { description: 'an event name a value rule matches', query: { name: 'sent to ann@example.com' } },
    { description: 'a redacted event attribute', query: { name: 'query', attributes: [{ key: 'db.statement', value: 'select 1' }] } },
    { description: 'an event attribute value a rule matches', query: { name: 'login', attributes: [{ key: 'user', value: 'ann@example.com' }] } },
  ];
  for (const { description, query: q } of cases) {
    it(`refuses a search by ${description} (REDACTED_FILTER)`, async () => {
      const response = await gateway.query(SEARCH_EVENTS, { query: q });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'REDACTED_FILTER' });
    });
  }
});
