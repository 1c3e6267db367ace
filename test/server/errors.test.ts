/**
 * Every ErrorCode, end to end through the HTTP server: bad input is rejected before any backend is
 * called, and backend failures give partial answers with one errors[] entry per failed backend.
 * Backend failures here are scripted to pin the error pipeline; the same codes are produced by real
 * failing servers in the integration tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors.js';
import { parseTraceId } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const ID = parseTraceId('abc');
const spans = [makeSpan('a', { traceId: ID, service: 'web' })];

describe('error codes', () => {
  let gw: TestGateway;
  const good = new ScriptedBackend('good', { spans, services: ['web'] });
  const down = new ScriptedBackend('down', { fail: new BackendError('BACKEND_UNAVAILABLE', 'down', 'connect ECONNREFUSED 127.0.0.1:1') });
  const slow = new ScriptedBackend('slow', { delayMs: 5_000 });
  const garbled = new ScriptedBackend('garbled', { fail: new BackendError('BACKEND_BAD_RESPONSE', 'garbled', 'body is not JSON') });
  const picky = new ScriptedBackend('picky', { fail: new BackendError('BACKEND_REJECTED', 'picky', 'HTTP 400: bad tag') });

  beforeAll(async () => {
    gw = await startGateway(
      {
        backends: [
          { name: 'good', kind: 'memory' },
          { name: 'down', kind: 'memory' },
          { name: 'slow', kind: 'memory', timeoutMs: 100 },
          { name: 'garbled', kind: 'memory' },
          { name: 'picky', kind: 'memory' },
        ],
        limits: { maxDepth: 6, maxAliases: 3 },
        server: { rateLimit: { enabled: true, max: 1_000, windowMs: 60_000 } },
      },
      [good, down, slow, garbled, picky],
    );
  });
  afterAll(() => gw.close());

  const codes = (r: { errors?: Array<{ extensions?: Record<string, any> }> }) => (r.errors ?? []).map((e) => e.extensions?.code);

  it.each([
    { code: 'INVALID_TRACE_ID', query: '{ trace(id: "zz12") { traceId } }' },
    { code: 'BAD_USER_INPUT', query: '{ searchTraces(query: { limit: 0 }) { totalCount } }' },
    {
      code: 'BAD_USER_INPUT',
      query: '{ searchTraces(query: { window: { start: "2026-01-02T00:00:00Z", end: "2026-01-01T00:00:00Z" } }) { totalCount } }',
    },
    { code: 'BAD_USER_INPUT', query: '{ searchTraces(query: { window: { start: "yesterday" } }) { totalCount } }' },
    { code: 'UNKNOWN_BACKEND', query: '{ services(backends: ["nope"]) { isComplete } }' },
    { code: 'QUERY_TOO_COMPLEX', query: '{ trace(id: "abc") { spans { parent { parent { parent { parent { parent { spanId } } } } } } } }' },
    { code: 'QUERY_TOO_COMPLEX', query: '{ a: backends { name } b: backends { name } c: backends { name } d: backends { name } }' },
    { code: 'GRAPHQL_PARSE_FAILED', query: '{ trace(id: "abc") { traceId ' },
    { code: 'GRAPHQL_VALIDATION_FAILED', query: '{ trace(id: "abc") { noSuchField } }' },
  ])('answers $code for $query', async ({ code, query }) => {
    const before = good.calls.length;
    const result = await gw.query(query);
    expect(codes(result)).toEqual([code]);
    expect(good.calls.length).toBe(before); // bad input never reaches a backend
  });

  it('answers QUERY_TOO_COMPLEX for a document over the token limit', async () => {
    const ids = Array.from({ length: 6_000 }, (_, i) => `"${(i + 1).toString(16)}"`).join(' ');
    const result = await gw.query(`{ traces(ids: [${ids}]) { traceId } }`);
    expect(codes(result)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('answers BAD_REQUEST for a POST without a query', async () => {
    const response = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_REQUEST']);
  });

  it('answers OPERATION_RESOLUTION_FAILURE when operationName picks nothing', async () => {
    const response = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query A { backends { name } } query B { backends { kind } }' }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
  });

  it('gives a partial trace with one error per failed backend, naming each', async () => {
    const result = await gw.query(`{ trace(id: "abc") { traceId spans { spanId sources } isComplete backendStatus { backend state code } } }`);
    expect(result.data.trace.spans).toEqual([{ spanId: spans[0]!.spanId, sources: ['good'] }]);
    expect(result.data.trace.isComplete).toBe(false);
    expect(result.data.trace.backendStatus).toEqual([
      { backend: 'good', state: 'OK', code: null },
      { backend: 'down', state: 'FAILED', code: 'BACKEND_UNAVAILABLE' },
      { backend: 'slow', state: 'TIMEOUT', code: 'BACKEND_TIMEOUT' },
      { backend: 'garbled', state: 'FAILED', code: 'BACKEND_BAD_RESPONSE' },
      { backend: 'picky', state: 'FAILED', code: 'BACKEND_REJECTED' },
    ]);
    expect(result.errors!.map((e) => [e.extensions!.code, e.extensions!.backend, e.path])).toEqual([
      ['BACKEND_UNAVAILABLE', 'down', ['trace']],
      ['BACKEND_TIMEOUT', 'slow', ['trace']],
      ['BACKEND_BAD_RESPONSE', 'garbled', ['trace']],
      ['BACKEND_REJECTED', 'picky', ['trace']],
    ]);
  });

  it('reports a backend skipped for a filter it cannot serve as BACKEND_UNSUPPORTED', async () => {
    const result = await gw.query(
      `{ searchTraces(query: { service: "web", attributes: [{ key: "a", value: "b" }] }, backends: ["good"]) { backendStatus { backend state code } } }`,
    );
    expect(result.data.searchTraces.backendStatus).toEqual([{ backend: 'good', state: 'SKIPPED', code: 'BACKEND_UNSUPPORTED' }]);
    expect(codes(result)).toEqual(['BACKEND_UNSUPPORTED']);
  });

  it('batches traces(ids) into one getTraces call per backend', async () => {
    const before = good.calls.filter((c) => c.method === 'getTraces').length;
    const ids = Array.from({ length: 50 }, (_, i) => (i + 1).toString(16));
    const result = await gw.query(`query ($ids: [ID!]!) { traces(ids: $ids, backends: ["good"]) { traceId } }`, { ids });
    expect(result.data.traces).toHaveLength(50);
    const calls = good.calls.filter((c) => c.method === 'getTraces').slice(before);
    expect(calls).toHaveLength(1);
    expect((calls[0]!.args as string[]).length).toBe(50);
  });

  it('shows a backend whose health check throws as unhealthy, without leaking the error (Query.backends reads the background checks)', async () => {
    const broken = new ScriptedBackend('broken', { services: ['x'] });
    broken.health = async () => {
      throw new TypeError('secret internal detail');
    };
    const own = await startGateway({ backends: [{ name: 'broken', kind: 'memory' }] }, [broken]);
    try {
      const result = await own.query('{ backends { name healthy detail } }');
      expect(result.errors).toBeUndefined();
      expect(result.data.backends).toEqual([{ name: 'broken', healthy: false, detail: 'health check failed unexpectedly' }]);
      expect(JSON.stringify(result)).not.toContain('secret');
      const readyz = await (await fetch(`${new URL(own.url).origin}/readyz`)).text();
      expect(readyz).not.toContain('secret');
    } finally {
      await own.close();
    }
  });
});

describe('batching', () => {
  it('batches 50 separate trace fields of one query into one call per backend', async () => {
    const one = new ScriptedBackend('one', { spans });
    const two = new ScriptedBackend('two', { spans });
    const gw = await startGateway(
      {
        backends: [
          { name: 'one', kind: 'memory' },
          { name: 'two', kind: 'memory' },
        ],
        limits: { maxAliases: 60 },
      },
      [one, two],
    );
    try {
      const fields = Array.from({ length: 50 }, (_, i) => `t${i}: trace(id: "${(i + 1).toString(16)}") { traceId }`).join('\n');
      const result = await gw.query(`{ ${fields} }`);
      expect(result.errors).toBeUndefined();
      expect(Object.keys(result.data)).toHaveLength(50);
      for (const backend of [one, two]) {
        const calls = backend.calls.filter((c) => c.method === 'getTraces');
        expect(calls).toHaveLength(1);
        expect((calls[0]!.args as string[]).length).toBe(50);
      }
    } finally {
      await gw.close();
    }
  });
});

describe('rate limit', () => {
  it('answers RATE_LIMITED past the limit', async () => {
    const gw = await startGateway({ server: { rateLimit: { enabled: true, max: 2, windowMs: 60_000 } } });
    try {
      await gw.query('{ backends { name } }');
      await gw.query('{ backends { name } }');
      const third = await gw.query('{ backends { name } }');
      expect(third.status).toBe(429);
      expect(third.errors!.map((e) => e.extensions!.code)).toEqual(['RATE_LIMITED']);
    } finally {
      await gw.close();
    }
  });
});
