/**
 * Jaeger's query API v1 (src/api/jaeger/), end to end over HTTP against the demo memory backend:
 * each endpoint's envelope and statuses, Jaeger's parameter forms, and a partial answer when a
 * backend fails (scripted, as test/server/errors.test.ts does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../../src/errors.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { startPartialGateway } from '../../support/partial-gateway.js';
import { ScriptedBackend } from '../../support/scripted-backend.js';

async function get(gw: TestGateway, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL(path, gw.url));
  return { status: response.status, body: await response.json() };
}

describe('Jaeger API v1 over the demo backend', () => {
  let gw: TestGateway;
  let service: string;
  let traceId: string;
  beforeAll(async () => {
    gw = await startGateway();
    service = (await get(gw, '/api/services')).body.data[0];
    traceId = (await get(gw, `/api/traces?service=${encodeURIComponent(service)}&lookback=48h&limit=5`)).body.data[0].traceID;
  });
  afterAll(() => gw.close());

  it('GET /api/services answers the envelope with total', async () => {
    const { status, body } = await get(gw, '/api/services');
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: body.data.length, limit: 0, offset: 0, errors: null });
    expect(body.data.length).toBeGreaterThan(1);
    expect([...body.data].sort()).toEqual(body.data);
  });

  it('GET /api/services/:service/operations answers names; /api/operations names and kinds', async () => {
    const names = await get(gw, `/api/services/${encodeURIComponent(service)}/operations`);
    expect(names.status).toBe(200);
    expect(names.body.data.length).toBeGreaterThan(0);
    expect(typeof names.body.data[0]).toBe('string');
    const ops = await get(gw, `/api/operations?service=${encodeURIComponent(service)}`);
    expect(ops.body.data[0]).toEqual({ name: expect.any(String), spanKind: expect.stringMatching(/^(server|client|producer|consumer|internal|)$/) });
    const servers = await get(gw, `/api/operations?service=${encodeURIComponent(service)}&spanKind=server`);
    expect(servers.status).toBe(200);
    expect(servers.body.data.every((o: any) => o.spanKind === 'server')).toBe(true);
    expect((await get(gw, '/api/operations')).status).toBe(400);
    // Jaeger matches the kind text exactly: other text matches no operation (200, []), not a 400.
    const badKind = await get(gw, `/api/operations?service=${encodeURIComponent(service)}&spanKind=SERVER`);
    expect(badKind.status).toBe(200);
    expect(badKind.body.data).toEqual([]);
  });

  it('GET /api/traces/:id answers one trace in Jaeger’s shape, with the backend tag', async () => {
    const { status, body } = await get(gw, `/api/traces/${traceId}`);
    expect(status).toBe(200);
    expect(body.errors).toBeNull();
    const [trace] = body.data;
    expect(trace.traceID).toBe(traceId);
    expect(Object.keys(trace.processes)[0]).toBe('p1');
    const span = trace.spans[0];
    expect(span).toMatchObject({
      traceID: traceId,
      spanID: expect.stringMatching(/^[0-9a-f]{16}$/),
      references: expect.any(Array),
      logs: expect.any(Array),
    });
    expect(trace.processes[span.processID].serviceName).toEqual(expect.any(String));
    expect(span.tags).toContainEqual({ key: 'tracegate.backend', type: 'string', value: 'demo' });
    const raw = await get(gw, `/api/traces/${traceId}?raw=true`);
    expect(raw.status).toBe(200);
    expect(raw.body.data[0].spans.length).toBe(trace.spans.length);
  });

  it('answers 404 for an unknown trace and 400 for a bad id or a bad raw', async () => {
    const missing = await get(gw, '/api/traces/00000000000000000000000000abcdef');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] });
    const bad = await get(gw, '/api/traces/not-an-id!');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe(400);
    expect((await get(gw, `/api/traces/${traceId}?raw=maybe`)).status).toBe(400);
  });

  it('multi-gets with repeated traceID: found traces in data, each missing id in errors, HTTP 200', async () => {
    const { status, body } = await get(gw, `/api/traces?traceID=${traceId}&traceID=abcdef`);
    expect(status).toBe(200);
    expect(body.data.map((t: any) => t.traceID)).toEqual([traceId]);
    expect(body.errors).toEqual([{ msg: 'trace not found', traceID: '0000000000abcdef' }]);
  });

  it('searches with Jaeger’s parameter forms: duration strings, µs start/end, tags JSON, limit', async () => {
    const q = (extra: string) => get(gw, `/api/traces?service=${encodeURIComponent(service)}&${extra}`);
    const all = await q('lookback=48h&limit=1000');
    expect(all.status).toBe(200);
    expect(all.body.data.length).toBeGreaterThan(1);
    expect((await q('lookback=48h&limit=2')).body.data).toHaveLength(2);
    // µs bounds around the found traces give the same traces; a window before them gives none.
    const starts = all.body.data.flatMap((t: any) => t.spans.map((s: any) => s.startTime));
    const startUs = Math.min(...starts) - 1;
    const endUs = Math.max(...starts) + 1;
    expect((await q(`start=${startUs}&end=${endUs}&limit=1000`)).body.data.length).toBe(all.body.data.length);
    // Jaeger UI and Grafana send `lookback=custom` beside start and end; it is ignored then.
    expect((await q(`start=${startUs}&end=${endUs}&lookback=custom&limit=1000`)).body.data.length).toBe(all.body.data.length);
    expect((await q(`start=${startUs - 3_600_000_000}&end=${startUs - 1_800_000_000}`)).body.data).toEqual([]);
    // Jaeger's server ignores lookback (its UI turns it into start and end): any text is accepted.
    expect((await q('lookback=1s&limit=1000')).body.data.length).toBe(all.body.data.length);
    expect((await q('lookback=custom')).status).toBe(200);
    // start at or after end finds nothing, as Jaeger answers.
    expect((await q(`start=${endUs}&end=${startUs}`)).body).toMatchObject({ data: [], errors: null });
    // Durations: every trace has a span of at least minDuration.
    const long = await q('lookback=48h&limit=1000&minDuration=1.5ms');
    expect(long.status).toBe(200);
    for (const trace of long.body.data) expect(trace.spans.some((s: any) => s.duration >= 1500)).toBe(true);
    const short = await q('lookback=48h&limit=1000&maxDuration=100us');
    for (const trace of short.body.data) expect(trace.spans.some((s: any) => s.duration <= 100)).toBe(true);
    // tags: a tag of a found span filters down to traces holding it.
    // A span of the searched service: every filter must hold on one span of that service.
    const span = all.body.data
      .flatMap((t: any) => t.spans.filter((s: any) => t.processes[s.processID].serviceName === service))
      .find((s: any) =>
        s.tags.some((t: any) => t.type === 'string' && !t.key.startsWith('otel.') && t.key !== 'span.kind' && t.key !== 'tracegate.backend'),
      );
    if (span) {
      const tag = span.tags.find(
        (t: any) => t.type === 'string' && !t.key.startsWith('otel.') && t.key !== 'span.kind' && t.key !== 'tracegate.backend',
      );
      const tagged = await q(`lookback=48h&limit=1000&tags=${encodeURIComponent(JSON.stringify({ [tag.key]: tag.value }))}`);
      expect(tagged.status).toBe(200);
      expect(tagged.body.data.length).toBeGreaterThan(0);
      for (const trace of tagged.body.data)
        expect(trace.spans.some((s: any) => s.tags.some((t: any) => t.key === tag.key && t.value === tag.value))).toBe(true);
    }
  });

  it.each([
    ['no service', '/api/traces?lookback=1h', 'service'],
    ['a bare-number duration', '/api/traces?service=x&minDuration=100', "param 'minDuration'"],
    ['a bad duration', '/api/traces?service=x&maxDuration=fast', "param 'maxDuration'"],
    ['max below min', '/api/traces?service=x&minDuration=2s&maxDuration=1s', 'maxDuration'],
    ['a non-integer start', '/api/traces?service=x&start=yesterday', "param 'start'"],
    ['tags that are not JSON', '/api/traces?service=x&tags=%7Bnope', "malformed 'tags' parameter"],
    ['tags with a non-string value', '/api/traces?service=x&tags=%7B%22a%22%3A1%7D', 'cannot unmarshal number into Go value of type string'],
    ['a limit above the limit', '/api/traces?service=x&limit=100000', 'limit'],
    ['a window too long', `/api/traces?service=x&start=1&end=${10_000 * 3_600_000_000}`, 'at most'],
    ['a bad endTs', '/api/dependencies?endTs=now', "param 'endTs'"],
  ])('answers 400 for %s', async (_, path, text) => {
    const { status, body } = await get(gw, path);
    expect(status).toBe(400);
    expect(body.data).toBeNull();
    expect(body.errors[0]).toEqual({ code: 400, msg: expect.stringContaining(text) });
  });

  it('GET /api/dependencies takes endTs and lookback in ms', async () => {
    const { status, body } = await get(gw, `/api/dependencies?endTs=${Date.now()}&lookback=${48 * 3_600_000}`);
    expect(status).toBe(200);
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data[0]).toEqual({ parent: expect.any(String), child: expect.any(String), callCount: expect.any(Number) });
    expect((await get(gw, `/api/dependencies?endTs=${Date.now() - 365 * 86_400_000}&lookback=1000`)).body.data).toEqual([]);
  });
});

describe('Jaeger API v1 with a failing backend', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startPartialGateway();
  });
  afterAll(() => gw.close());

  it('answers the data with one errors entry for the failed backend', async () => {
    const services = await get(gw, '/api/services');
    expect(services.status).toBe(200);
    expect(services.body.data).toEqual(['web']);
    expect(services.body.errors).toEqual([{ code: 502, msg: expect.stringMatching(/^backend 'down' \(memory\) FAILED: BACKEND_UNAVAILABLE/) }]);
    const trace = await get(gw, '/api/traces/abc');
    expect(trace.status).toBe(200);
    expect(trace.body.data[0].spans).toHaveLength(1);
    expect(trace.body.data[0].spans[0].tags).toContainEqual({ key: 'tracegate.backend', type: 'string', value: 'good' });
    expect(trace.body.errors).toHaveLength(1);
    expect(trace.body.errors[0].msg).toContain("'down'");
  });

  it('answers 500 when every backend failed', async () => {
    const only = await startGateway({ backends: [{ name: 'down', kind: 'memory' }] }, [
      new ScriptedBackend('down', { fail: new BackendError('BACKEND_UNAVAILABLE', 'down', 'refused') }),
    ]);
    try {
      const { status, body } = await get(only, '/api/services');
      expect(status).toBe(500);
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
    } finally {
      await only.close();
    }
  });
});
