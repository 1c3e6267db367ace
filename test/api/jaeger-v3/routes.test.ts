/**
 * Jaeger's api_v3 (src/api/jaeger-v3/), end to end over HTTP against the demo memory backend: each
 * route's body, Jaeger's parameter forms and error texts, the limits, the mount prefix, and a partial
 * answer (X-Tracegate-Partial) when a backend fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../../src/errors.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { PARTIAL_TRACE_ID, startPartialGateway } from '../../support/partial-gateway.js';
import { ScriptedBackend } from '../../support/scripted-backend.js';

interface Reply {
  status: number;
  body: any;
  partial: string | null;
  type: string | null;
}

async function get(gw: TestGateway, path: string): Promise<Reply> {
  const response = await fetch(new URL(path, gw.url));
  return {
    status: response.status,
    body: await response.json(),
    partial: response.headers.get('x-tracegate-partial'),
    type: response.headers.get('content-type'),
  };
}

const HOUR_MS = 3_600_000;
/** A search window of the last `hours` hours in RFC 3339, as api_v3 takes it. */
function window(hours = 48): string {
  const now = Date.now();
  return `query.start_time_min=${new Date(now - hours * HOUR_MS).toISOString()}&query.start_time_max=${new Date(now + 60_000).toISOString()}`;
}

function spansOf(body: any): any[] {
  return body.result.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
}

const attribute = (span: any, key: string) => span.attributes?.find((a: any) => a.key === key)?.value;

describe('Jaeger api_v3 over the demo backend', () => {
  let gw: TestGateway;
  let service: string;
  let traceId: string;
  beforeAll(async () => {
    gw = await startGateway();
    service = (await get(gw, '/api/v3/services')).body.services[0];
    traceId = spansOf((await get(gw, `/api/v3/traces?query.service_name=${encodeURIComponent(service)}&${window()}&query.num_traces=5`)).body)[0]
      .traceId;
  });
  afterAll(() => gw.close());

  it('GET /api/v3/services answers {services}', async () => {
    const { status, body, partial, type } = await get(gw, '/api/v3/services');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    expect(Object.keys(body)).toEqual(['services']);
    expect(body.services.length).toBeGreaterThan(1);
    expect(partial).toBeNull();
  });

  it('GET /api/v3/operations answers {name, spanKind}, filters by span_kind, and [] for no service or an unknown kind', async () => {
    const all = await get(gw, `/api/v3/operations?service=${encodeURIComponent(service)}`);
    expect(all.status).toBe(200);
    expect(all.body.operations.length).toBeGreaterThan(0);
    for (const op of all.body.operations)
      expect(op).toEqual({ name: expect.any(String), spanKind: expect.stringMatching(/^(server|client|producer|consumer|internal)$/) });
    const servers = await get(gw, `/api/v3/operations?service=${encodeURIComponent(service)}&span_kind=server`);
    expect(servers.body.operations.length).toBeGreaterThan(0);
    expect(servers.body.operations.every((o: any) => o.spanKind === 'server')).toBe(true);
    expect(servers.body.operations.length).toBeLessThanOrEqual(all.body.operations.length);
    expect(await get(gw, `/api/v3/operations?service=${encodeURIComponent(service)}&span_kind=sideways`)).toMatchObject({
      status: 200,
      body: { operations: [] },
    });
    expect(await get(gw, '/api/v3/operations')).toMatchObject({ status: 200, body: { operations: [] } });
    expect(await get(gw, '/api/v3/operations?service=no-such-service')).toMatchObject({ status: 200, body: { operations: [] } });
  });

  it('GET /api/v3/traces/{id} answers {result: TracesData} with hex ids, ns strings and the backend attribute', async () => {
    const { status, body } = await get(gw, `/api/v3/traces/${traceId}`);
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['result']);
    const [resource] = body.result.resourceSpans;
    expect(resource.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: expect.any(String) } });
    const spans = spansOf(body);
    expect(spans.length).toBeGreaterThan(0);
    for (const span of spans) {
      expect(span).toMatchObject({
        traceId,
        spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
        startTimeUnixNano: expect.stringMatching(/^\d+000$/),
        endTimeUnixNano: expect.stringMatching(/^\d+000$/),
        status: expect.any(Object),
      });
      expect(attribute(span, 'tracegate.backend')).toEqual({ stringValue: 'demo' });
    }
    // The id's other spellings (upper case, leading zeros left out) find the same trace; so do the optional parameters.
    expect(spansOf((await get(gw, `/api/v3/traces/${traceId.toUpperCase()}`)).body)).toHaveLength(spans.length);
    const withParams = await get(gw, `/api/v3/traces/${traceId}?raw_traces=true&start_time=2020-01-01T00:00:00Z&end_time=2099-01-01T00:00:00.5Z`);
    expect(spansOf(withParams.body)).toHaveLength(spans.length);
  });

  it.each([
    { description: 'an unknown id', path: '/api/v3/traces/0123456789abcdef0123456789abcdef', status: 404, message: 'No traces found' },
    { description: 'the all-zero id (Jaeger looks it up)', path: '/api/v3/traces/0', status: 404, message: 'No traces found' },
    {
      description: 'a malformed id',
      path: '/api/v3/traces/zz',
      status: 400,
      message: 'malformed parameter trace_id: strconv.ParseUint: parsing "zz": invalid syntax',
    },
    {
      description: 'an id longer than 32 digits',
      path: `/api/v3/traces/${'1'.repeat(33)}`,
      status: 400,
      message: `malformed parameter trace_id: TraceID cannot be longer than 32 hex characters: ${'1'.repeat(33)}`,
    },
    {
      description: 'a bad raw_traces',
      path: '/api/v3/traces/abc?raw_traces=maybe',
      status: 400,
      message: 'malformed parameter raw_traces: strconv.ParseBool: parsing "maybe": invalid syntax',
    },
    {
      description: 'a bad start_time',
      path: '/api/v3/traces/abc?start_time=yesterday',
      status: 400,
      message:
        'malformed parameter start_time: parsing time "yesterday" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "yesterday" as "2006"',
    },
  ])('GET /api/v3/traces/{id}: $description → $status', async ({ path, status, message }) => {
    const reply = await get(gw, path);
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ error: { httpCode: status, message } });
  });

  it('searches by service, operation, durations, attributes and depth, every span matching', async () => {
    const base = `/api/v3/traces?query.service_name=${encodeURIComponent(service)}&${window()}`;
    const all = await get(gw, `${base}&query.num_traces=1000`);
    expect(all.status).toBe(200);
    const traceIds = new Set(spansOf(all.body).map((s: any) => s.traceId));
    expect(traceIds.size).toBeGreaterThan(1);
    const one = await get(gw, `${base}&query.num_traces=1`);
    expect(new Set(spansOf(one.body).map((s: any) => s.traceId)).size).toBe(1);
    // Without a depth Tracegate searches 100 deep (Jaeger's memory store would refuse); camelCase names are read too.
    const hundred = new Set(spansOf((await get(gw, `${base}&query.num_traces=100`)).body).map((s: any) => s.traceId));
    expect(hundred.size).toBe(Math.min(100, traceIds.size));
    expect(new Set(spansOf((await get(gw, base.replace('service_name', 'serviceName'))).body).map((s: any) => s.traceId))).toEqual(hundred);

    const own = all.body.result.resourceSpans.find((r: any) =>
      r.resource.attributes.some((kv: any) => kv.key === 'service.name' && kv.value.stringValue === service),
    );
    const op = own.scopeSpans[0].spans[0].name;
    const byOp = await get(gw, `${base}&query.num_traces=1000&query.operation_name=${encodeURIComponent(op)}`);
    expect(byOp.status).toBe(200);
    const opTraces = new Set(spansOf(byOp.body).map((s: any) => s.traceId));
    expect(opTraces.size).toBeGreaterThan(0);
    for (const id of opTraces) expect(traceIds.has(id)).toBe(true);

    const slow = await get(gw, `${base}&query.num_traces=1000&query.duration_min=1h`);
    expect(slow).toMatchObject({ status: 404, body: { error: { httpCode: 404, message: 'No traces found' } } });
    const fast = await get(gw, `${base}&query.num_traces=1000&query.duration_min=1ns&query.duration_max=1.5h`);
    expect(new Set(spansOf(fast.body).map((s: any) => s.traceId))).toEqual(traceIds);

    const withAttribute = await get(
      gw,
      `${base}&query.num_traces=1000&query.attributes=${encodeURIComponent(JSON.stringify({ 'no.such.key': 'x' }))}`,
    );
    expect(withAttribute.status).toBe(404);
  });

  it('answers 404 without a backend call for a search that can match nothing', async () => {
    const base = `/api/v3/traces?query.service_name=${encodeURIComponent(service)}&query.num_traces=10`;
    const reversed = `query.start_time_min=2026-01-02T00:00:00Z&query.start_time_max=2026-01-01T00:00:00Z`;
    expect((await get(gw, `${base}&${reversed}`)).status).toBe(404);
    expect((await get(gw, `${base}&${window()}&query.duration_min=2s&query.duration_max=1s`)).status).toBe(404);
    expect((await get(gw, `${base}&${window()}&query.duration_max=-1s`)).status).toBe(404);
  });

  it.each([
    { description: 'no window', query: 'query.service_name=x', message: 'query.start_time_min and query.start_time_max are required' },
    {
      description: 'a time without a zone',
      query: 'query.start_time_min=2026-11-30T10:00:00&query.start_time_max=2026-11-30T11:00:00Z',
      message:
        'malformed parameter query.start_time_min: parsing time "2026-11-30T10:00:00" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "" as "Z07:00"',
    },
    {
      description: 'a month out of range',
      query: 'query.start_time_min=2026-11-30T10:00:00Z&query.start_time_max=2026-13-30T11:00:00Z',
      message: 'malformed parameter query.start_time_max: parsing time "2026-13-30T11:00:00Z": month out of range',
    },
    {
      description: 'a bad duration',
      query: `${window()}&query.duration_min=bad`,
      message: 'malformed parameter query.duration_min: time: invalid duration "bad"',
    },
    {
      description: 'a duration without unit',
      query: `${window()}&query.duration_max=1`,
      message: 'malformed parameter query.duration_max: time: missing unit in duration "1"',
    },
    {
      description: 'a bad depth',
      query: `${window()}&query.num_traces=x`,
      message: 'malformed parameter query.num_traces: strconv.Atoi: parsing "x": invalid syntax',
    },
    {
      description: 'a depth beyond limits.maxSearchLimit',
      query: `${window()}&query.num_traces=1001`,
      message: 'query.num_traces must be between 1 and 1000, got 1001',
    },
    { description: 'a depth of 0', query: `${window()}&query.num_traces=0`, message: 'query.num_traces must be between 1 and 1000, got 0' },
    { description: 'a window beyond limits.maxWindowHours', query: window(24 * 40), message: 'the search window may span at most 744 hours' },
    {
      description: 'attributes that are not JSON',
      query: `${window()}&query.attributes=%7Bx`,
      message: 'malformed parameter query.attributes: not a JSON object of strings',
    },
    {
      description: 'a bad raw_traces',
      query: `${window()}&query.raw_traces=2`,
      message: 'malformed parameter query.raw_traces: strconv.ParseBool: parsing "2": invalid syntax',
    },
  ])('GET /api/v3/traces: 400 for $description', async ({ query, message }) => {
    const reply = await get(gw, `/api/v3/traces?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: { httpCode: 400, message } });
  });
});

describe('Jaeger api_v3 limits', () => {
  it('refuses an answer longer than limits.maxResponseBytes with 400 in Jaeger’s error shape', async () => {
    const gw = await startGateway({ limits: { maxResponseBytes: 2_000 } });
    try {
      const service = (await get(gw, '/api/v3/services')).body.services[0];
      const reply = await get(gw, `/api/v3/traces?query.service_name=${encodeURIComponent(service)}&${window()}&query.num_traces=50`);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        error: { httpCode: 400, message: expect.stringMatching(/^the response would be longer than limits\.maxResponseBytes \(2,000 bytes\)/) },
      });
    } finally {
      await gw.close();
    }
  });
});

describe('Jaeger api_v3 under a mount prefix', () => {
  it('serves /jaeger/api/v3/… and not /api/v3/…', async () => {
    const gw = await startGateway({ server: { compat: { jaeger: { enabled: true, prefix: '/jaeger' } } } });
    try {
      expect((await get(gw, '/jaeger/api/v3/services')).body.services.length).toBeGreaterThan(0);
      expect((await fetch(new URL('/api/v3/services', gw.url))).status).toBe(404);
    } finally {
      await gw.close();
    }
  });
});

describe('Jaeger api_v3 with a failing backend', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startPartialGateway();
  });
  afterAll(() => gw.close());

  it('answers what the other backend holds and names the failed one in X-Tracegate-Partial', async () => {
    const services = await get(gw, '/api/v3/services');
    expect(services).toMatchObject({ status: 200, body: { services: ['web'] }, partial: 'down:BACKEND_UNAVAILABLE' });
    const trace = await get(gw, `/api/v3/traces/${PARTIAL_TRACE_ID}`);
    expect(trace.status).toBe(200);
    expect(trace.partial).toBe('down:BACKEND_UNAVAILABLE');
    const spans = spansOf(trace.body);
    expect(spans).toHaveLength(1);
    expect(attribute(spans[0], 'tracegate.backend')).toEqual({ stringValue: 'good' });
    const missing = await get(gw, '/api/v3/traces/123');
    expect(missing).toMatchObject({ status: 404, partial: 'down:BACKEND_UNAVAILABLE' });
  });

  it('answers 500 in Jaeger’s error shape when every backend failed', async () => {
    const only = await startGateway({ backends: [{ name: 'down', kind: 'memory' }] }, [
      new ScriptedBackend('down', { fail: new BackendError('BACKEND_UNAVAILABLE', 'down', 'refused') }),
    ]);
    try {
      for (const path of ['/api/v3/services', '/api/v3/operations?service=web', '/api/v3/traces/abc', `/api/v3/traces?${window()}`]) {
        const reply = await get(only, path);
        expect(reply.status, path).toBe(500);
        expect(reply.body, path).toEqual({ error: { httpCode: 500, message: expect.stringMatching(/^backend 'down' FAILED: BACKEND_UNAVAILABLE/) } });
        expect(reply.partial, path).toBe('down:BACKEND_UNAVAILABLE');
      }
    } finally {
      await only.close();
    }
  });
});
