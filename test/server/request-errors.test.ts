/**
 * A caller's mistake is answered with a code the caller can act on, never as a server fault, and
 * never logs at error level (any caller could fill the log): an operationName that names no
 * operation, variables graphql-js cannot coerce, mutations and subscriptions (the schema has only a
 * query root), and automatic persisted queries (supported, with a bounded store). Each case runs on
 * both executors, the default graphql-jit and the graphql-js reference, which must answer the same.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';
import { captureLogs, LEVEL } from '../support/log-capture.js';

const TRACE = 'fc399502bce824169cf1ea00b42069cf';

interface Body {
  query?: string;
  operationName?: string;
  variables?: unknown;
  extensions?: unknown;
}

async function post(gateway: TestGateway, body: Body | string): Promise<GraphQLResponse> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { ...((await response.json()) as GraphQLResponse), status: response.status };
}

const codes = (response: GraphQLResponse): string[] => (response.errors ?? []).map((e) => String(e.extensions?.code));
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe.each(['jit', 'graphql-js'] as const)('with the %s executor', (executor) => {
  const logs = captureLogs();
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ server: { executor } }, undefined, { logger: logs.logger });
  });
  afterAll(() => gateway.close());

  describe('an operationName that names no operation', () => {
    it.each([
      { description: 'an unknown name', query: 'query A { services { isComplete } }', operationName: 'B' },
      { description: 'an empty name for a named operation', query: 'query A { services { isComplete } }', operationName: '' },
      { description: 'an empty name for an anonymous operation', query: '{ services { isComplete } }', operationName: '' },
      {
        description: 'no name for two operations',
        query: 'query A { services { isComplete } } query B { backends { name } }',
        operationName: undefined,
      },
      {
        description: 'an unknown name among two operations',
        query: 'query A { services { isComplete } } query B { backends { name } }',
        operationName: 'C',
      },
    ])('answers $description with 400 OPERATION_RESOLUTION_FAILURE', async ({ query, operationName }) => {
      logs.clear();
      const response = await post(gateway, { query, ...(operationName !== undefined ? { operationName } : {}) });
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
      expect(response.data).toBeUndefined();
      expect(logs.atLeast(LEVEL.error)).toEqual([]);
    });

    it('still runs the operation a known name picks', async () => {
      const response = await post(gateway, { query: 'query A { backends { name } } query B { services { isComplete } }', operationName: 'B' });
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ services: { isComplete: true } });
    });
  });

  describe('variables that cannot be coerced', () => {
    const traceById = 'query ($id: ID!) { trace(id: $id) { traceId } }';
    const firstTraces = 'query ($first: Int) { searchTraces(query: {}, first: $first) { totalCount } }';
    const search = 'query ($q: TraceQueryInput!) { searchTraces(query: $q) { totalCount } }';
    it.each([
      { description: 'a missing required variable', query: traceById, variables: {}, name: 'id' },
      { description: 'null for a non-null variable', query: traceById, variables: { id: null }, name: 'id' },
      { description: 'an object for an ID', query: traceById, variables: { id: { a: 1 } }, name: 'id' },
      { description: 'a list for an ID', query: traceById, variables: { id: ['a'] }, name: 'id' },
      { description: 'a string for an Int', query: firstTraces, variables: { first: '5' }, name: 'first' },
      { description: 'a fraction for an Int', query: firstTraces, variables: { first: 1.5 }, name: 'first' },
      { description: 'an Int beyond 32 bits', query: firstTraces, variables: { first: 2 ** 40 }, name: 'first' },
      {
        description: 'a value outside an enum',
        query: 'query ($k: SpanKind) { operations(service: "x", spanKind: $k) { isComplete } }',
        variables: { k: 'NOPE' },
        name: 'k',
      },
      { description: 'a field an input type lacks', query: search, variables: { q: { nope: 1 } }, name: 'q' },
      { description: 'a wrong type deep inside an input', query: search, variables: { q: { window: { lookback: 5 } } }, name: 'q' },
      {
        description: 'a wrong type in a list item',
        query: 'query ($ids: [ID!]!) { traces(ids: $ids) { traceId } }',
        variables: { ids: [TRACE, null] },
        name: 'ids',
      },
    ])('answers $description with 400 BAD_USER_INPUT naming the variable', async ({ query, variables, name }) => {
      logs.clear();
      const response = await post(gateway, { query, variables });
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.message).toContain(`"$${name}"`);
      expect(logs.atLeast(LEVEL.error)).toEqual([]);
    });

    // JSON.stringify itself overflows the stack on such values, so the bodies are written by hand.
    it.each([
      {
        description: 'a list nested 20,000 deep',
        query: 'query ($ids: [ID!]!) { traces(ids: $ids) { traceId } }',
        name: 'ids',
        value: `${'['.repeat(20_000)}"x"${']'.repeat(20_000)}`,
      },
      { description: 'an object nested 20,000 deep', query: search, name: 'q', value: `${'{"window":'.repeat(20_000)}{}${'}'.repeat(20_000)}` },
    ])('answers $description with 400 BAD_USER_INPUT naming the variable', async ({ query, name, value }) => {
      logs.clear();
      const response = await post(gateway, `{"query":${JSON.stringify(query)},"variables":{"${name}":${value}}}`);
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.message).toContain(`"$${name}"`);
      expect(logs.atLeast(LEVEL.error)).toEqual([]);
    });

    it('answers more than 50 bad values (graphql-js stops with an error of its own, found by the fuzz suite) with BAD_USER_INPUT only', async () => {
      logs.clear();
      const attributes = Array.from({ length: 60 }, (_, i) => ({ key: i }));
      const response = await post(gateway, { query: search, variables: { q: { attributes } } });
      expect(response.status).toBe(400);
      expect(response.errors!.length).toBeGreaterThan(50);
      expect(new Set(codes(response))).toEqual(new Set(['BAD_USER_INPUT']));
      expect(logs.atLeast(LEVEL.error)).toEqual([]);
    });

    it('answers null for a non-null argument, passed through a variable with a default, as BAD_USER_INPUT at its field', async () => {
      logs.clear();
      const response = await post(gateway, { query: 'query ($id: ID = "abc") { trace(id: $id) { traceId } }', variables: { id: null } });
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ trace: null });
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.path).toEqual(['trace']);
      expect(logs.atLeast(LEVEL.error)).toEqual([]);
    });
  });

  describe('operations the schema has no root for', () => {
    it.each([
      { description: 'a mutation', query: 'mutation { x }' },
      { description: 'a subscription', query: 'subscription { x }' },
      { description: 'a mutation beside a query', query: 'query A { backends { name } } mutation B { x }', operationName: 'A' },
    ])('rejects $description at validation with 400 GRAPHQL_VALIDATION_FAILED', async ({ query, operationName }) => {
      logs.clear();
      const response = await post(gateway, { query, ...(operationName ? { operationName } : {}) });
      expect(response.status).toBe(400);
      expect(codes(response)).toContain('GRAPHQL_VALIDATION_FAILED');
      expect(logs.atLeast(LEVEL.error)).toEqual([]);
    });
  });

  describe('automatic persisted queries', () => {
    it('asks for the text of an unknown hash, stores it when sent, then answers the hash alone', async () => {
      logs.clear();
      // A text of its own per executor: both gateways are fresh, but the test must not depend on order.
      const query = `query Apq_${executor.replace('-', '_')} { trace(id: "${TRACE}") { traceId spanCount } }`;
      const persistedQuery = { version: 1, sha256Hash: sha256(query) };
      const unknown = await post(gateway, { extensions: { persistedQuery } });
      expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      const registered = await post(gateway, { query, extensions: { persistedQuery } });
      expect(registered.status).toBe(200);
      expect(registered.data).toEqual({ trace: { traceId: TRACE, spanCount: 1000 } });
      const byHash = await post(gateway, { extensions: { persistedQuery } });
      expect(byHash).toEqual(registered);
      // Apollo Client sends hashed queries as GET when asked to (useGETForHashedQueries).
      const url = new URL(gateway.url);
      url.searchParams.set('extensions', JSON.stringify({ persistedQuery }));
      const get = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
      expect(get.status).toBe(200);
      expect(((await get.json()) as GraphQLResponse).data).toEqual(registered.data);
      expect(logs.atLeast(LEVEL.error)).toEqual([]);
    });

    it.each([
      {
        description: 'a hash that does not match the text',
        body: { query: '{ backends { name } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } },
      },
      {
        description: 'an unknown protocol version',
        body: { query: '{ backends { name } }', extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ backends { name } }') } } },
      },
    ])('answers $description with 400 BAD_REQUEST', async ({ body }) => {
      logs.clear();
      const response = await post(gateway, body);
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['BAD_REQUEST']);
      expect(logs.atLeast(LEVEL.error)).toEqual([]);
    });

    it('stores only a document that validates', async () => {
      const query = '{ nope }';
      const persistedQuery = { version: 1, sha256Hash: sha256(query) };
      expect(codes(await post(gateway, { query, extensions: { persistedQuery } }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(codes(await post(gateway, { extensions: { persistedQuery } }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    });
  });
});

describe('requests Fastify refuses before GraphQL runs', () => {
  const logs = captureLogs();
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ server: { bodyLimitBytes: 10_000 } }, undefined, { logger: logs.logger });
  });
  afterAll(() => gateway.close());

  it.each([
    {
      description: 'a body that is not JSON',
      contentType: 'application/json',
      body: '{"query": ',
      status: 400,
      reason: 'FST_ERR_CTP_INVALID_JSON_BODY',
    },
    {
      description: 'a media type it does not read',
      contentType: 'application/graphql',
      body: '{ backends { name } }',
      status: 415,
      reason: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    },
    {
      description: 'a body over the limit',
      contentType: 'application/json',
      body: JSON.stringify({ query: '{ backends { name } }', pad: 'x'.repeat(20_000) }),
      status: 413,
      reason: 'FST_ERR_CTP_BODY_TOO_LARGE',
    },
  ])('answers $description as a GraphQL error, BAD_REQUEST with its status', async ({ contentType, body, status, reason }) => {
    logs.clear();
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(status);
    const answer = (await response.json()) as GraphQLResponse;
    expect(answer.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_REQUEST', reason }]);
    expect(logs.atLeast(LEVEL.warn)).toEqual([]);
  });
});

describe('automatic persisted queries turned off', () => {
  it('answers PERSISTED_QUERY_NOT_SUPPORTED, on which Apollo Client falls back to the text, and logs nothing', async () => {
    const logs = captureLogs();
    const gateway = await startGateway({ server: { persistedQueries: { enabled: false } } }, undefined, { logger: logs.logger });
    onTestFinished(() => gateway.close());
    const query = '{ backends { name } }';
    const response = await post(gateway, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
    expect(codes(response)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    expect(logs.atLeast(LEVEL.error)).toEqual([]);
  });
});
