/**
 * Jaeger UI's upload, archive and Monitor calls (src/api/jaeger/extras.ts) over HTTP; the real Jaeger
 * comparison is test/integration/api/jaeger-extras-diff.int.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../support/gateway.js';

const UPLOAD = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [
        {
          scope: { name: 'lib' },
          spans: [
            {
              traceId: '0102030405060708090a0b0c0d0e0f10',
              spanId: '0102030405060708',
              name: 'a',
              kind: 2,
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000001000000000',
            },
            {
              traceId: 'ffffffffffffffff0000000000000001',
              spanId: '0102030405060709',
              name: 'b',
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000000500000000',
            },
            {
              traceId: '0102030405060708090a0b0c0d0e0f10',
              spanId: '010203040506070a',
              parentSpanId: '0102030405060708',
              name: 'c',
              startTimeUnixNano: '1700000000100000000',
              endTimeUnixNano: '1700000000200000000',
            },
          ],
        },
      ],
    },
    {
      resource: {},
      scopeSpans: [
        {
          spans: [
            { traceId: 'ffffffffffffffff0000000000000001', spanId: '0102030405060710', name: 'd', startTimeUnixNano: '1', endTimeUnixNano: '2' },
          ],
        },
      ],
    },
  ],
};

describe('Jaeger UI extras', () => {
  let gw: TestGateway;
  let base: string;
  beforeAll(async () => {
    gw = await startGateway({ server: { compat: { jaeger: { prefix: '/j' } } } });
    base = `${new URL(gw.url).origin}/j/api`;
  });
  afterAll(() => gw.close());

  it('POST /api/transform renders an OTLP upload as v1 traces, one per trace id in order, whatever the content type', async () => {
    const response = await fetch(`${base}/transform`, { method: 'POST', body: JSON.stringify(UPLOAD), headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(200);
    const body: any = await response.json();
    expect(body).toMatchObject({ total: 0, limit: 0, offset: 0, errors: null });
    expect(body.data.map((t: any) => [t.traceID, t.spans.map((s: any) => s.operationName)])).toEqual([
      ['0102030405060708090a0b0c0d0e0f10', ['a', 'c']],
      ['ffffffffffffffff0000000000000001', ['b', 'd']],
    ]);
    const [, second] = body.data;
    expect(Object.values(second.processes).map((p: any) => p.serviceName)).toEqual(['svc', 'OTLPResourceNoServiceName']);
    expect(second.spans.every((s: any) => s.warnings === null && !s.tags.some((t: any) => t.key === 'tracegate.backend'))).toBe(true);
    expect(body.data[0].spans[1].references).toEqual([
      { refType: 'CHILD_OF', traceID: '0102030405060708090a0b0c0d0e0f10', spanID: '0102030405060708' },
    ]);
  });

  it('POST /api/transform of a body that is not JSON is Jaeger’s 400 envelope', async () => {
    const response = await fetch(`${base}/transform`, {
      method: 'POST',
      body: '{"resourceSpans": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    const body: any = await response.json();
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([{ code: 400, msg: expect.stringMatching(/^cannot unmarshal OTLP : /) }]);
  });

  it('archive is 500 and the Monitor tab 501, as a Jaeger without those stores answers', async () => {
    const archive = await fetch(`${base}/archive/abc`, { method: 'POST' });
    expect(archive.status).toBe(500);
    expect(((await archive.json()) as any).errors).toEqual([{ code: 500, msg: 'archive span storage was not configured' }]);
    for (const path of ['metrics/calls?service=x', 'metrics/minstep']) {
      const metrics = await fetch(`${base}/${path}`);
      expect(metrics.status).toBe(501);
      expect(((await metrics.json()) as any).errors).toEqual([{ code: 501, msg: 'metrics querying is currently disabled' }]);
    }
  });
});
