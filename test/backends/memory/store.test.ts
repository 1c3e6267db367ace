import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BackendDeps, CallOptions, TraceQuery } from '../../../src/backends/backend.js';
import { MemoryBackend, memoryBackendFactory, TraceFileLoadError, type MemoryBackendConfig } from '../../../src/backends/memory/index.js';
import { BackendError } from '../../../src/errors.js';
import { newSpan, parseSpanId, parseTraceId, stringAttr, type TraceId } from '../../../src/model/index.js';
import { expectJaegerInt64Spans } from '../int64-expectations.js';
import { IDS, smallDataset, T0 } from './small-dataset.js';
import { spansOf } from '../../support/spans-of.js';

const call = (): CallOptions => ({ signal: new AbortController().signal });
const WINDOW = { startUs: T0, endUs: T0 + 2_000_000 };
const ALL: TraceQuery = { service: null, operation: null, attributes: [], minDurationUs: null, maxDurationUs: null, window: WINDOW, limit: 100 };

function loaded(): MemoryBackend {
  const backend = new MemoryBackend('mem');
  backend.addSpans(smallDataset());
  return backend;
}

const silent: BackendDeps['logger'] = { info() {}, warn() {}, error() {} };
const config = (fields: Partial<MemoryBackendConfig>): MemoryBackendConfig =>
  memoryBackendFactory.configSchema.parse({ name: 'mem', kind: 'memory', ...fields });

describe('findTraces semantics', () => {
  const { CHECKOUT, HOME, SHIPPING, FAST, SLOW, SEARCH } = IDS;
  const cases: Array<{ description: string; query: Partial<TraceQuery>; expected: TraceId[] }> = [
    {
      description: 'an empty query finds every trace, newest start first, equal starts by trace id',
      query: {},
      expected: [SEARCH, FAST, SLOW, SHIPPING, HOME, CHECKOUT],
    },
    { description: 'a service matches a trace holding any span of it', query: { service: 'payments' }, expected: [CHECKOUT] },
    { description: 'a shared server span counts for its own service', query: { service: 'api' }, expected: [HOME] },
    { description: 'service names compare case-sensitively', query: { service: 'WEB' }, expected: [] },
    {
      description: 'the operation is the span name of a span of the service',
      query: { service: 'web', operation: 'GET /home' },
      expected: [FAST, SLOW, HOME],
    },
    { description: "another service's operation does not match", query: { service: 'payments', operation: 'GET /home' }, expected: [] },
    {
      description: 'an INT attribute compares as its decimal text',
      query: { service: 'web', attributes: [{ key: 'http.response.status_code', value: '502' }] },
      expected: [CHECKOUT],
    },
    { description: 'a DOUBLE attribute compares as its text', query: { attributes: [{ key: 'app.amount', value: '12.5' }] }, expected: [CHECKOUT] },
    { description: 'a BOOL attribute compares as true/false', query: { attributes: [{ key: 'app.retried', value: 'true' }] }, expected: [CHECKOUT] },
    {
      description: 'a resource attribute matches like a span attribute',
      query: { attributes: [{ key: 'host.name', value: 'api-1' }] },
      expected: [HOME],
    },
    { description: 'an attribute nobody has matches nothing', query: { attributes: [{ key: 'no.such.key', value: 'x' }] }, expected: [] },
    { description: 'error=true means a span with status ERROR', query: { attributes: [{ key: 'error', value: 'true' }] }, expected: [CHECKOUT] },
    {
      description: 'error=true must hold on a span of the service',
      query: { service: 'api', attributes: [{ key: 'error', value: 'true' }] },
      expected: [],
    },
    {
      description: 'error=false means a span without status ERROR',
      query: { service: 'payments', attributes: [{ key: 'error', value: 'false' }] },
      expected: [CHECKOUT],
    },
    {
      description: 'service and attribute must be on the same span',
      query: { service: 'web', attributes: [{ key: 'db.system', value: 'postgresql' }] },
      expected: [],
    },
    {
      description: 'service and attribute on one span match',
      query: { service: 'payments', attributes: [{ key: 'db.system', value: 'postgresql' }] },
      expected: [CHECKOUT],
    },
    {
      description: 'two attributes must be on the same span',
      query: {
        attributes: [
          { key: 'http.route', value: '/checkout' },
          { key: 'db.system', value: 'postgresql' },
        ],
      },
      expected: [],
    },
    {
      description: 'two attributes on one span match',
      query: {
        service: 'web',
        attributes: [
          { key: 'http.route', value: '/home' },
          { key: 'http.response.status_code', value: '200' },
        ],
      },
      expected: [FAST, SLOW, HOME],
    },
    { description: 'minDuration bounds the matching span', query: { service: 'web', minDurationUs: 100_000 }, expected: [SLOW] },
    { description: 'maxDuration bounds the matching span', query: { service: 'web', maxDurationUs: 10_000 }, expected: [FAST] },
    { description: 'duration bounds are inclusive', query: { service: 'web', minDurationUs: 20_000, maxDurationUs: 20_000 }, expected: [HOME] },
    { description: 'min and max must hold on the same span', query: { service: 'web', minDurationUs: 41_000, maxDurationUs: 49_000 }, expected: [] },
    {
      description: 'the matching span must start inside the window, not merely the trace overlap it',
      query: { service: 'web', window: { startUs: T0 + 2_000, endUs: WINDOW.endUs } },
      expected: [SEARCH, FAST, SLOW, HOME],
    },
    { description: 'the window includes both ends', query: { window: { startUs: T0 + 300_000, endUs: T0 + 300_000 } }, expected: [FAST, SLOW] },
    { description: 'a window before every trace finds nothing', query: { window: { startUs: 1, endUs: T0 - 1 } }, expected: [] },
    { description: 'limit keeps the newest traces', query: { limit: 2 }, expected: [SEARCH, FAST] },
    { description: 'limit 0 finds nothing', query: { limit: 0 }, expected: [] },
  ];

  it.each(cases)('$description', async ({ query, expected }) => {
    const backend = loaded();
    const found = await backend.findTraces({ ...ALL, ...query }, call());
    expect(found.map((s) => s.traceId)).toEqual(expected);
  });

  it('summarises the whole trace, not only the matching span', async () => {
    const [summary] = await loaded().findTraces({ ...ALL, service: 'payments', operation: 'orders publish' }, call());
    expect(summary).toEqual({
      traceId: IDS.CHECKOUT,
      rootService: 'web',
      rootOperation: 'POST /checkout',
      startTimeUs: T0,
      durationUs: 50_000,
      spanCount: 5,
      errorCount: 3,
      services: ['payments', 'web'],
      sources: ['mem'],
    });
  });

  it('does not depend on the order spans were added in', async () => {
    const backend = new MemoryBackend('mem');
    backend.addSpans(smallDataset().reverse());
    expect((await backend.findTraces(ALL, call())).map((s) => s.traceId)).toEqual([
      IDS.SEARCH,
      IDS.FAST,
      IDS.SLOW,
      IDS.SHIPPING,
      IDS.HOME,
      IDS.CHECKOUT,
    ]);
  });
});

describe('getDependencies', () => {
  it('counts one call per client → server pair whose services differ, and the failed ones', async () => {
    expect(await loaded().getDependencies(WINDOW, call())).toEqual([
      { parent: 'web', child: 'api', callCount: 1, errorCount: 0 },
      { parent: 'web', child: 'catalog', callCount: 1, errorCount: 0 },
      { parent: 'web', child: 'payments', callCount: 1, errorCount: 1 },
    ]);
  });

  it('counts only calls whose child span starts inside the window', async () => {
    expect(await loaded().getDependencies({ startUs: T0 + 100_000, endUs: T0 + 150_000 }, call())).toEqual([
      { parent: 'web', child: 'api', callCount: 1, errorCount: 0 },
    ]);
  });

  it('adds up calls across traces', async () => {
    const backend = loaded();
    const trace = parseTraceId('c0ffee');
    backend.addSpans([
      newSpan({ traceId: trace, spanId: parseSpanId('1'), name: 'GET /', kind: 'CLIENT', service: 'web', startTimeUs: T0 + 500_000, durationUs: 10 }),
      newSpan({
        traceId: trace,
        spanId: parseSpanId('2'),
        parentSpanId: parseSpanId('1'),
        name: 'GET /',
        kind: 'SERVER',
        service: 'api',
        startTimeUs: T0 + 500_001,
        durationUs: 5,
        status: { code: 'ERROR', message: 'boom' },
      }),
    ]);
    expect((await backend.getDependencies(WINDOW, call())).find((e) => e.child === 'api')).toEqual({
      parent: 'web',
      child: 'api',
      callCount: 2,
      errorCount: 1,
    });
  });

  it('follows Zipkin shared spans of a real recorded trace', async () => {
    const file = fileURLToPath(new URL('../../fixtures/public/zipkin/yelp-shared-spans.json', import.meta.url));
    const backend = memoryBackendFactory.create(config({ files: [file] }), { logger: silent });
    expect(await backend.getDependencies({ startUs: 0, endUs: Number.MAX_SAFE_INTEGER }, call())).toEqual([
      { parent: 'mobile_api', child: 'spectre', callCount: 1, errorCount: 0 },
      { parent: 'routing', child: 'unknown', callCount: 1, errorCount: 0 },
      { parent: 'routing', child: 'yelp-main', callCount: 1, errorCount: 0 },
      { parent: 'unknown', child: 'yelp_main/api_proxy', callCount: 1, errorCount: 0 },
      { parent: 'yelp-main', child: 'mobile_api', callCount: 1, errorCount: 0 },
      { parent: 'yelp_main/api_proxy', child: 'yelp-main', callCount: 2, errorCount: 0 },
    ]);
  });
});

describe('getTraces', () => {
  it('answers in the order asked, [] for unknown ids, a copy for each repeated id', async () => {
    const backend = loaded();
    const unknown = parseTraceId('dead');
    const [home, none, checkout, homeAgain] = spansOf(await backend.getTraces([IDS.HOME, unknown, IDS.CHECKOUT, IDS.HOME], call()));
    expect([home!.length, none, checkout!.length]).toEqual([4, [], 5]);
    expect(homeAgain).toEqual(home);
    expect(homeAgain).not.toBe(home);
    expect(homeAgain![0]).not.toBe(home![0]);
  });

  it('names itself as the only source, whatever the added spans said', async () => {
    const backend = new MemoryBackend('mem');
    backend.addSpans(smallDataset().map((s) => ({ ...s, sources: ['somewhere-else'] })));
    const [spans] = spansOf(await backend.getTraces([IDS.CHECKOUT], call()));
    expect(spans!.map((s) => s.sources)).toEqual([['mem'], ['mem'], ['mem'], ['mem'], ['mem']]);
  });

  it('keeps its own copy of added spans', async () => {
    const backend = new MemoryBackend('mem');
    const spans = smallDataset();
    backend.addSpans(spans);
    spans[0]!.name = 'changed after adding';
    spans[0]!.attributes[0]!.value = 'changed';
    const [stored] = spansOf(await backend.getTraces([IDS.CHECKOUT], call()));
    expect([stored![0]!.name, stored![0]!.attributes[0]!.value]).toEqual(['POST /checkout', '/checkout']);
  });

  it('hands out copies: mutating an answer changes nothing stored', async () => {
    const backend = loaded();
    const [first] = spansOf(await backend.getTraces([IDS.CHECKOUT], call()));
    first![2]!.events[0]!.attributes.push(stringAttr('mutated', 'yes'));
    first![2]!.status.code = 'OK';
    const [second] = spansOf(await backend.getTraces([IDS.CHECKOUT], call()));
    expect(second![2]!.events[0]!.attributes.map((a) => a.key)).toEqual(['exception.type', 'exception.message']);
    expect(second![2]!.status.code).toBe('ERROR');
  });

  it('replaces a span added twice and forgets the old copy’s operation', async () => {
    const backend = loaded();
    const renamed = smallDataset().find((s) => s.spanId === parseSpanId('c4'))!;
    backend.addSpans([{ ...renamed, name: 'SELECT payments.refunds' }]);
    const [spans] = spansOf(await backend.getTraces([IDS.CHECKOUT], call()));
    expect(spans!.filter((s) => s.name.startsWith('SELECT')).map((s) => s.name)).toEqual(['SELECT payments.refunds']);
    expect((await backend.getOperations('payments', 'CLIENT', call())).map((o) => o.name)).toEqual(['SELECT payments.refunds']);
    expect([backend.traceCount, backend.spanCount]).toEqual([6, 16]);
  });
});

describe('services, operations and autocomplete', () => {
  it('lists services sorted', async () => {
    expect(await loaded().getServices(call())).toEqual(['api', 'catalog', 'payments', 'shipping', 'web']);
  });

  it('lists each (name, kind) pair of a service once, by name then kind', async () => {
    expect(await loaded().getOperations('web', null, call())).toEqual([
      { name: 'GET /api/home', spanKind: 'CLIENT' },
      { name: 'GET /home', spanKind: 'SERVER' },
      { name: 'GET /search', spanKind: 'SERVER' },
      { name: 'POST /checkout', spanKind: 'SERVER' },
      { name: 'POST /pay', spanKind: 'CLIENT' },
      { name: 'catalog.Catalog/Search', spanKind: 'CLIENT' },
    ]);
  });

  it('filters operations by span kind, and answers [] for an unknown service', async () => {
    const backend = loaded();
    expect(await backend.getOperations('payments', 'SERVER', call())).toEqual([{ name: 'POST /pay', spanKind: 'SERVER' }]);
    expect(await backend.getOperations('nobody', null, call())).toEqual([]);
  });

  it('offers attribute keys and the short values seen for a key', async () => {
    const backend = loaded();
    expect(await backend.getAttributeKeys(call())).toEqual([
      'app.amount',
      'app.retried',
      'db.statement',
      'db.system',
      'host.name',
      'http.response.status_code',
      'http.route',
      'messaging.destination.name',
      'messaging.system',
      'peer.service',
      'rpc.grpc.status_code',
      'rpc.system',
      'service.version',
    ]);
    expect(await backend.getAttributeValues('http.route', call())).toEqual(['/api/home', '/checkout', '/home', '/pay', '/search']);
  });

  it('reports itself healthy with what it holds', async () => {
    expect(await loaded().health(call())).toEqual({ healthy: true, latencyMs: 0, detail: '6 traces, 16 spans in memory', version: null });
  });
});

describe('call.signal', () => {
  const aborted = (): CallOptions => ({ signal: AbortSignal.abort() });
  it.each([
    { method: 'getTraces', run: (b: MemoryBackend) => b.getTraces([IDS.HOME], aborted()) },
    { method: 'findTraces', run: (b: MemoryBackend) => b.findTraces(ALL, aborted()) },
    { method: 'getServices', run: (b: MemoryBackend) => b.getServices(aborted()) },
    { method: 'getOperations', run: (b: MemoryBackend) => b.getOperations('web', null, aborted()) },
    { method: 'getDependencies', run: (b: MemoryBackend) => b.getDependencies(WINDOW, aborted()) },
    { method: 'getAttributeKeys', run: (b: MemoryBackend) => b.getAttributeKeys(aborted()) },
  ])('$method rejects an already-aborted call with BACKEND_TIMEOUT', async ({ run }) => {
    await expect(run(loaded())).rejects.toMatchObject({ name: 'BackendError', code: 'BACKEND_TIMEOUT', backend: 'mem' });
  });

  it('stops a scan of a large store when the signal aborts midway', async () => {
    const backend = new MemoryBackend('mem');
    backend.addSpans(
      Array.from({ length: 30_000 }, (_, i) =>
        newSpan({
          traceId: parseTraceId((i + 1).toString(16)),
          spanId: parseSpanId('1'),
          name: 'op',
          service: 'svc',
          startTimeUs: T0 + i,
          durationUs: 1,
        }),
      ),
    );
    const controller = new AbortController();
    // Queued before the scan starts: it runs when the scan first yields to the event loop.
    setImmediate(() => controller.abort());
    const error = await backend.findTraces(ALL, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe('BACKEND_TIMEOUT');
    expect(controller.signal.aborted).toBe(true);
  });
});

describe('memoryBackendFactory', () => {
  it('defaults to an empty store: no demo, seed 42, no files', () => {
    expect(config({})).toEqual({
      name: 'mem',
      kind: 'memory',
      timeoutMs: 5_000,
      enabled: true,
      circuitBreaker: { enabled: true, consecutiveFailures: 5, halfOpenAfterMs: 5_000 },
      hedge: { enabled: false, minDelayMs: 50 },
      demo: false,
      demoSeed: 42,
      files: [],
    });
    expect((memoryBackendFactory.create(config({}), { logger: silent }) as MemoryBackend).traceCount).toBe(0);
  });

  it('loads the demo data when asked', async () => {
    const backend = memoryBackendFactory.create(config({ demo: true }), { logger: silent }) as MemoryBackend;
    expect(backend.traceCount).toBe(300);
    expect((await backend.getServices(call())).length).toBe(10);
    expect(backend.capabilities).toEqual({
      batchGetTraces: true,
      searchByAttributes: true,
      searchWithoutService: true,
      searchByDuration: true,
      operationsBySpanKind: true,
      dependencies: true,
    });
  });

  it('loads trace files, stamping its own name as the source', async () => {
    const file = fileURLToPath(new URL('../../fixtures/public/zipkin/yelp-shared-spans.json', import.meta.url));
    const backend = memoryBackendFactory.create(config({ name: 'uploads', files: [file] }), { logger: silent });
    const [spans] = spansOf(await backend.getTraces([parseTraceId('a03ee8fff1dcd9b9')], call()));
    expect(spans!.length).toBe(16);
    expect(new Set(spans!.map((s) => s.sources.join()))).toEqual(new Set(['uploads']));
  });

  it.each([
    { description: 'a file that does not exist', write: null },
    { description: 'a file that is not JSON', write: 'not json at all' },
    { description: 'JSON that is no trace format', write: '{"hello": "world"}' },
  ])('stops start-up naming $description', ({ write }) => {
    const dir = mkdtempSync(join(tmpdir(), 'tracegate-memory-'));
    const file = join(dir, 'traces.json');
    if (write !== null) writeFileSync(file, write);
    let error: unknown;
    try {
      memoryBackendFactory.create(config({ files: [file] }), { logger: silent });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TraceFileLoadError);
    expect((error as TraceFileLoadError).file).toBe(file);
    expect((error as Error).message).toContain(`cannot load trace file '${file}'`);
  });

  it('rejects a config with a non-integer seed or a non-list of files', () => {
    expect(memoryBackendFactory.configSchema.safeParse({ name: 'mem', kind: 'memory', demoSeed: 1.5 }).success).toBe(false);
    expect(memoryBackendFactory.configSchema.safeParse({ name: 'mem', kind: 'memory', files: 'a.json' }).success).toBe(false);
  });
});

describe('trace files named in backends[].files', () => {
  it('keep int64 values beyond 2^53 exact through start-up loading and getTraces', async () => {
    const file = fileURLToPath(new URL('../../fixtures/int64/jaeger-v1-int64-tags-beyond-2-53.json', import.meta.url));
    const backend = memoryBackendFactory.create(config({ name: 'uploads', files: [file] }), { logger: silent });
    const [spans] = spansOf(await backend.getTraces([parseTraceId('a64')], call()));
    expectJaegerInt64Spans(spans!);
  });
});
