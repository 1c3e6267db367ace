/**
 * Jaeger's and Zipkin's backends against a scripted server on 127.0.0.1 whose answers hold a span the
 * reader must skip (an invalid span id): getTraces hands the reason back with the trace it belongs to
 * (backends/backend.ts, BackendTrace.warnings), where it used to be dropped without a word.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendTrace } from '../../src/backends/backend.js';
import { jaegerBackendFactory } from '../../src/backends/jaeger/index.js';
import { zipkinBackendFactory } from '../../src/backends/zipkin/index.js';
import { parseTraceId } from '../../src/model/index.js';

const A = parseTraceId('0af7651916cd43dd8448eb211c80319c');
const B = parseTraceId('00000000000000000000000000000b0b');
const zipkinSpan = (traceId: string, id: string) => ({
  traceId,
  id,
  name: 'get',
  timestamp: 1_700_000_000_000_000,
  duration: 5,
  localEndpoint: { serviceName: 'shop' },
});
const jaegerTrace = (traceID: string, spanIDs: string[]) => ({
  traceID,
  spans: spanIDs.map((spanID) => ({
    traceID,
    spanID,
    operationName: 'get',
    references: [],
    startTime: 1_700_000_000_000_000,
    duration: 5,
    processID: 'p1',
  })),
  processes: { p1: { serviceName: 'shop' } },
  warnings: null,
});

const ZIPKIN_A = [zipkinSpan(A, 'b7ad6b7169203331'), zipkinSpan(A, 'not-hex')];
const BODIES: Record<string, unknown> = {
  '/api/v2/traceMany': [ZIPKIN_A, [zipkinSpan('b0b', '00000000000000b1')]],
  [`/api/v2/trace/${A}`]: ZIPKIN_A,
  '/api/traces': { data: [jaegerTrace(A, ['b7ad6b7169203331', 'zz']), jaegerTrace(B, ['00000000000000b1'])], errors: null },
  [`/api/v3/traces/${A}`]: {
    result: {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: A,
                  spanId: 'b7ad6b7169203331',
                  name: 'get',
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000000005000',
                },
                { traceId: A, spanId: '', name: 'lost' },
              ],
            },
          ],
        },
      ],
    },
  },
};

let server: Server;
let url: string;
const deps = { logger: { info() {}, warn() {}, error() {} } };
const call = () => ({ signal: AbortSignal.timeout(5_000) });

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = BODIES[new URL(req.url ?? '/', 'http://x').pathname];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const http = { headers: {}, tls: { insecureSkipVerify: false }, maxConcurrency: 2, timeoutMs: 5_000, enabled: true };

describe('getTraces hands back the spans a reader skipped, with their trace', () => {
  it.each([
    { description: 'Zipkin, traceMany', ids: [A, B], warning: "skipped span 'get': id 'not-hex' is not 1–16 hex digits" },
    { description: 'Zipkin, one id', ids: [A], warning: "skipped span 'get': id 'not-hex' is not 1–16 hex digits" },
  ])('$description', async ({ ids, warning }) => {
    const backend = zipkinBackendFactory.create(zipkinBackendFactory.configSchema.parse({ ...http, url, kind: 'zipkin', name: 'zipkin' }), deps);
    const answers = (await backend.getTraces(ids, call())) as BackendTrace[];
    expect(answers[0]).toMatchObject({ warnings: [warning] });
    expect(answers[0]!.spans).toHaveLength(1);
    if (ids.length > 1) expect(answers[1]).toMatchObject({ warnings: [] });
    await backend.close();
  });

  it.each([
    { description: 'Jaeger v1 multi-get', api: 'v1' as const, ids: [A, B], warning: "skipped span 'get': spanID 'zz' is not 1–16 hex digits" },
    {
      description: 'Jaeger api_v3',
      api: 'v3' as const,
      ids: [A],
      warning: "skipped span 'lost': spanId '' is not a valid id (expected hex or base64)",
    },
  ])('$description', async ({ api, ids, warning }) => {
    const backend = jaegerBackendFactory.create(jaegerBackendFactory.configSchema.parse({ ...http, url, kind: 'jaeger', name: 'jaeger', api }), deps);
    const answers = (await backend.getTraces(ids, call())) as BackendTrace[];
    expect(answers[0]).toMatchObject({ warnings: [warning] });
    expect(answers[0]!.spans).toHaveLength(1);
    if (ids.length > 1) expect(answers[1]).toMatchObject({ warnings: [] });
    await backend.close();
  });
});
