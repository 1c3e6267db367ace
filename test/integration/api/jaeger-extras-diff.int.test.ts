/**
 * Jaeger UI's other v1 calls (src/api/jaeger/extras.ts) against the real Jaeger as the oracle: the same
 * POST /api/transform upload, POST /api/archive/{id} and GET /api/metrics/* to the harness's Jaeger
 * and to Tracegate answer the same status and the same JSON, byte for byte after parsing. The uploads
 * are every public OTLP fixture and the Jaeger part of the integration dataset as OTLP/JSON (the Zipkin
 * part holds shared spans, which OTLP cannot carry). No normalisation: the
 * transform runs no adjusters and calls no backend on either side.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toOtlpJson } from '../../support/dataset/to-otlp.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { BACKEND_CONFIG, loadedDataset } from '../../support/real-backends.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/public/otlp');

async function call(base: string, method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, json: await response.json() };
}

describe('Jaeger UI extras: Tracegate answers as the real Jaeger does', () => {
  let gw: TestGateway;
  let tracegate: string;
  const jaeger = ENDPOINTS.jaeger.query;
  beforeAll(async () => {
    gw = await startGateway({ backends: [BACKEND_CONFIG.jaeger] });
    tracegate = new URL(gw.url).origin;
  });
  afterAll(() => gw.close());

  const uploads: Array<[string, () => string]> = [
    ...readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'))
      .map((f): [string, () => string] => {
        // api_v3's answer wraps TracesData in `result`; the upload is the TracesData itself.
        const doc = JSON.parse(readFileSync(join(FIXTURES, f), 'utf8'));
        return [f, () => JSON.stringify(doc.result ?? doc)];
      }),
    ['the whole dataset (Jaeger part)', () => JSON.stringify(toOtlpJson(loadedDataset().jaeger))],
    ['an empty document', () => '{}'],
  ];

  it.each(uploads)('POST /api/transform of %s', async (_name, body) => {
    const text = body();
    const [want, got] = await Promise.all([call(jaeger, 'POST', '/api/transform', text), call(tracegate, 'POST', '/api/transform', text)]);
    expect(want.status).toBe(200);
    expect(got).toEqual(want);
  });

  it('POST /api/transform of a body that is not JSON: the same 400 envelope', async () => {
    const [want, got] = await Promise.all([call(jaeger, 'POST', '/api/transform', 'nope'), call(tracegate, 'POST', '/api/transform', 'nope')]);
    expect(got.status).toBe(want.status);
    const shape = (r: typeof want) => ({
      ...(r.json as object),
      errors: (r.json as any).errors.map((e: any) => ({ code: e.code, msg: e.msg.split(':')[0] })),
    });
    // The parser's own words after "cannot unmarshal OTLP :" differ (Go's jsoniter vs V8).
    expect(shape(got)).toEqual(shape(want));
  });

  it.each([
    ['POST', '/api/archive/4bf92f3577b34da6a3ce929d0e0e4736'],
    ['GET', '/api/metrics/calls?service=frontend'],
    ['GET', '/api/metrics/latencies?service=frontend&quantile=0.95'],
    ['GET', '/api/metrics/errors?service=frontend'],
    ['GET', '/api/metrics/minstep'],
  ] as const)('%s %s: the same status and envelope', async (method, path) => {
    const [want, got] = await Promise.all([call(jaeger, method, path), call(tracegate, method, path)]);
    expect(want.status).toBeGreaterThanOrEqual(500);
    expect(got).toEqual(want);
  });
});
