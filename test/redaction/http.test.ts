/**
 * Redaction end to end over HTTP: one trace holding the same secrets in every place a span can hold
 * them, served by a memory backend, read back through GraphQL, Jaeger v1, Jaeger api_v3 and Zipkin v2
 * (by id, by search, and their name lists). No answer may contain a secret; every search that filters
 * by one is refused on every API, in that API's own shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../src/backends/memory/index.js';
import { compactTraceId, intAttr, nowMicros, parseTraceId, stringAttr } from '../../src/model/index.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { makeSpan, TRACE } from '../support/make-span.js';

const TOKEN = 'SECRET_TOKEN_0f9e';
const EMAIL = 'ann.secret@example.com';
const CARD = '4111 1111 1111 1111';
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SQL = 'select pan from cards';
/** Every text that must never leave the gateway. */
const SECRETS = [TOKEN, EMAIL, '4111', AWS_KEY, SQL];

function secretTrace(startUs: number) {
  return [
    makeSpan('a', {
      service: 'shop',
      name: `GET /checkout?access_token=${TOKEN}`,
      startTimeUs: startUs,
      kind: 'SERVER',
      attributes: [
        stringAttr('http.request.header.authorization', `Bearer ${TOKEN}`),
        stringAttr('http.method', 'GET'),
        stringAttr('user.email', EMAIL),
        { key: 'payment', type: 'MAP', value: { card: CARD, brand: 'visa' } },
        intAttr('http.status_code', 402),
      ],
      resource: [stringAttr('deploy.credentials', `key ${AWS_KEY}`)],
      events: [{ name: `charged ${CARD}`, timeUs: startUs + 10, attributes: [stringAttr('note', `retry with Bearer ${TOKEN}`)] }],
      status: { code: 'ERROR', message: `payment declined for ${EMAIL}` },
    }),
    makeSpan('b', {
      service: 'db',
      parent: 'a',
      name: 'query',
      startTimeUs: startUs + 20,
      kind: 'CLIENT',
      attributes: [stringAttr('db.statement', SQL), stringAttr('db.system', 'postgresql')],
    }),
  ];
}

describe('redaction on every API', () => {
  let gw: TestGateway;
  let base: string;
  const startUs = nowMicros() - 60_000_000;
  const id = compactTraceId(TRACE);

  beforeAll(async () => {
    const store = new MemoryBackend('store');
    store.addSpans(secretTrace(startUs));
    gw = await startGateway(
      {
        backends: [{ name: 'store', kind: 'memory' }],
        redaction: {
          enabled: true,
          keys: ['http.request.header.authorization', 'db.statement'],
          valuePatterns: ['bearerToken', 'cardNumber', 'email', 'awsAccessKey'],
        },
      },
      [store],
    );
    base = gw.url.replace(/\/graphql$/, '');
  });
  afterAll(() => gw.close());

  const get = async (path: string) => {
    const response = await fetch(base + path);
    return { status: response.status, text: await response.text() };
  };
  const expectNoSecret = (text: string) => {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
  };

  it('GraphQL: trace, span attributes, resource, events, status, trace events and search summaries', async () => {
    const response = await gw.query(
      `query($id: ID!) {
        trace(id: $id) {
          spans { name attributes { key value } resource { attributes { key value } } status { message } events { name attributes { key value } } }
          events { name attributes { key value } }
        }
        searchTraces(query: { service: "shop", window: { lookback: "1h" } }) { edges { node { rootOperation trace { spans { name } } } } }
      }`,
      { id },
    );
    expect(response.errors).toBeUndefined();
    const text = JSON.stringify(response.data);
    expectNoSecret(text);
    const [root, child] = response.data.trace.spans;
    expect(root.name).toBe('GET /checkout?access_token=[REDACTED]');
    expect(root.attributes).toEqual([
      { key: 'http.request.header.authorization', value: '[REDACTED]' },
      { key: 'http.method', value: 'GET' },
      { key: 'user.email', value: '[REDACTED]' },
      { key: 'payment', value: { card: '[REDACTED]', brand: 'visa' } },
      { key: 'http.status_code', value: 402 },
    ]);
    expect(root.resource.attributes).toEqual([{ key: 'deploy.credentials', value: 'key [REDACTED]' }]);
    expect(root.events).toEqual([{ name: 'charged [REDACTED]', attributes: [{ key: 'note', value: 'retry with Bearer [REDACTED]' }] }]);
    expect(root.status.message).toBe('payment declined for [REDACTED]');
    expect(child.attributes).toContainEqual({ key: 'db.statement', value: '[REDACTED]' });
    expect(response.data.searchTraces.edges.map((e: any) => e.node.rootOperation)).toEqual(['GET /checkout?access_token=[REDACTED]']);
  });

  it('Jaeger v1: /api/traces/{id} and search', async () => {
    const one = await get(`/api/traces/${id}`);
    expect(one.status).toBe(200);
    expectNoSecret(one.text);
    expect(JSON.parse(one.text).data[0].spans.map((s: any) => s.operationName)).toContain('GET /checkout?access_token=[REDACTED]');
    const search = await get(`/api/traces?service=shop&start=${startUs - 60_000_000}&end=${startUs + 60_000_000}`);
    expect(search.status).toBe(200);
    expect(JSON.parse(search.text).data).toHaveLength(1);
    expectNoSecret(search.text);
  });

  it('Jaeger api_v3: /api/v3/traces/{id} and search', async () => {
    const one = await get(`/api/v3/traces/${id}`);
    expect(one.status).toBe(200);
    expectNoSecret(one.text);
    const window = `query.start_time_min=${new Date((startUs - 60_000_000) / 1000).toISOString()}&query.start_time_max=${new Date((startUs + 60_000_000) / 1000).toISOString()}`;
    const search = await get(`/api/v3/traces?query.service_name=shop&${window}`);
    expect(search.status).toBe(200);
    expectNoSecret(search.text);
  });

  it('Zipkin v2: /api/v2/trace/{id}, traceMany and search', async () => {
    for (const path of [
      `/api/v2/trace/${id}`,
      `/api/v2/traceMany?traceIds=${id},${compactTraceId(parseTraceId('2'))}`,
      '/api/v2/traces?serviceName=shop',
    ]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(200);
      expectNoSecret(answer.text);
    }
  });

  it('operation lists show span names redacted on every API', async () => {
    const names = [
      JSON.parse((await get('/api/services/shop/operations')).text).data,
      JSON.parse((await get('/api/v2/spans?serviceName=shop')).text),
      JSON.parse((await get('/api/v3/operations?service=shop')).text).operations.map((o: any) => o.name),
      (await gw.query('{ operations(service: "shop") { operations { name } } }')).data.operations.operations.map((o: any) => o.name),
    ];
    for (const list of names) expect(list).toEqual(['GET /checkout?access_token=[REDACTED]']);
  });

  it('autocomplete never offers a redacted key or a secret value', async () => {
    const keys = JSON.parse((await get('/api/v2/autocompleteKeys')).text);
    expect(keys).toContain('http.method');
    expect(keys).not.toContain('http.request.header.authorization');
    expect(keys).not.toContain('db.statement');
    expect(JSON.parse((await get('/api/v2/autocompleteValues?key=user.email')).text)).toEqual([]);
    expect(JSON.parse((await get('/api/v2/autocompleteValues?key=db.statement')).text)).toEqual([]);
    expect(JSON.parse((await get('/api/v2/autocompleteValues?key=http.method')).text)).toEqual(['GET']);
    const graphql = await gw.query(
      '{ k: attributeKeys { names { name } } v: attributeValues(key: "HTTP.Request.Header.Authorization") { names { name } } }',
    );
    expect(graphql.data.k.names.map((n: any) => n.name)).not.toContain('http.request.header.authorization');
    expect(graphql.data.v.names).toEqual([]);
  });

  // Each probe: a redacted key, then a secret value under a key that is not redacted.
  const probes = [
    { key: 'http.request.header.authorization', value: 'nothing' },
    { key: 'user.email', value: EMAIL },
    { key: 'note', value: `Bearer ${TOKEN}` },
  ];

  it.each(probes)('GraphQL refuses a search by $key=$value with BAD_USER_INPUT, reason REDACTED_FILTER', async (probe) => {
    const response = await gw.query(
      'query($a: [AttributeFilterInput!]) { searchTraces(query: { attributes: $a, window: { lookback: "1h" } }) { totalCount } }',
      {
        a: [probe],
      },
    );
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'REDACTED_FILTER' });
    expect(response.errors?.[0]?.message).not.toContain(probe.value);
  });

  it.each(probes)('Jaeger v1 refuses a search by tags $key=$value with 400', async (probe) => {
    const tags = encodeURIComponent(JSON.stringify({ [probe.key]: probe.value }));
    const answer = await get(`/api/traces?service=shop&tags=${tags}`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ data: null, errors: [{ code: 400 }] });
  });

  it.each(probes)('Jaeger api_v3 refuses a search by query.attributes $key=$value with 400', async (probe) => {
    const window = `query.start_time_min=${new Date((startUs - 60_000_000) / 1000).toISOString()}&query.start_time_max=${new Date((startUs + 60_000_000) / 1000).toISOString()}`;
    const attributes = encodeURIComponent(JSON.stringify({ [probe.key]: probe.value }));
    const answer = await get(`/api/v3/traces?query.service_name=shop&${window}&query.attributes=${attributes}`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { httpCode: 400 } });
  });

  it.each(probes)('Zipkin refuses a search by annotationQuery $key=$value with 400', async (probe) => {
    const answer = await get(`/api/v2/traces?serviceName=shop&annotationQuery=${encodeURIComponent(`${probe.key}=${probe.value}`)}`);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('redact');
  });

  it('refuses a search by a secret operation name, and serves harmless filters', async () => {
    const byName = await get(`/api/traces?service=shop&operation=${encodeURIComponent(`GET /checkout?access_token=${TOKEN}`)}`);
    expect(byName.status).toBe(400);
    const harmless = await get(
      `/api/traces?service=shop&tags=${encodeURIComponent('{"http.method":"GET"}')}&start=${startUs - 60_000_000}&end=${startUs + 60_000_000}`,
    );
    expect(harmless.status).toBe(200);
    expect(JSON.parse(harmless.text).data).toHaveLength(1);
    const window = `query.start_time_min=${new Date((startUs - 60_000_000) / 1000).toISOString()}&query.start_time_max=${new Date((startUs + 60_000_000) / 1000).toISOString()}`;
    const v3 = await get(`/api/v3/traces?query.service_name=shop&${window}&query.attributes=${encodeURIComponent('{"http.method":"GET"}')}`);
    expect(v3.status).toBe(200);
    const graphql = await gw.query(
      '{ searchTraces(query: { attributes: [{ key: "http.method", value: "GET" }], window: { lookback: "1h" } }) { totalCount } }',
    );
    expect(graphql.data.searchTraces.totalCount).toBe(1);
    const zipkin = await get(`/api/v2/traces?serviceName=shop&annotationQuery=${encodeURIComponent('http.method=GET')}`);
    expect(zipkin.status).toBe(200);
    expect(JSON.parse(zipkin.text)).toHaveLength(1);
  });
});
