/**
 * The service graph from merged traces (issue 17) against the harness's real servers: gateways over
 * the real Jaeger and Zipkin, and over the Elasticsearch those servers' twins write to, answer
 * `dependencies` with the edges only merged traces show, and those equal the graph computed offline
 * from the dataset's own spans (test/support/dataset/dependencies.ts, no Tracegate code). The Jaeger
 * and Zipkin dependency routes Tracegate serves show the same graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpBase } from '../support/api-diff/http.js';
import type { IntegrationDataset } from '../support/dataset/dataset.js';
import { offlineGraph, type OfflineEdge } from '../support/dataset/dependencies.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { BACKEND_CONFIG, loadedDataset } from '../support/real-backends.js';

const QUERY = `query ($start: DateTime!, $end: DateTime!) {
  dependencies(window: { start: $start, end: $end }) {
    edges { parent child callCount errorCount sources derived tracesSeen }
    isComplete
    derivation { tracesSampled servicesSearched backendCalls truncated limitsHit latencyMs cached }
  }
}`;

/** Every dataset trace, with room to spare: nothing the dataset holds is cut. */
const WHOLE = { tracesPerService: 100, maxTraces: 1_000, maxServices: 100, timeBudgetMs: 30_000 };

interface Edge {
  parent: string;
  child: string;
  callCount: number;
  errorCount: number | null;
  sources: string[];
  derived: boolean;
  tracesSeen: number | null;
}

let dataset: IntegrationDataset;
let vars: { start: string; end: string };
/** The same window in ms for the Jaeger and Zipkin routes. */
let endTs: number;
const lookback = 120_000;
const gateways: TestGateway[] = [];

async function gateway(backends: object[], derived: object, cache = false): Promise<TestGateway> {
  const started = await startGateway({ backends, cache: { enabled: cache }, federation: { derivedDependencies: derived } });
  gateways.push(started);
  return started;
}

async function graph(g: TestGateway): Promise<{ edges: Edge[]; isComplete: boolean; derivation: any }> {
  const answer = await g.query(QUERY, vars);
  expect(answer.errors).toBeUndefined();
  return answer.data.dependencies;
}

beforeAll(() => {
  dataset = loadedDataset();
  // The dataset spans base .. base + 7 s: a two-minute window around it holds all of it and nothing else.
  const startMs = Math.floor(dataset.baseUs / 1000) - 60_000;
  endTs = startMs + lookback;
  vars = { start: new Date(startMs).toISOString(), end: new Date(endTs).toISOString() };
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
});

const asDerived = (e: OfflineEdge): Edge => ({ ...e, derived: true });

describe('over Elasticsearch (no dependency job: every edge is derived)', () => {
  it('answers the graph computed offline from every dataset trace', async () => {
    const g = await gateway([BACKEND_CONFIG.esJaeger, BACKEND_CONFIG.esZipkin], WHOLE);
    const answer = await graph(g);
    const offline = offlineGraph(dataset, { jaeger: 'es-jaeger', zipkin: 'es-zipkin' }, false);
    expect(offline.length).toBeGreaterThan(10);
    expect(answer.edges).toEqual(offline.map(asDerived));
    expect(answer.derivation).toMatchObject({ tracesSampled: 8 + dataset.generated.length, truncated: false, limitsHit: [], cached: false });
    expect(answer.isComplete).toBe(true);
  });
});

describe('over the real Jaeger and Zipkin', () => {
  let own: Edge[];
  let derived: TestGateway;

  beforeAll(async () => {
    own = (await graph(await gateway([BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin], { enabled: false }))).edges;
    derived = await gateway([BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin], WHOLE);
  });

  it("adds the SPLIT and SKEWED traces' cross-backend calls to the servers' own graphs, counts summed", async () => {
    const cross = offlineGraph(dataset, { jaeger: 'jaeger', zipkin: 'zipkin' }, true);
    // The two calls from a Jaeger-reporting service into payments, which reports to Zipkin.
    expect(cross.map((e) => `${e.parent}->${e.child} ${e.callCount}/${e.errorCount} in ${e.tracesSeen}`)).toEqual([
      'checkout->payments 1/0 in 1',
      'frontend->payments 1/0 in 1',
    ]);
    const answer = await graph(derived);
    const byKey = new Map(own.map((e) => [`${e.parent}->${e.child}`, { ...e, derived: false, tracesSeen: null } as Edge]));
    for (const c of cross) {
      const key = `${c.parent}->${c.child}`;
      const mine = byKey.get(key);
      byKey.set(
        key,
        mine === undefined
          ? asDerived(c)
          : {
              ...mine,
              callCount: mine.callCount + c.callCount,
              errorCount: mine.errorCount === null ? c.errorCount : mine.errorCount + c.errorCount,
              derived: true,
              tracesSeen: c.tracesSeen,
            },
      );
    }
    const want = [...byKey.values()].sort((a, b) => (a.parent === b.parent ? (a.child < b.child ? -1 : 1) : a.parent < b.parent ? -1 : 1));
    expect(answer.edges.map(({ sources: _, ...e }) => e)).toEqual(want.map(({ sources: _, ...e }) => e));
    const split = answer.edges.find((e) => e.parent === 'checkout' && e.child === 'payments')!;
    // Jaeger counts CHECKOUT's call from its own traces; SPLIT's call no backend saw adds one.
    expect(split).toMatchObject({
      derived: true,
      tracesSeen: 1,
      callCount: own.find((e) => e.parent === 'checkout' && e.child === 'payments')!.callCount + 1,
    });
    expect([...split.sources].sort()).toEqual(['jaeger', 'zipkin']);
    expect(answer.isComplete).toBe(true);
  });

  it('shows the same graph through the Jaeger and Zipkin dependency routes', async () => {
    const answer = await graph(derived);
    const base = httpBase(derived.url);
    const jaeger = (await (await fetch(`${base}/api/dependencies?endTs=${endTs}&lookback=${lookback}`)).json()) as any;
    expect(jaeger.errors).toBeNull();
    expect(jaeger.data).toEqual(answer.edges.map((e) => ({ parent: e.parent, child: e.child, callCount: e.callCount })));
    const zipkin = (await (await fetch(`${base}/api/v2/dependencies?endTs=${endTs}&lookback=${lookback}`)).json()) as any[];
    expect(zipkin).toEqual(
      answer.edges.map((e) => ({ parent: e.parent, child: e.child, callCount: e.callCount, ...(e.errorCount ? { errorCount: e.errorCount } : {}) })),
    );
    expect(zipkin.find((e) => e.parent === 'frontend' && e.child === 'payments')).toEqual({ parent: 'frontend', child: 'payments', callCount: 1 });
  });

  it('reports a sample cut by tracesPerService, its backend calls, and serves it from the cache the second time', async () => {
    const cut = await gateway([BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin], { tracesPerService: 1 }, true);
    const first = await graph(cut);
    const { tracesSampled, servicesSearched, backendCalls } = first.derivation;
    expect(first.derivation).toMatchObject({ truncated: true, limitsHit: ['tracesPerService'], cached: false });
    expect(tracesSampled).toBeGreaterThan(0);
    expect(tracesSampled).toBeLessThanOrEqual(servicesSearched);
    // Both backends: one service list each, one search each per service, one trace batch each.
    expect(backendCalls).toBe(2 + 2 * servicesSearched + 2);
    const second = await graph(cut);
    expect(second.derivation).toEqual({ ...first.derivation, cached: true });
    expect(second.edges).toEqual(first.edges);
  });
});
