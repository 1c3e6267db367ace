import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

describe('GraphQL over HTTP on the embedded demo data', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  it('goes from searchTraces to a trace to spans with events', async () => {
    const search = await gw.query(`{
      searchTraces(query: { window: { lookback: "2h" }, limit: 500 }, first: 50) {
        totalCount
        edges { cursor node { traceId rootService rootOperation spanCount errorCount durationUs services } }
        pageInfo { hasNextPage endCursor }
        backendStatus { backend state }
        isComplete
      }
    }`);
    expect(search.errors).toBeUndefined();
    const connection = search.data.searchTraces;
    expect(connection.totalCount).toBeGreaterThan(100);
    expect(connection.edges).toHaveLength(50);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(connection.backendStatus).toEqual([{ backend: 'demo', state: 'OK' }]);
    expect(connection.isComplete).toBe(true);

    const withErrors = connection.edges.find((e: any) => e.node.errorCount > 0)?.node;
    expect(withErrors).toBeDefined();
    const trace = await gw.query(
      `query ($id: ID!) { trace(id: $id) {
        traceId spanCount errorCount services
        rootSpan { spanId parentSpanId name service }
        spans { spanId parentSpanId name service kind startTimeUs durationUs status { code message }
                children { spanId } parent { spanId }
                events { name timeUs time attributes { key type value } }
                attributes { key type value } backend sources }
        errorSpans { spanId status { code message } }
        backendStatus { backend state }
      } }`,
      { id: withErrors.traceId },
    );
    expect(trace.errors).toBeUndefined();
    const t = trace.data.trace;
    expect(t.traceId).toBe(withErrors.traceId);
    expect(t.spans).toHaveLength(withErrors.spanCount);
    expect(t.spanCount).toBe(withErrors.spanCount);
    expect(t.errorSpans.length).toBe(withErrors.errorCount);
    expect(t.spans[0].spanId).toBe(t.rootSpan.spanId);
    expect(t.rootSpan.parentSpanId).toBeNull();
    expect(t.services).toEqual(withErrors.services);
    for (const span of t.spans) {
      expect(span.sources).toEqual(['demo']);
      expect(span.backend).toBe('demo');
      if (span.parentSpanId) expect(span.parent.spanId).toBe(span.parentSpanId);
      for (const child of span.children) expect(t.spans.find((s: any) => s.spanId === child.spanId).parentSpanId).toBe(span.spanId);
    }
    expect(t.errorSpans.every((s: any) => s.status.code === 'ERROR')).toBe(true);
  });

  it('pages through search results with cursors without repeating a trace', async () => {
    const page = async (after: string | null) =>
      (
        await gw.query(
          `query ($after: String) { searchTraces(query: { window: { lookback: "2h" }, limit: 30 }, first: 20, after: $after) {
          edges { cursor node { traceId startTimeUs } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
          { after },
        )
      ).data.searchTraces;
    const first = await page(null);
    const second = await page(first.pageInfo.endCursor);
    expect(first.edges).toHaveLength(20);
    expect(second.edges).toHaveLength(10);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const ids = [...first.edges, ...second.edges].map((e: any) => e.node.traceId);
    expect(new Set(ids).size).toBe(30);
    const starts = [...first.edges, ...second.edges].map((e: any) => e.node.startTimeUs);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('lists events of a trace filtered by name', async () => {
    const search = await gw.query(
      `{ searchTraces(query: { window: { lookback: "2h" }, limit: 1000 }, first: 200) { edges { node { traceId errorCount } } } }`,
    );
    const ids: string[] = search.data.searchTraces.edges.filter((e: any) => e.node.errorCount > 0).map((e: any) => e.node.traceId);
    const result = await gw.query(
      `query ($ids: [ID!]!) { traces(ids: $ids) { traceId events { name spanId } exceptions: events(filter: { name: "exception" }) { name time service } } }`,
      {
        ids: ids.slice(0, 20),
      },
    );
    expect(result.errors).toBeUndefined();
    const traces = result.data.traces;
    const all = traces.flatMap((t: any) => t.events);
    const exceptions = traces.flatMap((t: any) => t.exceptions);
    expect(all.length).toBeGreaterThan(exceptions.length);
    expect(exceptions.length).toBeGreaterThan(0);
    expect(exceptions.every((e: any) => e.name === 'exception')).toBe(true);
  });

  it('answers services, operations, dependencies and backends', async () => {
    const result = await gw.query(`{
      services { services { name sources } isComplete }
      operations(service: "checkout-service") { operations { name spanKind } }
      serverOps: operations(service: "checkout-service", spanKind: SERVER) { operations { name spanKind } }
      dependencies(window: { lookback: "2h" }) { edges { parent child callCount } services }
      backends { name kind healthy isDefault capabilities { batchGetTraces } }
    }`);
    expect(result.errors).toBeUndefined();
    const { services, operations, serverOps, dependencies, backends } = result.data;
    expect(services.services.map((s: any) => s.name)).toContain('checkout-service');
    expect(services.services[0].sources).toEqual(['demo']);
    expect(operations.operations.length).toBeGreaterThan(serverOps.operations.length);
    expect(serverOps.operations.every((o: any) => o.spanKind === 'SERVER')).toBe(true);
    expect(dependencies.edges.length).toBeGreaterThan(3);
    expect(dependencies.edges.every((e: any) => e.callCount > 0 && e.parent !== e.child)).toBe(true);
    expect(backends).toEqual([{ name: 'demo', kind: 'memory', healthy: true, isDefault: true, capabilities: { batchGetTraces: true } }]);
  });

  it('returns null for a trace no backend holds', async () => {
    const result = await gw.query(`{ trace(id: "0123456789abcdef") { traceId } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.trace).toBeNull();
  });

  it('serves /healthz, /readyz and the offline explorer', async () => {
    const base = gw.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', backends: [{ name: 'demo', healthy: true }] });
    const page = await fetch(`${base}/explorer`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    for (const asset of ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css']) {
      const response = await fetch(`${base}/explorer/assets/${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(1_000);
    }
  });
});
