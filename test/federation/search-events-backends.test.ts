/**
 * How each backend turns an event-name filter (TraceQuery.eventName) into its server's query, what
 * it refuses, the shared exact rule, and the cache key. The servers' own answers are proven in
 * test/integration/search-events.int.test.ts.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jaegerBackendFactory } from '../../src/backends/jaeger/index.js';
import type { TraceQuery } from '../../src/backends/backend.js';
import { esUnsupportedReason, toSpanFilter } from '../../src/backends/elasticsearch/query.js';
import { isBoundedEventSearch, jaegerSearchQuery, MAX_SEARCH_DEPTH, toV1SearchParams } from '../../src/backends/jaeger/query.js';
import { spanMatchesQuery } from '../../src/backends/shared/match-query.js';
import { toZipkinSearchParams, zipkinUnsupportedReason } from '../../src/backends/zipkin/query.js';
import { searchKey } from '../../src/cache/keys.js';
import { makeSpan } from '../support/make-span.js';

const QUERY: TraceQuery = {
  service: 'checkout',
  operation: null,
  attributes: [],
  minDurationUs: null,
  maxDurationUs: null,
  window: { startUs: 1_000_000, endUs: 61_000_000 },
  limit: 20,
  eventName: 'exception',
};

describe('the exact rule', () => {
  const span = makeSpan('a', { service: 'checkout', startTimeUs: 2_000_000, events: [{ name: 'exception', timeUs: 2_000_100, attributes: [] }] });
  const cases: Array<{ description: string; query: TraceQuery; want: boolean }> = [
    { description: 'matches a span of the service with an event of that name', query: QUERY, want: true },
    { description: 'compares the name exactly', query: { ...QUERY, eventName: 'Exception' }, want: false },
    { description: 'needs the event on the span of the service', query: { ...QUERY, service: 'payments' }, want: false },
    { description: 'finds no event of another name', query: { ...QUERY, eventName: 'retry', service: null }, want: false },
  ];
  for (const { description, query, want } of cases) it(description, () => expect(spanMatchesQuery(span, query)).toBe(want));
});

describe('Zipkin', () => {
  it('adds the name as a bare annotationQuery term after the attribute terms', () => {
    expect(toZipkinSearchParams({ ...QUERY, attributes: [{ key: 'http.route', value: '/x' }] }).annotationQuery).toBe('http.route=/x and exception');
    expect(toZipkinSearchParams(QUERY).annotationQuery).toBe('exception');
    expect(toZipkinSearchParams({ ...QUERY, eventName: 'Cache.Miss' }).annotationQuery).toBe('Cache.Miss');
  });

  const refused = ['a=b', 'cache and miss', ' padded', 'padded '];
  for (const name of refused) {
    it(`refuses the name '${name}', which annotationQuery would split or trim`, () => {
      expect(zipkinUnsupportedReason({ ...QUERY, eventName: name })).toMatch(/annotationQuery/);
    });
  }
  it('accepts names with dots, spaces and other words', () => {
    expect(zipkinUnsupportedReason({ ...QUERY, eventName: 'cache.miss while android' })).toBeNull();
  });
});

describe('Jaeger', () => {
  it('sends no event filter and asks for the deepest search', () => {
    const sent = jaegerSearchQuery(QUERY);
    expect(sent.eventName).toBeUndefined();
    expect(sent.limit).toBe(MAX_SEARCH_DEPTH);
    expect(toV1SearchParams(sent).tags).toBeUndefined();
    const { eventName: _, ...plain } = QUERY;
    expect(jaegerSearchQuery(plain).limit).toBe(100);
  });

  it('trusts the answer only while it holds fewer traces than the depth', () => {
    const sent = jaegerSearchQuery(QUERY);
    expect(isBoundedEventSearch(sent, MAX_SEARCH_DEPTH - 1)).toBe(true);
    expect(isBoundedEventSearch(sent, MAX_SEARCH_DEPTH)).toBe(false);
  });
});

describe('a Jaeger v1 query API answering a full search', () => {
  const traces = (count: number, eventOn: number) =>
    Array.from({ length: count }, (_, i) => {
      const traceID = (i + 1).toString(16).padStart(32, '0');
      const logs = i === eventOn ? [{ timestamp: 2_000_100, fields: [{ key: 'event', type: 'string', value: 'exception' }] }] : [];
      const span = {
        traceID,
        spanID: '00000000000000a1',
        operationName: 'op',
        references: [],
        startTime: 2_000_000,
        duration: 10,
        tags: [],
        logs,
        processID: 'p1',
      };
      return { traceID, spans: [span], processes: { p1: { serviceName: 'checkout', tags: [] } } };
    });
  let server: Server;
  let answer: unknown[] = [];
  let asked: URLSearchParams | undefined;
  beforeAll(async () => {
    server = createServer((request, response) => {
      asked = new URL(request.url ?? '/', 'http://x').searchParams;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ data: answer, total: answer.length, limit: 0, offset: 0, errors: null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const backend = () => {
    const { port } = server.address() as AddressInfo;
    const config = jaegerBackendFactory.configSchema.parse({ kind: 'jaeger', name: 'jaeger', url: `http://127.0.0.1:${port}`, api: 'v1' });
    return jaegerBackendFactory.create(config, { logger: pino({ level: 'silent' }) });
  };
  const call = { signal: new AbortController().signal };

  it('matches the event itself when the answer holds fewer traces than the depth, and sends no event filter', async () => {
    answer = traces(MAX_SEARCH_DEPTH - 1, 7);
    const found = await backend().findTraces(QUERY, call);
    expect(found.map((t) => t.traceId)).toEqual([(8).toString(16).padStart(32, '0')]);
    expect(asked?.get('limit')).toBe(String(MAX_SEARCH_DEPTH));
    expect(asked?.get('tags')).toBeNull();
  });

  it('refuses with BACKEND_UNSUPPORTED when the answer fills the depth (traces may be missing)', async () => {
    answer = traces(MAX_SEARCH_DEPTH, 7);
    await expect(backend().findTraces(QUERY, call)).rejects.toMatchObject({ code: 'BACKEND_UNSUPPORTED', backend: 'jaeger' });
  });
});

describe('Elasticsearch', () => {
  const jaeger = { schema: 'jaeger', tagDotReplacement: '@' } as const;
  const zipkin = { schema: 'zipkin', tagDotReplacement: '@' } as const;

  it("jaeger schema: a nested query on a log field `event` holding the name, as Jaeger's own reader makes", () => {
    expect(JSON.stringify(toSpanFilter(QUERY, jaeger))).toContain(
      JSON.stringify({
        nested: {
          path: 'logs.fields',
          ignore_unmapped: true,
          query: { bool: { filter: [{ term: { 'logs.fields.key': 'event' } }, { term: { 'logs.fields.value': 'exception' } }] } },
        },
      }),
    );
  });

  it('zipkin schema: a term on `_q`, where Zipkin indexes annotation values', () => {
    expect(JSON.stringify(toSpanFilter(QUERY, zipkin))).toContain(JSON.stringify({ term: { _q: 'exception' } }));
  });

  it('refuses names longer than the 256 characters either schema indexes', () => {
    for (const schema of ['jaeger', 'zipkin'] as const) {
      expect(esUnsupportedReason(schema, { ...QUERY, eventName: 'x'.repeat(257) })).toMatch(/256/);
      expect(esUnsupportedReason(schema, { ...QUERY, eventName: 'x'.repeat(256) })).toBeNull();
    }
  });

  it('leaves the filter of a plain search as it was', () => {
    const { eventName: _, ...plain } = QUERY;
    expect(JSON.stringify(toSpanFilter(plain, jaeger))).not.toContain('logs.fields');
  });
});

describe('the search cache key', () => {
  const backend = { name: 'zipkin', fingerprint: 'abc' };
  it('tells event names apart and keeps the key of a plain search', () => {
    const { eventName: _, ...plain } = QUERY;
    expect(searchKey(undefined, backend, QUERY)).not.toBe(searchKey(undefined, backend, { ...QUERY, eventName: 'retry' }));
    expect(searchKey(undefined, backend, QUERY)).not.toBe(searchKey(undefined, backend, plain));
    // The key a plain search had before event search existed: the same fields, hashed the same way.
    const before = { s: plain.service, o: null, a: [], min: null, max: null, w: [plain.window.startUs, plain.window.endUs], l: plain.limit };
    const hash = createHash('sha256').update(JSON.stringify(before)).digest('base64url').slice(0, 22);
    expect(searchKey(undefined, backend, plain)).toBe(`v3:{public:zipkin@abc:search:${hash}}`);
  });
});
