/**
 * Redaction on real backend data: a gateway fronting the harness's real Jaeger and Zipkin (which hold
 * the integration dataset, test/support/dataset/dataset.ts) with rules that treat parts of that data as
 * secret: the `enduser.id` and `http.route` tags (keys), and the text `password` and `token expired`
 * (value patterns; a span name and a status message). Each of GraphQL, Jaeger v1, api_v3 and Zipkin
 * answers LEGACY64 (Jaeger only) and BOTH (Jaeger and Zipkin, deduplicated) without them, and refuses
 * a search by them before either server is asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactTraceId } from '../../src/model/index.js';
import { httpBase } from '../support/api-diff/http.js';
import { type IntegrationDataset, TRACE_IDS } from '../support/dataset/dataset.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { BACKEND_CONFIG, loadedDataset } from '../support/real-backends.js';

const SECRETS = ['u-42', 'hash password', 'token expired', '"/account"'];
const TRACES = { LEGACY64: compactTraceId(TRACE_IDS.LEGACY64), BOTH: compactTraceId(TRACE_IDS.BOTH) };

let gateway: TestGateway;
let base: string;
let dataset: IntegrationDataset;

beforeAll(async () => {
  dataset = loadedDataset();
  gateway = await startGateway({
    backends: [BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin],
    cache: { enabled: false },
    redaction: {
      enabled: true,
      keys: ['enduser.id', 'http.route'],
      valuePatterns: [
        { name: 'password', pattern: 'password' },
        { name: 'expiry', pattern: 'token expired' },
      ],
    },
  });
  base = httpBase(gateway.url);
});
afterAll(() => gateway.close());

const get = async (path: string) => {
  const response = await fetch(base + path);
  return { status: response.status, text: await response.text() };
};

function expectRedacted(text: string, where: string): void {
  for (const secret of SECRETS) expect(text, where).not.toContain(secret);
  expect(text, where).toContain('[REDACTED]');
}

describe('redaction of real Jaeger and Zipkin data', () => {
  it('the dataset holds what the rules hide', () => {
    const spans = [...dataset.jaeger, ...dataset.zipkin];
    expect(spans.some((s) => s.name === 'hash password')).toBe(true);
    expect(spans.some((s) => s.status.message === 'token expired')).toBe(true);
    expect(spans.some((s) => s.attributes.some((a) => a.key === 'enduser.id' && a.value === 'u-42'))).toBe(true);
    expect(dataset.zipkin.some((s) => s.attributes.some((a) => a.key === 'http.route'))).toBe(true);
  });

  it.each(Object.entries(TRACES))('answers %s without a secret on every API', async (_, id) => {
    const graphql = await gateway.query(
      'query($id: ID!) { trace(id: $id) { spans { name attributes { key value } status { message } events { name } sources } } }',
      { id },
    );
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data.trace.spans.length).toBeGreaterThan(1);
    expectRedacted(JSON.stringify(graphql.data), 'GraphQL');
    for (const path of [`/api/traces/${id}`, `/api/v3/traces/${id}`, `/api/v2/trace/${id}`]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(200);
      expectRedacted(answer.text, path);
    }
  });

  it('keeps the merge: BOTH is one trace from both servers, its route tag redacted in both', async () => {
    const graphql = await gateway.query('query($id: ID!) { trace(id: $id) { spans { attribute(key: "http.route") { value } sources } } }', {
      id: TRACES.BOTH,
    });
    const spans = graphql.data.trace.spans;
    expect(spans.map((s: any) => s.sources)).toEqual(spans.map(() => ['jaeger', 'zipkin']));
    expect(spans[0].attribute).toEqual({ value: '[REDACTED]' });
  });

  it('lists the span name redacted among the operations', async () => {
    const service = dataset.jaeger.find((s) => s.name === 'hash password')!.service;
    const jaeger = JSON.parse((await get(`/api/services/${encodeURIComponent(service)}/operations`)).text).data;
    expect(jaeger).toContain('hash [REDACTED]');
    expect(jaeger).not.toContain('hash password');
  });

  it('refuses a search by a redacted key or value on every API', async () => {
    const graphql = await gateway.query(
      '{ searchTraces(query: { attributes: [{ key: "enduser.id", value: "u-42" }], window: { lookback: "7d" } }) { totalCount } }',
    );
    expect(graphql.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'REDACTED_FILTER' });
    const byOperation = await gateway.query(
      '{ searchTraces(query: { service: "auth", operation: "hash password", window: { lookback: "7d" } }) { totalCount } }',
    );
    expect(byOperation.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'REDACTED_FILTER' });
    const nowUs = Date.now() * 1000;
    const window = `query.start_time_min=${new Date(Date.now() - 86_400_000).toISOString()}&query.start_time_max=${new Date().toISOString()}`;
    const tags = encodeURIComponent('{"enduser.id":"u-42"}');
    for (const path of [
      `/api/traces?service=auth&tags=${tags}&start=${nowUs - 86_400_000_000}&end=${nowUs}`,
      `/api/v3/traces?query.service_name=auth&${window}&query.attributes=${tags}`,
      `/api/v2/traces?serviceName=auth&annotationQuery=${encodeURIComponent('enduser.id=u-42')}`,
    ]) {
      expect((await get(path)).status, path).toBe(400);
    }
  });
});
