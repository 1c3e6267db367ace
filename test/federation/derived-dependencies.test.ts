import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { MemoryBackend } from '../../src/backends/memory/index.js';
import { parseConfig } from '../../src/config/index.js';
import { BackendError } from '../../src/errors.js';
import { createDeadline, dependencyGraph, type FanOutOptions, type Gateway } from '../../src/federation/index.js';
import type { GraphRequest } from '../../src/federation/derived-dependencies.js';
import { createLoaders } from '../../src/loaders/create-loaders.js';
import { parseTraceId, TraceViews } from '../../src/model/index.js';
import { ServiceGrant } from '../../src/tenancy/service-grant.js';
import { CountingBackend } from '../support/counting-backend.js';
import { makeSpan } from '../support/make-span.js';
import { MERGE_OPTIONS } from '../support/merge-step.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const WINDOW = { startUs: 0, endUs: 10_000_000 };

/** `count` traces, each a frontend call (held by `front`) into payments (held by `back`). */
function splitTraces(count: number): { front: MemoryBackend; back: MemoryBackend } {
  const front = new MemoryBackend('front');
  const back = new MemoryBackend('back');
  for (let i = 0; i < count; i++) {
    const traceId = parseTraceId((i + 1).toString(16));
    const startTimeUs = 1_000_000 + i * 1_000;
    front.addSpans([makeSpan('a', { traceId, service: 'frontend', kind: 'CLIENT', startTimeUs })]);
    back.addSpans([makeSpan('b', { traceId, service: 'payments', kind: 'SERVER', parent: 'a', startTimeUs: startTimeUs + 10 })]);
  }
  return { front, back };
}

/** What a request context hands the graph, the cache on unless `cache: false`. */
function request(derived: Record<string, unknown>, options: { cache?: boolean; fanOut?: Partial<FanOutOptions> } = {}): GraphRequest {
  const federation = parseConfig({ federation: { derivedDependencies: derived } }).federation;
  const fanOut: FanOutOptions = { deadline: createDeadline(5_000), timeoutMs: () => 1_000, ...options.fanOut };
  return {
    gateway: { federation },
    fanOut,
    // The request path's own loaders: batching, and the tenant's grant applied to every trace.
    loaders: createLoaders({ mergeOptions: () => MERGE_OPTIONS } as unknown as Gateway, fanOut, new TraceViews()),
    tenant: null,
    cache: options.cache === false ? undefined : {},
  };
}

const edgesOf = (graph: Awaited<ReturnType<typeof dependencyGraph>>) =>
  graph.items.map((e) => [e.item.parent, e.item.child, e.item.callCount, e.derived, e.tracesSeen]);

describe('dependencyGraph', () => {
  it('adds the edge of traces split between two backends, with what it sampled', async () => {
    const { front, back } = splitTraces(3);
    const graph = await dependencyGraph(WINDOW, [front, back], request({}));
    expect(edgesOf(graph)).toEqual([['frontend', 'payments', 3, true, 3]]);
    expect(graph.derivation).toMatchObject({ tracesSampled: 3, servicesSearched: 2, truncated: false, limitsHit: [], cached: false });
    // Service lists 2, searches 2 × 2, one trace batch 2.
    expect(graph.derivation!.backendCalls).toBe(2 + 4 + 2);
  });

  it('answers the backends own graph alone when derivation is off', async () => {
    const { front, back } = splitTraces(1);
    const graph = await dependencyGraph(WINDOW, [front, back], request({ enabled: false }));
    expect(graph.items).toEqual([]);
    expect(graph.derivation).toBeNull();
  });

  it('serves a complete derived graph from the cache: no backend searched again', async () => {
    const { front, back } = splitTraces(2);
    const counted = [new CountingBackend(front), new CountingBackend(back)];
    const req = request({});
    const first = await dependencyGraph(WINDOW, counted, req);
    for (const b of counted) b.reset();
    const second = await dependencyGraph(WINDOW, counted, req);
    expect(second.derivation).toEqual({ ...first.derivation, cached: true });
    expect(edgesOf(second)).toEqual(edgesOf(first));
    expect(counted.map((b) => [b.count('findTraces'), b.count('getTraces'), b.count('getServices')])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it.each([
    ['the cache is off', {}, { cache: false }],
    ['a backend failed', {}, { broken: true }],
    ['the time budget stopped the sample', { timeBudgetMs: 1 }, { slow: true }],
  ] as const)('samples again when %s', async (_, derived, how) => {
    const { front, back } = splitTraces(2);
    const extra: Backend[] = [];
    if ('broken' in how) extra.push(new ScriptedBackend('broken', { fail: new BackendError('BACKEND_UNAVAILABLE', 'broken', 'refused') }));
    // Five services answered slowly: the second round of searches would start after the budget.
    if ('slow' in how) extra.push(new ScriptedBackend('slow', { delayMs: 20, services: ['s1', 's2', 's3', 's4', 's5'] }));
    const req = request(derived, { cache: !('cache' in how) });
    const first = await dependencyGraph(WINDOW, [front, back, ...extra], req);
    const second = await dependencyGraph(WINDOW, [front, back, ...extra], req);
    expect(second.derivation!.cached).toBe(false);
    if ('broken' in how) expect(first.outcomes.filter((o) => o.state === 'FAILED').map((o) => o.backend)).toContain('broken');
    if ('slow' in how) expect(first.derivation!.limitsHit).toEqual(['timeBudget']);
  });

  it('reports the limits that cut the sample', async () => {
    const { front, back } = splitTraces(5);
    const byTraces = await dependencyGraph(WINDOW, [front, back], request({ maxTraces: 2 }));
    expect(byTraces.derivation).toMatchObject({ tracesSampled: 2, truncated: true, limitsHit: ['maxTraces'] });
    expect(edgesOf(byTraces)).toEqual([['frontend', 'payments', 2, true, 2]]);
    const byServices = await dependencyGraph(WINDOW, [front, back], request({ maxServices: 1, tracesPerService: 2 }));
    // frontend alone is searched (alphabetically first), its two newest traces fetched.
    expect(byServices.derivation).toMatchObject({ servicesSearched: 1, tracesSampled: 2, limitsHit: ['maxServices', 'tracesPerService'] });
  });

  it('leaves out an edge the tenant may not see', async () => {
    const { front, back } = splitTraces(1);
    const grant = new ServiceGrant(new Set(['frontend']));
    const graph = await dependencyGraph(WINDOW, [front, back], request({}, { fanOut: { services: grant } }));
    expect(graph.items).toEqual([]);
  });
});
