/**
 * Dogfood: Tracegate traces its own work and reads that trace back through Tracegate. A gateway with
 * tracing on fronts the harness's real Jaeger, Zipkin and Elasticsearch (the Jaeger schema), each
 * behind a recording proxy (test/support/counting-proxy.ts), and exports its spans over OTLP/HTTP to a private Jaeger, never the
 * shared one, which holds the integration dataset only (test/support/private-servers.ts). It answers
 * the dataset's SPLIT trace (half in Jaeger and its Elasticsearch, half in Zipkin); a second gateway, tracing off, fronting
 * the private Jaeger then answers `trace(id)` for the gateway's own trace, whose id the backends were
 * told in their `traceparent`. The tree must be: the request span as root, named after the GraphQL
 * operation, one backend-call span per backend under it with the backend's name, kind and outcome,
 * and the merge and execution spans; each backend request's `traceparent` names a backend-call span.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import { startTracing, type TracingSdk } from '../../../src/telemetry/index.js';
import { startCountingProxy, type CountingProxy } from '../../support/counting-proxy.js';
import { TRACE_IDS } from '../../support/dataset/dataset.js';
import { type GraphQLResponse, startGateway, type TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { PRIVATE, startPrivateServers } from '../../support/private-servers.js';

const SERVICE = 'tracegate-dogfood';
const OPERATION = 'SplitTrace';
const ASK = `query ${OPERATION}($id: ID!) { trace(id: $id) { traceId spanCount services } }`;
const READ_BACK = `query OwnTrace($id: ID!) {
  trace(id: $id) {
    spans { spanId parentSpanId name kind service status { code } attributes { key value } }
  }
}`;

interface OwnSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  service: string;
  status: { code: string };
  attributes: Array<{ key: string; value: unknown }>;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

interface Fronted {
  name: string;
  kind: string;
  proxy: CountingProxy;
  /** Whether a request was made for the SPLIT trace; the rest are the gateway's background health checks. */
  isForTrace(call: string): boolean;
}

const hasTraceId = (call: string): boolean => call.includes(TRACE_IDS.SPLIT);
// Elasticsearch gets the id in the search body; its health checks are the cluster and node reads.
const isEsSearch = (call: string): boolean => !call.includes('/_cluster/health') && !call.includes('/_nodes');

/** The `traceparent` of each request a proxy forwarded for the trace (`forTrace`) or not, undefined where none. */
function traceparents(backend: Fronted, forTrace = true): Array<string | undefined> {
  return backend.proxy.requests
    .filter((r) => backend.isForTrace(r.call) === forTrace)
    .map((r) => {
      const at = r.rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'traceparent');
      return at < 0 ? undefined : r.rawHeaders[at + 1];
    });
}

const attrs = (span: OwnSpan): Record<string, unknown> => Object.fromEntries(span.attributes.map((a) => [a.key, a.value]));

let stopPrivate: () => Promise<void>;
let fronted: Fronted[] = [];
let sdk: TracingSdk | null = null;
let traced: TestGateway | undefined;
let reader: TestGateway | undefined;
let answer: GraphQLResponse<{ trace: { traceId: string; spanCount: number } | null }>;

beforeAll(async () => {
  stopPrivate = await startPrivateServers(['jaegerSelf']);
  fronted = [
    { name: 'jaeger', kind: 'jaeger', proxy: await startCountingProxy(ENDPOINTS.jaeger.query), isForTrace: hasTraceId },
    { name: 'zipkin', kind: 'zipkin', proxy: await startCountingProxy(ENDPOINTS.zipkin), isForTrace: hasTraceId },
    { name: 'es-jaeger', kind: 'elasticsearch', proxy: await startCountingProxy(ENDPOINTS.elasticsearch), isForTrace: isEsSearch },
  ];
  const [jaeger, zipkin, es] = fronted.map((b) => b.proxy.url);
  const tracing = { enabled: true, endpoint: `${PRIVATE.jaegerSelf.otlp}/v1/traces`, serviceName: SERVICE };
  sdk = await startTracing(parseConfig({ telemetry: { tracing } }).telemetry.tracing);
  traced = await startGateway({
    backends: [
      { kind: 'jaeger', name: 'jaeger', url: jaeger },
      { kind: 'zipkin', name: 'zipkin', url: zipkin },
      { kind: 'elasticsearch', name: 'es-jaeger', urls: [es], schema: 'jaeger' },
    ],
    cache: { enabled: false },
    telemetry: { tracing },
  });
  answer = await traced.query(ASK, { id: TRACE_IDS.SPLIT });
  // Closing the gateway and the SDK flushes every span to the private Jaeger.
  await traced.close();
  traced = undefined;
  await sdk?.shutdown();
  sdk = null;
  reader = await startGateway({ backends: [{ kind: 'jaeger', name: 'self', url: PRIVATE.jaegerSelf.query }], cache: { enabled: false } });
});

afterAll(async () => {
  await traced?.close();
  await sdk?.shutdown();
  await reader?.close();
  for (const backend of fronted) await backend.proxy.close();
  await stopPrivate?.();
});

/** Tracegate's own trace as the reader gateway answers it, once the private Jaeger has stored all of it. */
async function ownTrace(traceId: string, expectedSpans: number): Promise<OwnSpan[]> {
  let spans: OwnSpan[] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    const read = await reader!.query<{ trace: { spans: OwnSpan[] } | null }>(READ_BACK, { id: traceId });
    expect(read.errors).toBeUndefined();
    spans = read.data?.trace?.spans ?? [];
    if (spans.length >= expectedSpans) return spans;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return spans;
}

describe("Tracegate's own trace, read back through Tracegate", () => {
  it('answered the SPLIT trace whole from both backends', () => {
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.trace).toMatchObject({ traceId: TRACE_IDS.SPLIT, spanCount: 8 });
  });

  it('told every backend request its trace in a traceparent naming a backend-call span', async () => {
    for (const backend of fronted) expect(traceparents(backend).length, backend.name).toBeGreaterThan(0);
    const sent = fronted.flatMap((backend) => traceparents(backend));
    const parsed = sent.map((value) => TRACEPARENT.exec(value ?? ''));
    expect(
      parsed.every((m) => m !== null),
      sent.join(', '),
    ).toBe(true);
    // The health checks' requests (outside any request) carry none.
    expect(fronted.flatMap((backend) => traceparents(backend, false)).filter((t) => t !== undefined)).toEqual([]);
    const traceIds = new Set(parsed.map((m) => m![1]));
    expect(traceIds.size).toBe(1);
    const [traceId] = traceIds;

    // request + execution + one call per backend + one merge
    const spans = await ownTrace(traceId!, 3 + fronted.length);
    const names = spans.map((s) => s.name);
    const root = spans.filter((s) => s.parentSpanId === null);
    expect(root.map((s) => s.name)).toEqual([OPERATION]);
    const request = root[0]!;
    expect(request.kind).toBe('SERVER');
    expect(request.service).toBe(SERVICE);
    expect(attrs(request)).toMatchObject({
      'tracegate.api': 'graphql',
      'tracegate.operation': OPERATION,
      'graphql.operation.name': OPERATION,
      'http.route': '/graphql',
      'http.response.status_code': 200,
    });

    const calls = spans.filter((s) => s.name.startsWith('backend '));
    expect(calls.map((s) => s.name).sort(), names.join(', ')).toEqual(fronted.map((b) => `backend ${b.name}`).sort());
    for (const backend of fronted) {
      const call = calls.find((s) => s.name === `backend ${backend.name}`)!;
      expect(call.parentSpanId).toBe(request.spanId);
      expect(call.kind).toBe('CLIENT');
      expect(attrs(call)).toMatchObject({
        'tracegate.backend.name': backend.name,
        'tracegate.backend.kind': backend.kind,
        'tracegate.backend.outcome': 'OK',
        'tracegate.backend.cached': false,
      });
      // That backend's requests carried this span as their parent.
      expect(new Set(traceparents(backend)), backend.name).toEqual(new Set([`00-${traceId}-${call.spanId}-01`]));
    }

    const merge = spans.filter((s) => s.name === 'merge trace');
    expect(merge).toHaveLength(1);
    expect(merge[0]!.parentSpanId).toBe(request.spanId);
    expect(attrs(merge[0]!)).toMatchObject({
      'tracegate.trace.id': TRACE_IDS.SPLIT,
      'tracegate.merge.inputs': fronted.length,
      'tracegate.merge.spans': 8,
    });
    const execution = spans.filter((s) => s.name === 'graphql.execute');
    expect(execution).toHaveLength(1);
    expect(execution[0]!.parentSpanId).toBe(request.spanId);
    // No principal on any span: authentication is off here, so the anonymous admin would be the one.
    for (const span of spans) expect(Object.keys(attrs(span)).filter((k) => /principal|token|authorization/i.test(k))).toEqual([]);
  });
});
