/**
 * Tracegate's own traces end to end in one process, without real servers: a gateway with one Zipkin
 * backend pointed at a local HTTP server that records the headers it gets, and, with tracing on, an
 * OTLP/HTTP receiver that records what the SDK exports. With tracing off nothing is traced even when
 * an SDK is registered in the process (another library's, say) and the caller sends a `traceparent`;
 * with it on, the request span continues the caller's trace, the backend-call and execution spans hang
 * under it, and the backend gets a `traceparent` naming the backend-call span.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { startTracing } from '../../src/telemetry/index.js';
import { parseConfig } from '../../src/config/index.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;
const TRACE_ID = 'a11ce5b1e7000000000000000000beef';
const QUERY = 'query TraceById($id: ID!) { trace(id: $id) { traceId } }';

interface Recorder {
  url: string;
  /** Headers of each request, by path. */
  requests: Array<{ path: string; headers: IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** Answers every request `answer` and records it. */
async function startRecorder(answer: string): Promise<Recorder> {
  const requests: Recorder['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gatewayOver(zipkin: Recorder, tracing: Record<string, unknown>): Promise<TestGateway> {
  const gateway = await startGateway({
    backends: [{ kind: 'zipkin', name: 'zipkin-eu', url: zipkin.url }],
    cache: { enabled: false },
    telemetry: { tracing },
  });
  cleanups.push(() => gateway.close());
  return gateway;
}

const traceCalls = (zipkin: Recorder) => zipkin.requests.filter((r) => r.path.startsWith('/api/v2/trace'));

describe('tracing off', () => {
  it('creates no span and sends no traceparent, even with an SDK registered in the process and a caller traceparent', async () => {
    // Another SDK in the process: everything the gateway could start would land in this exporter.
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    cleanups.push(async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    });
    const zipkin = await startRecorder('[]');
    cleanups.push(() => zipkin.close());
    const gateway = await gatewayOver(zipkin, { enabled: false });

    const answer = await gateway.query(QUERY, { id: TRACE_ID }, { traceparent: TRACEPARENT });
    expect(answer.status).toBe(200);
    expect(traceCalls(zipkin).length).toBeGreaterThan(0);
    for (const call of traceCalls(zipkin)) expect(call.headers.traceparent).toBeUndefined();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('is the default', () => {
    expect(parseConfig({}).telemetry.tracing).toMatchObject({ enabled: false, serviceName: 'tracegate', sampleRatio: 1 });
  });
});

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

const attributesOf = (span: OtlpSpan): Record<string, unknown> => Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));

function exportedSpans(collector: Recorder): { service: unknown; spans: OtlpSpan[] } {
  let service: unknown;
  const spans: OtlpSpan[] = [];
  for (const request of collector.requests) {
    const body = JSON.parse(request.body) as { resourceSpans: Array<{ resource: OtlpSpan; scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
    for (const rs of body.resourceSpans) {
      service = attributesOf(rs.resource)['service.name'];
      for (const ss of rs.scopeSpans) spans.push(...ss.spans);
    }
  }
  return { service, spans };
}

describe('tracing on', () => {
  it("continues the caller's trace: request span, backend-call and execution spans under it, traceparent to the backend", async () => {
    const collector = await startRecorder('{}');
    cleanups.push(() => collector.close());
    const zipkin = await startRecorder('[]');
    cleanups.push(() => zipkin.close());
    const sdk = await startTracing(
      parseConfig({ telemetry: { tracing: { enabled: true, endpoint: `${collector.url}/v1/traces`, serviceName: 'tracegate-test' } } }).telemetry
        .tracing,
    );
    const gateway = await gatewayOver(zipkin, { enabled: true });

    const answer = await gateway.query(QUERY, { id: TRACE_ID }, { traceparent: TRACEPARENT });
    expect(answer.status).toBe(200);
    await gateway.close();
    await sdk!.shutdown(); // flushes the batch

    const { service, spans } = exportedSpans(collector);
    expect(service).toBe('tracegate-test');
    expect(collector.requests.map((r) => r.path)).toContain('/v1/traces');
    const byName = new Map(spans.map((s) => [s.name, s]));
    const request = byName.get('TraceById');
    expect(request, spans.map((s) => s.name).join(', ')).toBeDefined();
    expect(request!.traceId).toBe(CALLER_TRACE);
    expect(request!.parentSpanId).toBe(CALLER_SPAN);
    expect(attributesOf(request!)).toMatchObject({
      'tracegate.api': 'graphql',
      'tracegate.operation': 'TraceById',
      'graphql.operation.name': 'TraceById',
      'graphql.operation.type': 'query',
      'http.request.method': 'POST',
      'http.route': '/graphql',
      'http.response.status_code': 200,
    });
    const backend = byName.get('backend zipkin-eu')!;
    expect(backend.parentSpanId).toBe(request!.spanId);
    expect(attributesOf(backend)).toMatchObject({
      'tracegate.backend.name': 'zipkin-eu',
      'tracegate.backend.kind': 'zipkin',
      'tracegate.backend.outcome': 'OK',
      'tracegate.backend.cached': false,
    });
    expect(byName.get('graphql.execute')!.parentSpanId).toBe(request!.spanId);
    // Every span of the request is in the caller's trace.
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([CALLER_TRACE]));

    const calls = traceCalls(zipkin);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.headers.traceparent).toBe(`00-${CALLER_TRACE}-${backend.spanId}-01`);
  });
});
