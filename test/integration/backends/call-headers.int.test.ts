/**
 * Per-call headers (CallOptions.headers, src/backends/backend.ts) on the wire of the real servers: a
 * caller's `Authorization: Bearer …` must reach Jaeger, Zipkin and Elasticsearch on every request a
 * call makes (the probe, each per-id fetch and multi-get chunk, each page and point in time), replace a
 * configured header of the same name whatever its case, and leave the other configured headers alone;
 * a call without them sends the configured headers only. A recording proxy (test/support/
 * counting-proxy.ts) between each backend and its server sees every header line, so a header sent
 * twice (configured and per call) would show.
 *
 * Small batch and page sizes make each method use every request path it has: Jaeger v1 multi-gets of
 * two ids, Zipkin traceMany chunks of two, Elasticsearch one id per lookup and two hits per page (so
 * lookups page through a point in time, which is closed afterwards by a request of its own).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Backend, BackendTrace, CallOptions, TimeWindow, TraceQuery } from '../../../src/backends/backend.js';
import { parseTraceId, type Span, type TraceId } from '../../../src/model/index.js';
import { startCountingProxy, type CountingProxy, type RecordedRequest } from '../../support/counting-proxy.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { elasticsearchBackend, jaegerBackend, loadedDataset, zipkinBackend } from '../../support/real-backends.js';

const CALLER = 'Bearer caller-token-7f3a';
const CONFIGURED = 'Bearer configured-token-51c0';
/** Configured in lower case and sent per call capitalised: the override is case-insensitive. */
const CONFIGURED_HEADERS = { authorization: CONFIGURED, 'x-configured': 'kept' };
const CALL_HEADERS = { Authorization: CALLER };
const UNKNOWN = parseTraceId('dead0000000000000000000000c0ffee');

interface Method {
  name: string;
  run(backend: Backend, call: CallOptions): Promise<unknown>;
  /** Requests the method makes at least (batching and paging show here). */
  minRequests: number;
  /** What the answer must hold, so the requests seen are the ones that served it. */
  check?(answer: unknown): void;
}

interface Case {
  name: string;
  target: string;
  make(url: string, headers: Record<string, string>): Backend;
  methods(): Method[];
}

let window: TimeWindow;
let jaegerIds: TraceId[];
let zipkinIds: TraceId[];
let jaegerService: string;
let zipkinService: string;

beforeAll(() => {
  const d = loadedDataset();
  const span = (spans: Span[]) => ({
    startUs: Math.min(...spans.map((s) => s.startTimeUs)) - 60_000_000,
    endUs: Math.max(...spans.map((s) => s.startTimeUs + s.durationUs)) + 60_000_000,
  });
  const all = span([...d.jaeger, ...d.zipkin]);
  window = { startUs: all.startUs, endUs: all.endUs };
  jaegerIds = [...new Set(d.jaeger.map((s) => s.traceId))].slice(0, 4);
  zipkinIds = [...new Set(d.zipkin.map((s) => s.traceId))].slice(0, 4);
  jaegerService = d.jaeger.find((s) => s.parentSpanId === null)!.service;
  zipkinService = d.zipkin.find((s) => s.parentSpanId === null)!.service.toLowerCase();
});

const search = (service: string): TraceQuery => ({
  service,
  operation: null,
  attributes: [],
  minDurationUs: null,
  maxDurationUs: null,
  window,
  limit: 20,
});

/** The held ids come back with spans, the unknown one without. */
const tracesFound = (ids: () => TraceId[]) => (answer: unknown) => {
  const traces = answer as Array<BackendTrace | Error>;
  expect(traces.map((t) => (t instanceof Error ? t.message : t.spans.length > 0))).toEqual([...ids().map(() => true), false]);
};
const nonEmpty = (answer: unknown) => expect((answer as unknown[]).length).toBeGreaterThan(0);
const healthy = (answer: unknown) => expect(answer).toMatchObject({ healthy: true });

/** Every method a backend of each kind has, each with the requests it must make. */
function commonMethods(ids: () => TraceId[], service: () => string, idRequests: number): Method[] {
  return [
    { name: 'getTraces', run: (b, call) => b.getTraces([...ids(), UNKNOWN], call), minRequests: idRequests, check: tracesFound(ids) },
    { name: 'findTraces', run: (b, call) => b.findTraces(search(service()), call), minRequests: 1, check: nonEmpty },
    { name: 'getServices', run: (b, call) => b.getServices(call), minRequests: 1, check: nonEmpty },
    { name: 'getOperations', run: (b, call) => b.getOperations(service(), null, call), minRequests: 1, check: nonEmpty },
    { name: 'getDependencies', run: (b, call) => b.getDependencies(window, call), minRequests: 1 },
    { name: 'health', run: (b, call) => b.health(call), minRequests: 1, check: healthy },
  ];
}

const remoteServices: Method = { name: 'getRemoteServices', run: (b, call) => b.getRemoteServices!(zipkinService, call), minRequests: 1 };

const CASES: Case[] = [
  {
    // api `auto`: the first call probes both APIs; traces by id are one api_v3 call per id.
    name: 'jaeger (api auto: api_v3, v1 for dependencies)',
    target: ENDPOINTS.jaeger.query,
    make: (url, headers) => jaegerBackend({ url, headers }),
    methods: () =>
      commonMethods(
        () => jaegerIds,
        () => jaegerService,
        jaegerIds.length + 1,
      ),
  },
  {
    name: 'jaeger (api v1: multi-get in chunks of 2)',
    target: ENDPOINTS.jaeger.query,
    make: (url, headers) => jaegerBackend({ url, headers, api: 'v1', batchSize: 2 }),
    methods: () =>
      commonMethods(
        () => jaegerIds,
        () => jaegerService,
        Math.ceil((jaegerIds.length + 1) / 2),
      ),
  },
  {
    name: 'zipkin (traceMany in chunks of 2)',
    target: ENDPOINTS.zipkin,
    make: (url, headers) => zipkinBackend({ url, headers, batchSize: 2 }),
    methods: () => [
      ...commonMethods(
        () => zipkinIds,
        () => zipkinService,
        Math.ceil((zipkinIds.length + 1) / 2),
      ),
      remoteServices,
      { name: 'getAttributeKeys', run: (b, call) => b.getAttributeKeys!(call), minRequests: 1 },
      { name: 'getAttributeValues', run: (b, call) => b.getAttributeValues!('http.method', call), minRequests: 1 },
    ],
  },
  {
    name: 'elasticsearch (jaeger schema: one id per lookup, pages of 2)',
    target: ENDPOINTS.elasticsearch,
    make: (url, headers) => elasticsearchBackend('jaeger', { urls: [url], headers, pageSize: 2, maxTermsCount: 3 }),
    methods: () =>
      commonMethods(
        () => jaegerIds,
        () => jaegerService,
        jaegerIds.length + 1,
      ),
  },
  {
    name: 'elasticsearch (zipkin schema: one id per lookup, pages of 2)',
    target: ENDPOINTS.elasticsearch,
    make: (url, headers) => elasticsearchBackend('zipkin', { urls: [url], headers, pageSize: 2, maxTermsCount: 3 }),
    methods: () => [
      ...commonMethods(
        () => zipkinIds,
        () => zipkinService,
        zipkinIds.length + 1,
      ),
      remoteServices,
    ],
  },
];

/** Values of header `name` in one request, every line of it, compared case-insensitively. */
function valuesOf(request: RecordedRequest, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) if (request.rawHeaders[i]!.toLowerCase() === name) values.push(request.rawHeaders[i + 1]!);
  return values;
}

/**
 * Runs every method through `proxy` and returns the requests each one made. A point in time is closed
 * after the call returns (best effort, client.ts): wait for every close so none lands in the next method.
 */
async function requestsPerMethod(
  c: Case,
  proxy: CountingProxy,
  configured: Record<string, string>,
  headers: Record<string, string> | undefined,
): Promise<Array<{ method: Method; requests: RecordedRequest[] }>> {
  const backend = c.make(proxy.url, configured);
  try {
    const seen: Array<{ method: Method; requests: RecordedRequest[] }> = [];
    for (const method of c.methods()) {
      proxy.reset();
      const call: CallOptions = headers === undefined ? { signal: AbortSignal.timeout(30_000) } : { signal: AbortSignal.timeout(30_000), headers };
      const answer = await method.run(backend, call);
      method.check?.(answer);
      await vi.waitFor(() => expect(proxy.count('DELETE /_pit')).toBe(proxy.calls.filter((x) => /^POST \/[^?]+\/_pit/.test(x)).length));
      seen.push({ method, requests: [...proxy.requests] });
    }
    return seen;
  } finally {
    await backend.close();
  }
}

describe.each(CASES)('$name', (c) => {
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startCountingProxy(c.target);
  });
  afterAll(() => proxy.close());

  it("sends the caller's Authorization on every request of every method, in place of the configured one", async () => {
    const seen = await requestsPerMethod(c, proxy, CONFIGURED_HEADERS, CALL_HEADERS);
    for (const { method, requests } of seen) {
      expect(requests.length, `${method.name}: requests`).toBeGreaterThanOrEqual(method.minRequests);
      for (const request of requests) {
        expect(valuesOf(request, 'authorization'), `${method.name}: ${request.call}`).toEqual([CALLER]);
        expect(valuesOf(request, 'x-configured'), `${method.name}: ${request.call}`).toEqual(['kept']);
      }
    }
    // The paging paths ran: every lookup by id, and every point in time opened, carried the token.
    if (c.target === ENDPOINTS.elasticsearch) {
      const lookups = seen.find((s) => s.method.name === 'getTraces')!.requests.map((r) => r.call);
      expect(lookups.filter((x) => x === 'DELETE /_pit').length).toBeGreaterThan(0);
    }
  });

  it('sends only the configured headers when the call has none', async () => {
    const seen = await requestsPerMethod(c, proxy, CONFIGURED_HEADERS, undefined);
    for (const { method, requests } of seen) {
      expect(requests.length, `${method.name}: requests`).toBeGreaterThanOrEqual(method.minRequests);
      for (const request of requests) {
        expect(valuesOf(request, 'authorization'), `${method.name}: ${request.call}`).toEqual([CONFIGURED]);
        expect(valuesOf(request, 'x-configured'), `${method.name}: ${request.call}`).toEqual(['kept']);
        expect(request.rawHeaders.join('\n'), `${method.name}: ${request.call}`).not.toContain(CALLER);
      }
    }
  });

  it('sends no Authorization when neither the config nor the call has one', async () => {
    const seen = await requestsPerMethod(c, proxy, {}, undefined);
    for (const { method, requests } of seen) {
      expect(requests.length, `${method.name}: requests`).toBeGreaterThanOrEqual(method.minRequests);
      for (const request of requests) expect(valuesOf(request, 'authorization'), `${method.name}: ${request.call}`).toEqual([]);
    }
  });
});

describe('elasticsearch with credentials from `apiKey` (the client makes the configured authorization)', () => {
  const c: Case = {
    name: 'elasticsearch apiKey',
    target: ENDPOINTS.elasticsearch,
    make: (url, headers) => elasticsearchBackend('jaeger', { urls: [url], headers, apiKey: 'Y29uZmlndXJlZDprZXk=', pageSize: 2, maxTermsCount: 3 }),
    methods: () =>
      commonMethods(
        () => jaegerIds,
        () => jaegerService,
        jaegerIds.length + 1,
      ),
  };
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startCountingProxy(c.target);
  });
  afterAll(() => proxy.close());

  it.each([
    { description: "the caller's token replaces the API key", headers: CALL_HEADERS, expected: [CALLER] },
    { description: 'the API key without per-call headers', headers: undefined, expected: ['ApiKey Y29uZmlndXJlZDprZXk='] },
  ])('sends $description on every request', async ({ headers, expected }) => {
    for (const { method, requests } of await requestsPerMethod(c, proxy, {}, headers)) {
      expect(requests.length, `${method.name}: requests`).toBeGreaterThanOrEqual(method.minRequests);
      for (const request of requests) expect(valuesOf(request, 'authorization'), `${method.name}: ${request.call}`).toEqual(expected);
    }
  });
});
