/**
 * The HTTP client every Jaeger and Zipkin call goes through, against a scripted server on 127.0.0.1
 * that answers fixed bodies: integers beyond 2^53 must reach the format readers with all their digits.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectShape, HttpClient } from '../../../src/backends/http/http-client.js';
import { jaegerResponseToTraces } from '../../../src/formats/jaeger-json/to-model.js';
import type { JaegerTracesResponse } from '../../../src/formats/jaeger-json/wire.js';
import { mapOtlpTraces } from '../../../src/formats/otlp-json/to-model.js';
import type { OtlpTracesData } from '../../../src/formats/otlp-json/wire.js';
import { mapZipkinSpans } from '../../../src/formats/zipkin-v2/to-model.js';
import type { ZipkinSpan } from '../../../src/formats/zipkin-v2/wire.js';
import { BackendError } from '../../../src/errors.js';
import { expectJaegerInt64Spans, expectOtlpInt64Spans, expectZipkinInt64Spans, readInt64Fixture } from '../int64-expectations.js';

/** Bodies by path, as Jaeger and Zipkin answer them. */
const BODIES: Record<string, string> = {
  '/api/traces': readInt64Fixture('jaeger-v1-int64-tags-beyond-2-53'),
  // api_v3 wraps the OTLP document in {"result": …}.
  '/api/v3/traces/00000000000000000000000000000a64': `{"result":${readInt64Fixture('otlp-int-values-beyond-2-53')}}`,
  '/api/v2/trace/00000000000000000000000000000a64': readInt64Fixture('zipkin-v2-number-tags-beyond-2-53'),
  '/api/plain': '{"traceID":"be0c0000000000000000000000002710","startTime":1795361120375502,"duration":-12,"ratio":0.1,"ids":[1,"0000000000000001"]}',
};

let server: Server;
let client: HttpClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = BODIES[new URL(req.url ?? '/', 'http://x').pathname];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new HttpClient('http-test', { url, headers: {}, tls: { insecureSkipVerify: false }, maxConcurrency: 2 });
});
afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = async (path: string): Promise<unknown> => (await client.getJson(path, {}, { signal: new AbortController().signal })).body;

describe('HttpClient keeps integers beyond 2^53 exact', () => {
  it('in a Jaeger v1 answer: int64 tags, log fields and process tags, down to the canonical INT text', async () => {
    const { traces } = jaegerResponseToTraces((await get('/api/traces')) as JaegerTracesResponse, 'jaeger');
    expectJaegerInt64Spans(traces.flatMap((t) => t.spans));
  });

  it('in a Jaeger api_v3 (OTLP/JSON) answer: intValue numbers, nested in arrays and maps, and ns times', async () => {
    const body = (await get('/api/v3/traces/00000000000000000000000000000a64')) as { result: OtlpTracesData };
    expectOtlpInt64Spans(mapOtlpTraces(body.result, 'jaeger').spans);
  });

  it('in a Zipkin v2 answer: number tags keep their digits as text, huge timestamps become warnings', async () => {
    expectZipkinInt64Spans(mapZipkinSpans((await get('/api/v2/trace/00000000000000000000000000000a64')) as ZipkinSpan[], 'zipkin').spans);
  });

  it('as bigints in the parsed body, leaving every other value as JSON.parse does', async () => {
    const body = (await get('/api/v2/trace/00000000000000000000000000000a64')) as Array<{ tags?: Record<string, unknown> }>;
    expect(body[0]!.tags).toEqual({ 'order.id': '9007199254740993', 'lax.number': 9007199254740993n, 'lax.min': -9223372036854775808n });
    expect(await get('/api/plain')).toEqual(JSON.parse(BODIES['/api/plain']!));
  });

  it('and a body holding such an integer still fails a shape check as BACKEND_BAD_RESPONSE, showing its digits', () => {
    let error: unknown;
    try {
      expectShape(false, 'http-test', 'GET /api/traces', { data: 9223372036854775807n });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe('BACKEND_BAD_RESPONSE');
    expect((error as BackendError).message).toContain('{"data":9223372036854775807}');
  });
});
