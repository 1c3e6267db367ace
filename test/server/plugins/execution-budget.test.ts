/**
 * What a query really produces, through the HTTP server and both executors: a result that outgrows
 * `limits.maxResultValues` or `limits.maxResponseBytes` is answered with that one error alone
 * (RESULT_TOO_LARGE, HTTP 400, no data), and a result that fits either limit exactly is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GraphQLResponse, type TestGateway } from '../../support/gateway.js';

const BIG = 'fc399502bce824169cf1ea00b42069cf';
/** Every span's parent's children's parent's children: 1,000 spans, and 333 children under the root. */
const TWO_HOPS = `{ trace(id: "${BIG}") { spans { parent { children { parent { children { spanId } } } } } } }`;
const SPANS = `{ trace(id: "${BIG}") { traceId spans { spanId name status { code } sources } } }`;

function countValues(value: unknown): number {
  if (Array.isArray(value)) return value.length + value.reduce((n: number, v) => n + countValues(v), 0);
  if (value !== null && typeof value === 'object')
    return Object.keys(value).length + Object.values(value).reduce((n: number, v) => n + countValues(v), 0);
  return 0;
}

async function post(gw: TestGateway, query: string): Promise<{ status: number; text: string; body: GraphQLResponse }> {
  const response = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as GraphQLResponse };
}

describe.each(['jit', 'graphql-js'])('the execution budget (%s executor)', (executor) => {
  const gateways: TestGateway[] = [];
  const start = async (limits: Record<string, number> = {}) => {
    const gw = await startGateway({ server: { executor }, limits });
    gateways.push(gw);
    return gw;
  };
  let defaults: TestGateway;
  beforeAll(async () => {
    defaults = await start();
  });
  afterAll(() => Promise.all(gateways.map((gw) => gw.close())));

  it('answers a result that outgrows maxResultValues with RESULT_TOO_LARGE alone', async () => {
    const { status, body } = await post(defaults, TWO_HOPS);
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [
        { message: expect.stringContaining('maxResultValues'), extensions: { code: 'RESULT_TOO_LARGE', limit: 'maxResultValues', max: 1_000_000 } },
      ],
    });
    // and keeps serving
    expect((await defaults.query(`{ trace(id: "${BIG}") { spanCount } }`)).data).toEqual({ trace: { spanCount: 1_000 } });
  });

  it.each([
    { description: 'a result of exactly maxResultValues values is answered', over: 0, code: undefined },
    { description: 'one value more is refused', over: 1, code: 'RESULT_TOO_LARGE' },
  ])('$description', async ({ over, code }) => {
    const values = countValues((await defaults.query(SPANS)).data);
    // trace; traceId, spans; 1,000 spans × (spanId, name, status, sources; code; one source)
    expect(values).toBe(1 + 2 + 1_000 + 1_000 * (4 + 1 + 1));
    const { body } = await post(await start({ maxResultValues: values - over }), SPANS);
    expect(body.errors?.map((e) => e.extensions?.limit)).toEqual(code ? ['maxResultValues'] : undefined);
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(code ? [code] : undefined);
  });

  it.each([
    { description: 'a response of exactly maxResponseBytes is answered', over: 0, code: undefined },
    { description: 'one byte more is refused', over: 1, code: 'RESULT_TOO_LARGE' },
  ])('$description', async ({ over, code }) => {
    const { text } = await post(defaults, SPANS);
    const bytes = text.trimEnd().length; // Apollo ends the JSON with a newline
    const { status, body } = await post(await start({ maxResponseBytes: bytes - over }), SPANS);
    expect(status).toBe(code ? 400 : 200);
    expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.limit])).toEqual(code ? [[code, 'maxResponseBytes']] : undefined);
  });
});
