/**
 * Metrics and request logs on real traffic (issue 15): a gateway in front of the harness's real Jaeger
 * and Zipkin (read only), plus a backend nobody listens for (`broken`) and the real Zipkin behind a
 * proxy that holds every byte for 6 s (`slow`, default 5 s timeout: the operator's case of the issue).
 * GraphQL queries with operation names, Jaeger and Zipkin API calls, refusals and unknown paths are
 * sent one by one; then /metrics must have moved by exactly those requests, with the labels README
 * documents (operation names past metrics.maxOperationNames folded into `other`), and the captured log
 * must hold one `request` line per request, field by field, plus one warn line per failed backend.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_IDS } from '../../support/dataset/dataset.js';
import { startCountingProxy } from '../../support/counting-proxy.js';
import { startDelayProxy, type DelayProxy } from '../../support/delay-proxy.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { captureLogs, LEVEL, type LogLine } from '../../support/log-capture.js';
import { changedSeries, parseScrape, type Scrape, seriesKey } from '../../support/prometheus-text.js';
import { BACKEND_CONFIG } from '../../support/real-backends.js';

const KEY = 'k-metrics-and-logs-0123456789abcdef0123456789';
const HEADERS = { 'x-api-key': KEY, 'content-type': 'application/json' };
/** Nothing listens here: the harness and private servers use other ports (grep the repo). */
const CLOSED_PORT = 19_999;
const SPLIT = TRACE_IDS.SPLIT;
const ABSENT = 'a11ce5b1e70000000000000000000404';
const TRACEPARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

const TRACE_BY_ID = 'query TraceById($id: ID!) { trace(id: $id) { traceId spanCount } }';
const SERVICES = 'query Services { services { services { name } } }';
const BROKEN = 'query BrokenServices { services(backends: ["broken"]) { services { name } } }';
const SLOW = 'query SlowServices { services(backends: ["slow"]) { services { name } } }';
// No field that calls a backend: `backends` would probe every backend's health, the slow one for 5 s.
const fresh = (name: string) => `query ${name} { __typename }`;

interface Sent {
  status: number;
  requestId: string | null;
  body: any;
}

let gateway: TestGateway;
let origin: string;
let proxy: DelayProxy;
const logs = captureLogs('info');

async function send(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Sent> {
  const response = await fetch(`${origin}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...HEADERS, ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, requestId: response.headers.get('x-request-id'), body };
}

const graphql = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  send('/graphql', { body: { query, variables }, headers });

async function scrape(): Promise<Scrape> {
  return parseScrape(await (await fetch(`${origin}/metrics`)).text());
}

const requestLines = (): LogLine[] => logs.lines.filter((line) => line.msg === 'request');

beforeAll(async () => {
  proxy = await startDelayProxy({ host: '127.0.0.1', port: Number(new URL(ENDPOINTS.zipkin).port) }, 6_000);
  gateway = await startGateway(
    {
      auth: { mode: 'apiKey', apiKeys: [{ id: 'ops', sha256: createHash('sha256').update(KEY).digest('hex'), tenants: ['ops'], admin: true }] },
      tenants: { ops: { backends: ['jaeger', 'zipkin', 'broken', 'slow'] } },
      backends: [
        BACKEND_CONFIG.jaeger,
        BACKEND_CONFIG.zipkin,
        { kind: 'jaeger', name: 'broken', url: `http://127.0.0.1:${CLOSED_PORT}` },
        { kind: 'zipkin', name: 'slow', url: proxy.url },
      ],
      federation: { defaultBackends: ['jaeger', 'zipkin'] },
      // No background probe during the test: its calls would move the backend series.
      health: { intervalMs: 3_600_000 },
      cache: { enabled: true },
      metrics: { maxOperationNames: 4 },
    },
    undefined,
    { logger: logs.logger },
  );
  origin = new URL(gateway.url).origin;
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
});

describe('metrics and request logs on real traffic', () => {
  let before: Scrape;
  let after: Scrape;
  let inFlightDuringSlow: number;
  const sent: Record<string, Sent> = {};

  beforeAll(async () => {
    before = await scrape();
    logs.clear();
    sent.trace1 = await graphql(
      TRACE_BY_ID,
      { id: SPLIT },
      { traceparent: `00-${TRACEPARENT_TRACE}-00f067aa0ba902b7-01`, 'x-request-id': 'portal-req.1' },
    );
    sent.trace2 = await graphql(TRACE_BY_ID, { id: SPLIT }, { 'x-request-id': 'not a sane id!' });
    sent.services = await graphql(SERVICES);
    sent.broken = await graphql(BROKEN);
    const slow = graphql(SLOW);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    inFlightDuringSlow = (await scrape()).get('tracegate_requests_in_flight') ?? Number.NaN;
    sent.slow = await slow;
    sent.fresh1 = await graphql(fresh('FreshOne'));
    sent.fresh2 = await graphql(fresh('FreshTwo'));
    sent.trace3 = await graphql(TRACE_BY_ID, { id: SPLIT });
    sent.anonymous = await graphql('{ __typename }');
    sent.parseError = await graphql('query Broken {');
    sent.unauthenticated = await graphql(SERVICES, {}, { 'x-api-key': 'wrong-key-0123456789abcdef0123456789abcdef' });
    sent.jaegerServices = await send('/api/services');
    sent.jaegerTrace = await send(`/api/traces/${SPLIT}`);
    sent.jaegerAbsent = await send(`/api/traces/${ABSENT}`);
    sent.zipkinServices = await send('/api/v2/services');
    sent.zipkinTrace = await send(`/api/v2/trace/${SPLIT}`);
    sent.unmatched = await send('/no-such-path/abc123');
    after = await scrape();
  }, 60_000);

  it('got the answers the requests ask for', () => {
    expect(sent.trace1!.body.data.trace.spanCount).toBe(8);
    expect(sent.broken!.body.errors.map((e: any) => e.extensions.code)).toEqual(['BACKEND_UNAVAILABLE']);
    expect(sent.slow!.body.errors.map((e: any) => e.extensions.code)).toEqual(['BACKEND_TIMEOUT']);
    expect([sent.parseError!.status, sent.unauthenticated!.status, sent.jaegerAbsent!.status, sent.unmatched!.status]).toEqual([400, 401, 404, 404]);
    expect(sent.jaegerTrace!.status).toBe(200);
    expect(sent.zipkinTrace!.status).toBe(200);
  });

  it('counts each request once under its API, operation and status, and nothing else', () => {
    const requests = (api: string, operation: string, status: number) =>
      seriesKey('tracegate_requests_total', { api, operation, status: String(status) });
    expect(Object.fromEntries(changedSeries(before, after, 'tracegate_requests_total'))).toEqual({
      [requests('graphql', 'TraceById', 200)]: 3,
      [requests('graphql', 'Services', 200)]: 1,
      [requests('graphql', 'BrokenServices', 200)]: 1,
      [requests('graphql', 'SlowServices', 200)]: 1,
      // maxOperationNames is 4: FreshOne and FreshTwo came fifth and sixth.
      [requests('graphql', 'other', 200)]: 2,
      [requests('graphql', 'anonymous', 200)]: 1,
      [requests('graphql', 'anonymous', 400)]: 1,
      [requests('graphql', 'anonymous', 401)]: 1,
      [requests('jaeger', 'GET /api/services', 200)]: 1,
      [requests('jaeger', 'GET /api/traces/:id', 200)]: 1,
      [requests('jaeger', 'GET /api/traces/:id', 404)]: 1,
      [requests('zipkin', 'GET /api/v2/services', 200)]: 1,
      [requests('zipkin', 'GET /api/v2/trace/:traceId', 200)]: 1,
      [requests('other', 'unmatched', 404)]: 1,
    });
  });

  it('counts errors by GraphQL extensions.code and by the other APIs’ status', () => {
    const errors = (api: string, operation: string, code: string) => seriesKey('tracegate_request_errors_total', { api, code, operation });
    expect(Object.fromEntries(changedSeries(before, after, 'tracegate_request_errors_total'))).toEqual({
      [errors('graphql', 'BrokenServices', 'BACKEND_UNAVAILABLE')]: 1,
      [errors('graphql', 'SlowServices', 'BACKEND_TIMEOUT')]: 1,
      [errors('graphql', 'anonymous', 'GRAPHQL_PARSE_FAILED')]: 1,
      [errors('graphql', 'anonymous', 'UNAUTHENTICATED')]: 1,
      [errors('jaeger', 'GET /api/traces/:id', '404')]: 1,
      [errors('other', 'unmatched', '404')]: 1,
    });
  });

  it('observes every request’s duration under its API and operation', () => {
    const count = (api: string, operation: string) => seriesKey('tracegate_request_duration_seconds_count', { api, operation });
    const sum = (api: string, operation: string) => seriesKey('tracegate_request_duration_seconds_sum', { api, operation });
    const counts = changedSeries(before, after, 'tracegate_request_duration_seconds_count');
    expect(counts.get(count('graphql', 'TraceById'))).toBe(3);
    expect(counts.get(count('graphql', 'anonymous'))).toBe(3);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(Object.keys(sent).length);
    // The timed-out call took its backend's 5 s timeout, and the histogram puts it in the 10 s bucket, not the 2.5 s one.
    const slowSum = (after.get(sum('graphql', 'SlowServices')) ?? 0) - (before.get(sum('graphql', 'SlowServices')) ?? 0);
    expect(slowSum).toBeGreaterThan(4.9);
    expect(slowSum).toBeLessThan(7);
    const bucket = (le: string) =>
      after.get(seriesKey('tracegate_request_duration_seconds_bucket', { api: 'graphql', le, operation: 'SlowServices' }));
    expect([bucket('2.5'), bucket('10'), bucket('+Inf')]).toEqual([0, 1, 1]);
  });

  it('counts requests in flight (the slow one while it waited) and none once answered', () => {
    expect(inFlightDuringSlow).toBe(1);
    expect(after.get('tracegate_requests_in_flight')).toBe(0);
  });

  it('counts each backend’s calls, outcomes, latency and response bytes', () => {
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(delta(seriesKey('tracegate_backend_calls_total', { backend: 'broken', kind: 'jaeger' }))).toBe(1);
    expect(delta(seriesKey('tracegate_backend_calls_total', { backend: 'slow', kind: 'zipkin' }))).toBe(1);
    expect(
      delta(seriesKey('tracegate_backend_outcomes_total', { backend: 'broken', cached: 'false', code: 'BACKEND_UNAVAILABLE', state: 'FAILED' })),
    ).toBe(1);
    expect(
      delta(seriesKey('tracegate_backend_outcomes_total', { backend: 'slow', cached: 'false', code: 'BACKEND_TIMEOUT', state: 'TIMEOUT' })),
    ).toBe(1);
    // The timeout is the backend's own 5 s, held by the latency histogram.
    expect(delta(seriesKey('tracegate_backend_call_seconds_sum', { backend: 'slow', state: 'TIMEOUT' }))).toBeGreaterThan(4.9);
    for (const backend of ['jaeger', 'zipkin']) {
      const calls = delta(seriesKey('tracegate_backend_calls_total', { backend, kind: backend }));
      const ok = delta(seriesKey('tracegate_backend_outcomes_total', { backend, cached: 'false', code: '', state: 'OK' }));
      const hits = delta(seriesKey('tracegate_backend_outcomes_total', { backend, cached: 'true', code: '', state: 'OK' }));
      expect(calls).toBeGreaterThanOrEqual(5); // three traces, services over GraphQL and over each API
      expect(ok + hits).toBe(calls);
      expect(hits).toBeGreaterThanOrEqual(2); // the second and third TraceById came from the cache
      expect(delta(seriesKey('tracegate_backend_call_seconds_count', { backend, state: 'OK' }))).toBe(calls);
      expect(delta(seriesKey('tracegate_backend_response_bytes_total', { backend }))).toBeGreaterThan(0);
    }
    // Neither failed backend sent a body.
    expect(after.get(seriesKey('tracegate_backend_response_bytes_total', { backend: 'broken' }))).toBeUndefined();
    expect(after.get(seriesKey('tracegate_backend_response_bytes_total', { backend: 'slow' }))).toBeUndefined();
  });

  it('gives the cache hit ratio per layer and kind, as its counters say', () => {
    const events = (kind: string, event: string) => after.get(seriesKey('tracegate_cache_events_total', { event, kind, layer: 'memory' })) ?? 0;
    const ratio = after.get(seriesKey('tracegate_cache_hit_ratio', { kind: 'trace', layer: 'memory' }));
    expect(events('trace', 'hit')).toBeGreaterThanOrEqual(2);
    expect(ratio).toBeCloseTo(events('trace', 'hit') / (events('trace', 'hit') + events('trace', 'miss')), 6);
    expect(ratio).toBeGreaterThan(0);
  });

  it('exports the event-loop lag', () => {
    expect(after.get('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(after.get('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
  });

  it('echoes x-request-id: the caller’s sane one, else a fresh one, on every answer (a refusal and a 404 too)', () => {
    expect(sent.trace1!.requestId).toBe('portal-req.1');
    expect(sent.trace2!.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    for (const answer of Object.values(sent)) expect(answer.requestId).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
    expect(new Set(Object.values(sent).map((a) => a.requestId)).size).toBe(Object.keys(sent).length);
  });

  it('logs one info line per request, field by field', () => {
    const lines = requestLines();
    expect(lines).toHaveLength(Object.keys(sent).length);
    expect(lines.every((line) => line.level === LEVEL.info)).toBe(true);
    const byId = new Map(lines.map((line) => [line.reqId, line]));
    const line = (name: string) => byId.get(sent[name]!.requestId);
    expect(line('trace1')).toEqual({
      level: LEVEL.info,
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      reqId: 'portal-req.1',
      msg: 'request',
      traceId: TRACEPARENT_TRACE,
      api: 'graphql',
      operation: 'TraceById',
      method: 'POST',
      path: '/graphql',
      status: 200,
      durationMs: expect.any(Number),
      backends: [
        { name: 'jaeger', outcome: 'OK' },
        { name: 'zipkin', outcome: 'OK' },
      ],
      tenant: 'ops',
    });
    expect(line('trace2')).toMatchObject({ traceId: null, operation: 'TraceById', status: 200 });
    expect(line('broken')).toMatchObject({
      operation: 'BrokenServices',
      status: 200,
      backends: [{ name: 'broken', outcome: 'FAILED' }],
      errorCodes: ['BACKEND_UNAVAILABLE'],
    });
    expect(line('slow')).toMatchObject({
      operation: 'SlowServices',
      backends: [{ name: 'slow', outcome: 'TIMEOUT' }],
      errorCodes: ['BACKEND_TIMEOUT'],
    });
    expect(line('slow')!.durationMs).toBeGreaterThan(4_900);
    // The log keeps the name the metrics fold.
    expect(line('fresh2')).toMatchObject({ operation: 'FreshTwo' });
    expect(line('parseError')).toMatchObject({ api: 'graphql', operation: null, status: 400, backends: [], errorCodes: ['GRAPHQL_PARSE_FAILED'] });
    expect(line('unauthenticated')).toMatchObject({ status: 401, tenant: null, backends: [], errorCodes: ['UNAUTHENTICATED'] });
    expect(line('jaegerTrace')).toMatchObject({
      api: 'jaeger',
      operation: 'GET /api/traces/:id',
      method: 'GET',
      path: `/api/traces/${SPLIT}`,
      status: 200,
      tenant: 'ops',
    });
    expect(line('jaegerAbsent')).toMatchObject({ status: 404, errorCodes: ['404'] });
    expect(line('zipkinServices')).toMatchObject({ api: 'zipkin', operation: 'GET /api/v2/services', status: 200 });
    expect(line('unmatched')).toMatchObject({ api: 'other', operation: 'unmatched', path: '/no-such-path/abc123', status: 404 });
  });

  it('never logs a credential', () => {
    const text = JSON.stringify(logs.lines);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('wrong-key-0123456789abcdef0123456789abcdef');
  });

  it('logs the failed and the timed-out backend once each at warn, with the backend and the reason', () => {
    // Health probes of the two (the start-up round, health-monitor.ts) log their own failures: not requests' calls.
    const warns = logs.atLeast(LEVEL.warn).filter((line) => !String(line.msg).endsWith(': health probe'));
    expect(warns).toEqual([
      expect.objectContaining({ level: LEVEL.warn, backend: 'broken', code: 'BACKEND_UNAVAILABLE', reason: 'connection failed (ECONNREFUSED)' }),
      expect.objectContaining({ level: LEVEL.warn, backend: 'slow', reason: 'no answer within the backend timeout of 5000 ms' }),
    ]);
  });
});

describe('backend response bytes', () => {
  it('are the bytes of the bodies each backend sent: replaying the calls gives the same sum; Elasticsearch counts its content-length', async () => {
    const jaeger = await startCountingProxy(ENDPOINTS.jaeger.query);
    const zipkin = await startCountingProxy(ENDPOINTS.zipkin);
    const own = await startGateway({
      backends: [{ ...BACKEND_CONFIG.jaeger, url: jaeger.url }, { ...BACKEND_CONFIG.zipkin, url: zipkin.url }, BACKEND_CONFIG.esJaeger],
      health: { intervalMs: 3_600_000 },
      cache: { enabled: false },
    });
    try {
      const ownOrigin = new URL(own.url).origin;
      const scrapeOwn = async () => parseScrape(await (await fetch(`${ownOrigin}/metrics`)).text());
      // The start-up health round is under way until /readyz answers 200; its bytes would land after `before`.
      for (let i = 0; i < 100 && (await fetch(`${ownOrigin}/readyz`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 50));
      const before = await scrapeOwn();
      jaeger.reset();
      zipkin.reset();
      await own.query(TRACE_BY_ID, { id: SPLIT });
      await own.query(SERVICES);
      await (await fetch(`${ownOrigin}/api/v2/trace/${SPLIT}`)).text();
      const after = await scrapeOwn();
      const delta = (backend: string) =>
        (after.get(seriesKey('tracegate_backend_response_bytes_total', { backend })) ?? 0) -
        (before.get(seriesKey('tracegate_backend_response_bytes_total', { backend })) ?? 0);
      // The same GETs straight to the servers (both answer them the same way twice).
      const replayed = async (target: string, calls: readonly string[]) => {
        let bytes = 0;
        for (const call of calls) {
          const [method, path] = call.split(' ') as [string, string];
          expect(method).toBe('GET');
          bytes += (await (await fetch(`${target}${path}`)).arrayBuffer()).byteLength;
        }
        return bytes;
      };
      const jaegerCalls = [...jaeger.calls];
      const zipkinCalls = [...zipkin.calls];
      expect(jaegerCalls.length).toBeGreaterThanOrEqual(2);
      expect(zipkinCalls.length).toBeGreaterThanOrEqual(3);
      expect(delta('jaeger')).toBe(await replayed(ENDPOINTS.jaeger.query, jaegerCalls));
      expect(delta('zipkin')).toBe(await replayed(ENDPOINTS.zipkin, zipkinCalls));
      expect(delta('es-jaeger')).toBeGreaterThan(0);
    } finally {
      await own.close();
      await jaeger.close();
      await zipkin.close();
    }
  });
});
