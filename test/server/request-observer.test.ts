/**
 * The request log line and metrics beyond what the real-traffic test (test/integration/ops/) covers:
 * the trace id of the request's own span when Tracegate's tracing is on, a trace id a batch fetch
 * answered with an error (an OK call, a failed trace) shown as the backend's failure, and a configured
 * list of operation names.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { BackendError } from '../../src/errors.js';
import type { TraceId } from '../../src/model/index.js';
import { startGateway } from '../support/gateway.js';
import { captureLogs, LEVEL } from '../support/log-capture.js';
import { makeSpan } from '../support/make-span.js';
import { parseScrape, seriesKey } from '../support/prometheus-text.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACE_QUERY = 'query TraceById($id: ID!) { trace(id: $id) { traceId } }';
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('with tracing on', () => {
  it("names the request span's trace: a new one, or the caller's continued", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    cleanups.push(() => {
      trace.disable();
      propagation.disable();
      context.disable();
    });
    const logs = captureLogs('info');
    const gateway = await startGateway(
      { telemetry: { tracing: { enabled: true } }, backends: [{ name: 'demo', kind: 'memory', demo: true }] },
      undefined,
      { logger: logs.logger },
    );
    cleanups.push(() => gateway.close());
    const origin = new URL(gateway.url).origin;

    await gateway.query('query Backends { backends { name } }');
    await gateway.query('query Backends { backends { name } }', {}, { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` });
    await (await fetch(`${origin}/api/services`)).text();

    const lines = logs.lines.filter((line) => line.msg === 'request');
    const spans = exporter.getFinishedSpans().filter((span) => span.kind === 1); // SERVER: the request spans
    expect(lines.map((line) => line.traceId)).toEqual(spans.map((span) => span.spanContext().traceId));
    expect(lines[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(lines[1]!.traceId).toBe(TRACE_ID);
    expect(new Set(lines.map((line) => line.traceId)).size).toBe(3);
  });
});

/** Answers every id with an error inside a successful batch call, as a per-id fetch that failed for one id does. */
function failingIds(name: string): Backend {
  return Object.assign(new ScriptedBackend(name), {
    getTraces: async (ids: readonly TraceId[]) =>
      ids.map(() => new BackendError('BACKEND_UNAVAILABLE', name, 'GET /api/traces/x answered HTTP 503: down', 503)),
  });
}

describe('a trace id a batch call answered with an error', () => {
  it('is the backend’s failure in the request line and logs its warn line', async () => {
    const logs = captureLogs('info');
    const ok = new ScriptedBackend('ok', { spans: [makeSpan('a', { traceId: TRACE_ID as TraceId })] });
    const gateway = await startGateway(
      {
        backends: [
          { name: 'ok', kind: 'memory' },
          { name: 'flaky', kind: 'memory' },
        ],
      },
      [ok, failingIds('flaky')],
      {
        logger: logs.logger,
      },
    );
    cleanups.push(() => gateway.close());
    const answer = await gateway.query(TRACE_QUERY, { id: TRACE_ID });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['BACKEND_UNAVAILABLE']);
    const line = logs.lines.find((l) => l.msg === 'request')!;
    expect(line.backends).toEqual([
      { name: 'ok', outcome: 'OK' },
      { name: 'flaky', outcome: 'FAILED' },
    ]);
    expect(line.errorCodes).toEqual(['BACKEND_UNAVAILABLE']);
    expect(logs.atLeast(LEVEL.warn)).toEqual([
      expect.objectContaining({ backend: 'flaky', code: 'BACKEND_UNAVAILABLE', reason: 'unavailable (HTTP 503)' }),
    ]);
  });
});

describe('metrics.operationNames', () => {
  it('labels only the listed names, however many others came first', async () => {
    const gateway = await startGateway({ metrics: { operationNames: ['Listed'] }, backends: [{ name: 'demo', kind: 'memory', demo: true }] });
    cleanups.push(() => gateway.close());
    for (const name of ['First', 'Second', 'Listed', 'Third']) await gateway.query(`query ${name} { backends { name } }`);
    const metrics = parseScrape(await (await fetch(`${new URL(gateway.url).origin}/metrics`)).text());
    const requests = (operation: string) => metrics.get(seriesKey('tracegate_requests_total', { api: 'graphql', operation, status: '200' }));
    expect([requests('Listed'), requests('other'), requests('First')]).toEqual([1, 3, undefined]);
  });
});

describe('a GraphQL request refused before Apollo', () => {
  it('counts a body over server.bodyLimitBytes under BAD_REQUEST, the code its answer carries', async () => {
    const gateway = await startGateway({ server: { bodyLimitBytes: 1_024 }, backends: [{ name: 'demo', kind: 'memory', demo: true }] });
    cleanups.push(() => gateway.close());
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ backends { name } } # ${'x'.repeat(2_000)}` }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(response.status).toBe(413);
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    const metrics = parseScrape(await (await fetch(`${new URL(gateway.url).origin}/metrics`)).text());
    expect(metrics.get(seriesKey('tracegate_request_errors_total', { api: 'graphql', code: 'BAD_REQUEST', operation: 'anonymous' }))).toBe(1);
    expect(metrics.get(seriesKey('tracegate_requests_total', { api: 'graphql', operation: 'anonymous', status: '413' }))).toBe(1);
  });
});
