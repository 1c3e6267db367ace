/**
 * The Zipkin API v2 end to end over HTTP: the demo memory backend for the shapes and parameters, and
 * scripted backends for a partial answer (a failed backend is named in X-Tracegate-Partial while the
 * body keeps what the other backends returned).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { startPartialGateway } from '../../support/partial-gateway.js';

const get = async (gw: TestGateway, path: string) => {
  const response = await fetch(gw.url.replace(/\/graphql$/, '') + path);
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: response.status, headers: response.headers, text, body: isJson ? JSON.parse(text) : undefined };
};

describe('Zipkin API v2 on the demo data', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  it('lists services, span names and autocomplete keys as sorted string arrays', async () => {
    const services = await get(gw, '/api/v2/services');
    expect(services.status).toBe(200);
    expect(services.body.length).toBeGreaterThan(1);
    expect(services.body).toEqual([...services.body].sort());
    const spans = await get(gw, `/api/v2/spans?serviceName=${encodeURIComponent(services.body[0])}`);
    expect(spans.status).toBe(200);
    expect(spans.body.length).toBeGreaterThan(0);
    expect(spans.body.every((n: unknown) => typeof n === 'string')).toBe(true);
    const keys = await get(gw, '/api/v2/autocompleteKeys');
    expect(keys.status).toBe(200);
    expect(Array.isArray(keys.body)).toBe(true);
    expect((await get(gw, '/api/v2/remoteServices?serviceName=x')).body).toEqual([]);
    expect((await get(gw, '/api/v2/remoteServices?serviceName=')).body).toEqual([]);
    // The demo's clients name their peer (peer.service): remote services, sorted, each once.
    const remote = await Promise.all(services.body.map((s: string) => get(gw, `/api/v2/remoteServices?serviceName=${encodeURIComponent(s)}`)));
    const names = remote.flatMap((r) => r.body);
    expect(names).toContain('postgres');
    for (const r of remote) expect(r.body).toEqual([...new Set(r.body)].sort());
  });

  it('searches with Zipkin defaults (limit 10, lookback one day) and answers arrays of Zipkin spans', async () => {
    const traces = await get(gw, '/api/v2/traces');
    expect(traces.status).toBe(200);
    expect(traces.headers.get('x-tracegate-partial')).toBeNull();
    expect(traces.body).toHaveLength(10);
    for (const trace of traces.body) {
      expect(trace.length).toBeGreaterThan(0);
      expect(new Set(trace.map((s: any) => s.traceId)).size).toBe(1);
      for (const span of trace) {
        expect(span.id).toMatch(/^[0-9a-f]{16}$/);
        expect(span.traceId).toMatch(/^[0-9a-f]{16}([0-9a-f]{16})?$/);
        expect(span.tags['tracegate.backend']).toBe('demo');
        expect(typeof span.timestamp).toBe('number');
      }
    }
    const limited = await get(gw, '/api/v2/traces?limit=3&lookback=7200000');
    expect(limited.body).toHaveLength(3);
  });

  it('gets one trace, many traces, and 404 for an unknown trace', async () => {
    const [a, b] = (await get(gw, '/api/v2/traces?limit=2')).body;
    const one = await get(gw, `/api/v2/trace/${a[0].traceId}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(a);
    const many = await get(gw, `/api/v2/traceMany?traceIds=${a[0].traceId},${b[0].traceId}`);
    expect(many.status).toBe(200);
    expect(many.body).toEqual([a, b]);
    const missing = await get(gw, '/api/v2/trace/00000000000000000000000000abcdef');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('0000000000abcdef not found');
  });

  it('answers dependency links in Zipkin form', async () => {
    const links = await get(gw, `/api/v2/dependencies?endTs=${Date.now()}`);
    expect(links.status).toBe(200);
    for (const link of links.body) {
      expect(typeof link.parent).toBe('string');
      expect(typeof link.child).toBe('string');
      expect(link.callCount).toBeGreaterThan(0);
    }
  });

  it.each([
    ['/api/v2/trace/zz12', /zz12/],
    ['/api/v2/traces?limit=0', /^limit <= 0$/],
    ['/api/v2/traces?limit=100000', /limit must be between 1 and/],
    ['/api/v2/traces?limit=abc', /^For input string: "abc"$/],
    ['/api/v2/traces?limit=', /^Cannot set null to primitive type parameter: limit$/],
    ['/api/v2/traces?minDuration=5&maxDuration=2', /^maxDuration < minDuration$/],
    ['/api/v2/traces?maxDuration=2', /^maxDuration is only valid with minDuration$/],
    ['/api/v2/traces?endTs=0', /^endTs <= 0$/],
    ['/api/v2/traces?lookback=999999999999', /lookback may be at most/],
    ['/api/v2/traces?annotationQuery=cache.miss', /key=value/],
    ['/api/v2/traces?remoteServiceName=db', /remoteServiceName is not supported/],
    ['/api/v2/traceMany?traceIds=', /traceIds parameter is empty/],
    ['/api/v2/traceMany?traceIds=abc', /Use \/api\/v2\/trace\/\{traceId\} endpoint/],
    ['/api/v2/traceMany?traceIds=abc,0abc', /redundant traceId: 0abc/],
    ['/api/v2/trace/ABC', /^ABC should be lower-hex encoded with no prefix$/],
    ['/api/v2/traceMany?traceIds=abc,def,', /^traceId is empty$/],
    ['/api/v2/spans', /^Mandatory parameter\/header\/attribute is missing: serviceName$/],
    ['/api/v2/dependencies', /^Mandatory parameter\/header\/attribute is missing: endTs$/],
    ['/api/v2/dependencies?endTs=', /^Cannot set null to primitive type parameter: endTs$/],
    ['/api/v2/autocompleteValues', /^Mandatory parameter\/header\/attribute is missing: key$/],
    ['/api/v2/autocompleteValues?key=', /^key was empty$/],
  ])('answers 400 with a plain-text message for %s', async (path, message) => {
    const response = await get(gw, path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.text).toMatch(message);
  });
});

describe('Zipkin API v2 with a failing backend', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startPartialGateway();
  });
  afterAll(() => gw.close());

  it('answers what the other backends hold and names the failed one in X-Tracegate-Partial', async () => {
    const trace = await get(gw, '/api/v2/trace/abc');
    expect(trace.status).toBe(200);
    expect(trace.headers.get('x-tracegate-partial')).toBe('down:BACKEND_UNAVAILABLE');
    expect(trace.body).toEqual([
      expect.objectContaining({
        traceId: '0000000000000abc',
        id: '000000000000000a',
        localEndpoint: { serviceName: 'web' },
        tags: { 'tracegate.backend': 'good' },
      }),
    ]);
    const services = await get(gw, '/api/v2/services');
    expect(services.body).toEqual(['web']);
    expect(services.headers.get('x-tracegate-partial')).toBe('down:BACKEND_UNAVAILABLE');
  });
});

describe('Zipkin API v2 with a window limit shorter than a day', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ limits: { maxWindowHours: 12 } });
  });
  afterAll(() => gw.close());

  it('looks back the longest window allowed when no lookback is given, and refuses a longer one', async () => {
    expect((await get(gw, '/api/v2/traces')).status).toBe(200);
    expect((await get(gw, `/api/v2/dependencies?endTs=${Date.now()}`)).status).toBe(200);
    const long = await get(gw, `/api/v2/traces?lookback=${13 * 3_600_000}`);
    expect(long.status).toBe(400);
    expect(long.text).toBe(`lookback may be at most ${12 * 3_600_000} ms (12 hours), got ${13 * 3_600_000}`);
  });
});
