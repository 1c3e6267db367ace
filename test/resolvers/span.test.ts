/**
 * Span.parent and Span.children answer from the tree of the trace the span was served in. Backend
 * answers from the cache are shared arrays, so two merges of one trace (another backend selection,
 * `raw`, another request) start from the same span objects; each merged trace must still navigate
 * by its own tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../src/backends/memory/index.js';
import { makeSpan } from '../support/make-span.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

const NAV = `spans { spanId parent { spanId } children { spanId } } topLevelSpans { spanId }`;
const short = (id: string | undefined | null) => (id == null ? null : id.replace(/^0+/, ''));

describe('Span.parent and Span.children', () => {
  let gw: TestGateway;
  let traceId: string;
  beforeAll(async () => {
    // `a` holds the root r and a child c whose parent m only `b` holds; c is an orphan without `b`.
    const a = new MemoryBackend('a');
    const b = new MemoryBackend('b');
    const r = makeSpan('1', { service: 'web', startTimeUs: 1_000, durationUs: 1_000 });
    a.addSpans([r, makeSpan('3', { parent: '2', service: 'web', startTimeUs: 1_200, durationUs: 100 })]);
    b.addSpans([makeSpan('2', { parent: '1', service: 'web', startTimeUs: 1_100, durationUs: 500 })]);
    traceId = r.traceId;
    gw = await startGateway(
      {
        backends: [
          { kind: 'memory', name: 'a' },
          { kind: 'memory', name: 'b' },
        ],
        cache: { enabled: true },
      },
      [a, b],
    );
  });
  afterAll(() => gw.close());

  const parents = (trace: { spans: Array<{ spanId: string; parent: { spanId: string } | null }> }) =>
    Object.fromEntries(trace.spans.map((s) => [short(s.spanId), short(s.parent?.spanId)]));

  it('navigates each merge of one trace in one request by its own tree', async () => {
    // Warm the cache, so both fields below merge the same cached answer of `a`.
    await gw.query(`query ($id: ID!) { trace(id: $id, backends: ["a"]) { spanCount } }`, { id: traceId });
    const r = await gw.query(
      `query ($id: ID!) { one: trace(id: $id, backends: ["a"]) { ${NAV} } both: trace(id: $id, backends: ["a", "b"]) { ${NAV} } }`,
      { id: traceId },
    );
    expect(r.errors).toBeUndefined();
    expect(parents(r.data.one)).toEqual({ '1': null, '3': null });
    expect(parents(r.data.both)).toEqual({ '1': null, '2': '1', '3': '2' });
    expect(r.data.one.topLevelSpans.map((s: { spanId: string }) => short(s.spanId))).toEqual(['1', '3']);
    expect(r.data.one.spans[0].children).toEqual([]);
  });

  it('navigates by the tree of its own request when another request merged the trace otherwise', async () => {
    const [one, both] = await Promise.all([
      gw.query(`query ($id: ID!) { trace(id: $id, backends: ["a"]) { ${NAV} } }`, { id: traceId }),
      gw.query(`query ($id: ID!) { trace(id: $id, backends: ["a", "b"]) { ${NAV} } }`, { id: traceId }),
    ]);
    expect(parents(one.data.trace)).toEqual({ '1': null, '3': null });
    expect(parents(both.data.trace)).toEqual({ '1': null, '2': '1', '3': '2' });
  });
});
