/**
 * Cross-backend correlation against the real servers: traces whose spans live in Jaeger and Zipkin
 * come back as one correct tree through the GraphQL API (issue 5). Expectations come from the
 * dataset the servers were loaded with (test/support/dataset/dataset.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../../src/model/index.js';
import { SKEW_US, TRACE_IDS, type IntegrationDataset } from '../../support/dataset/dataset.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { BACKEND_CONFIG, loadedDataset } from '../../support/real-backends.js';
import { SEARCH_QUERY, SERVICES_QUERY, TRACE_QUERY } from './queries.js';

let gateway: TestGateway;
let dataset: IntegrationDataset;

beforeAll(async () => {
  dataset = loadedDataset();
  // No cache: every answer here comes from the servers.
  gateway = await startGateway({ backends: [BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin], cache: { enabled: false } });
});
afterAll(() => gateway.close());

const spansOf = (list: readonly Span[], id: string) => list.filter((s) => s.traceId === id);

async function trace(id: string, extra: Record<string, unknown> = {}) {
  const response = await gateway.query(TRACE_QUERY, { id, ...extra });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data.trace;
}

describe('a trace split between Jaeger and Zipkin', () => {
  it('comes back whole and equal to the original, each span tagged with the backend that held it', async () => {
    const t = await trace(TRACE_IDS.SPLIT);
    const jaegerHalf = spansOf(dataset.jaeger, TRACE_IDS.SPLIT);
    const zipkinHalf = spansOf(dataset.zipkin, TRACE_IDS.SPLIT);
    expect(jaegerHalf).toHaveLength(4);
    expect(zipkinHalf).toHaveLength(4);
    expect(t.isComplete).toBe(true);
    expect(t.spanCount).toBe(8);
    expect(t.warnings).toEqual([]);
    expect(t.topLevelSpans.map((s: { spanId: string }) => s.spanId)).toEqual(['0000000000000510']);
    expect(t.sources).toEqual(
      expect.arrayContaining([
        { backend: 'jaeger', spanCount: 4 },
        { backend: 'zipkin', spanCount: 4 },
      ]),
    );
    const original = [...jaegerHalf.map((s) => [s, 'jaeger'] as const), ...zipkinHalf.map((s) => [s, 'zipkin'] as const)];
    // Root first, then depth-first: the chain comes back in order.
    expect(t.spans.map((s: { spanId: string }) => s.spanId)).toEqual(original.map(([s]) => s.spanId));
    for (const [s, backend] of original) {
      const got = t.spans.find((x: { spanId: string }) => x.spanId === s.spanId);
      expect(got, s.spanId).toMatchObject({
        parentSpanId: s.parentSpanId,
        name: s.name,
        kind: s.kind,
        service: s.service,
        startTimeUs: s.startTimeUs,
        durationUs: s.durationUs,
        sources: [backend],
        backend,
        clockSkewAdjustmentUs: 0,
      });
      expect(got.attributes).toContainEqual({ key: 'hop', value: backend === 'jaeger' ? s.attributes[0]!.value : String(s.attributes[0]!.value) });
    }
    expect(t.services.sort()).toEqual(['checkout', 'frontend', 'ledger', 'payments']);
  });

  it("answers only the asked backend's half, with orphans reported, when a query names one backend", async () => {
    const t = await trace(TRACE_IDS.SPLIT, { backends: ['zipkin'] });
    expect(t.spanCount).toBe(4);
    expect(t.backendStatus.map((b: { backend: string }) => b.backend)).toEqual(['zipkin']);
    expect(t.warnings).toContainEqual(expect.objectContaining({ code: 'ORPHAN_SPAN', spanId: '0000000000000514' }));
    expect(t.rootSpan.spanId).toBe('0000000000000514');
  });
});

describe('the same trace in Jaeger and Zipkin', () => {
  it('is folded into one copy of each span, listing both backends', async () => {
    const t = await trace(TRACE_IDS.BOTH);
    const original = spansOf(dataset.jaeger, TRACE_IDS.BOTH);
    expect(t.spanCount).toBe(original.length);
    expect(t.sources).toEqual(
      expect.arrayContaining([
        { backend: 'jaeger', spanCount: 3 },
        { backend: 'zipkin', spanCount: 3 },
      ]),
    );
    for (const s of original) {
      const got = t.spans.find((x: { spanId: string }) => x.spanId === s.spanId);
      expect(got.sources.sort()).toEqual(['jaeger', 'zipkin']);
      expect(got).toMatchObject({
        name: s.name,
        service: s.service,
        parentSpanId: s.parentSpanId,
        startTimeUs: s.startTimeUs,
        durationUs: s.durationUs,
      });
      expect(got.events).toEqual(s.events.map((e) => ({ name: e.name, timeUs: e.timeUs })));
    }
    expect(t.spans.find((x: { spanId: string }) => x.spanId === '00000000000000b3').status).toEqual({ code: 'ERROR', message: 'token expired' });
    expect(t.warnings.filter((w: { code: string }) => w.code === 'CONFLICTING_DUPLICATE')).toEqual([]);
  });
});

describe('a trace with a skewed host clock', () => {
  const SERVER = '0000000000005c03';
  const CLIENT = '0000000000005c02';

  it('shifts the child that started before its parent back inside it, with a warning', async () => {
    const t = await trace(TRACE_IDS.SKEWED);
    const client = t.spans.find((s: { spanId: string }) => s.spanId === CLIENT);
    const server = t.spans.find((s: { spanId: string }) => s.spanId === SERVER);
    const original = spansOf(dataset.zipkin, TRACE_IDS.SKEWED)[0]!;
    expect(server.clockSkewAdjustmentUs).toBeGreaterThan(0);
    expect(server.startTimeUs).toBe(original.startTimeUs + server.clockSkewAdjustmentUs);
    expect(server.startTimeUs).toBeGreaterThanOrEqual(client.startTimeUs);
    expect(server.startTimeUs + server.durationUs).toBeLessThanOrEqual(client.startTimeUs + client.durationUs);
    // The real skew was 2.5 s; the correction may land anywhere inside the parent.
    expect(Math.abs(server.clockSkewAdjustmentUs - SKEW_US)).toBeLessThan(client.durationUs);
    expect(server.durationUs).toBe(original.durationUs);
    expect(t.warnings).toContainEqual(expect.objectContaining({ code: 'CLOCK_SKEW_ADJUSTED', spanId: SERVER }));
  });

  it('returns the times exactly as reported when asked for raw', async () => {
    const t = await trace(TRACE_IDS.SKEWED, { raw: true });
    const server = t.spans.find((s: { spanId: string }) => s.spanId === SERVER);
    expect(server.startTimeUs).toBe(spansOf(dataset.zipkin, TRACE_IDS.SKEWED)[0]!.startTimeUs);
    expect(server.clockSkewAdjustmentUs).toBe(0);
    expect(t.warnings.filter((w: { code: string }) => w.code.startsWith('CLOCK_SKEW'))).toEqual([]);
  });
});

describe('search and metadata across backends', () => {
  const window = () => ({
    start: new Date(dataset.baseUs / 1000 - 60_000).toISOString(),
    end: new Date(dataset.baseUs / 1000 + 600_000).toISOString(),
  });

  it('merges search results by trace id with summaries over the merged trace', async () => {
    const response = await gateway.query(SEARCH_QUERY, { query: { service: 'frontend', window: window(), limit: 100 }, first: 100 });
    expect(response.errors).toBeUndefined();
    const nodes = response.data.searchTraces.edges.map((e: { node: any }) => e.node);
    const ids = nodes.map((n: { traceId: string }) => n.traceId);
    expect(new Set(ids).size).toBe(ids.length);
    const all = [...dataset.jaeger, ...dataset.zipkin];
    const expected = [...new Set(all.filter((s) => s.service === 'frontend').map((s) => s.traceId))];
    expect([...ids].sort()).toEqual([...expected].sort());
    const split = nodes.find((n: { traceId: string }) => n.traceId === TRACE_IDS.SPLIT);
    expect(split).toMatchObject({ spanCount: 8, rootService: 'frontend', rootOperation: 'POST /pay' });
    expect(split.services.sort()).toEqual(['checkout', 'frontend', 'ledger', 'payments']);
    expect(split.sources.sort()).toEqual(['jaeger', 'zipkin']);
    expect(nodes.find((n: { traceId: string }) => n.traceId === TRACE_IDS.BOTH).spanCount).toBe(3);
    // Newest first.
    const starts = nodes.map((n: { startTimeUs: number }) => n.startTimeUs);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('limits the merged results to the newest traces', async () => {
    const response = await gateway.query(SEARCH_QUERY, { query: { service: 'frontend', window: window(), limit: 3 }, first: 10 });
    const nodes = response.data.searchTraces.edges.map((e: { node: any }) => e.node);
    const all = [...dataset.jaeger, ...dataset.zipkin].filter((s) => s.service === 'frontend');
    const startOf = new Map<string, number>();
    for (const s of [...dataset.jaeger, ...dataset.zipkin]) startOf.set(s.traceId, Math.min(startOf.get(s.traceId) ?? Infinity, s.startTimeUs));
    const newest = [...new Set(all.map((s) => s.traceId))].sort((a, b) => startOf.get(b)! - startOf.get(a)!).slice(0, 3);
    expect(nodes.map((n: { traceId: string }) => n.traceId)).toEqual(newest);
  });

  it('lists services as the union of both backends, each with the backends that know it', async () => {
    const response = await gateway.query(SERVICES_QUERY);
    const services: Array<{ name: string; sources: string[] }> = response.data.services.services;
    const names = services.map((s) => s.name);
    for (const name of new Set(dataset.jaeger.map((s) => s.service))) expect(services.find((s) => s.name === name)?.sources).toContain('jaeger');
    for (const name of new Set(dataset.zipkin.map((s) => s.service))) expect(services.find((s) => s.name === name)?.sources).toContain('zipkin');
    expect(services.find((s) => s.name === 'frontend')?.sources.sort()).toEqual(['jaeger', 'zipkin']);
    expect(names).toEqual([...names].sort());
  });
});
