import { describe, expect, it, vi } from 'vitest';
import { MERGE_STEPS, mergeTrace } from '../../src/federation/merge.js';
import { buildTraceTree, TraceView } from '../../src/model/index.js';
import { makeSpan, TRACE } from '../support/make-span.js';
import { MERGE_OPTIONS } from '../support/merge-step.js';

// Counts the trees built: the merge must build one per trace, whatever the steps and fields need.
vi.mock('../../src/model/trace-tree.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/model/trace-tree.js')>();
  return { ...actual, buildTraceTree: vi.fn(actual.buildTraceTree) };
});

describe('the merge steps', () => {
  it('run in the documented order', () => {
    expect(MERGE_STEPS.map((s) => s.name)).toEqual(['normalise-ids', 'dedupe', 'build-tree', 'clock-skew', 'order-spans']);
  });
});

describe('buildTree', () => {
  // b runs on another host and starts before its parent: clock skew moves it behind c.
  const jaeger = [
    makeSpan('a', { service: 'web', startTimeUs: 1_000, durationUs: 1_000, sources: ['jaeger'] }),
    makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 500, durationUs: 200, sources: ['jaeger'] }),
    makeSpan('c', { parent: 'a', service: 'web', startTimeUs: 1_100, durationUs: 100, sources: ['jaeger'] }),
  ];
  const zipkin = [
    makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 500, durationUs: 200, sources: ['zipkin'] }),
    makeSpan('d', { parent: 'f', service: 'web', startTimeUs: 1_300 }),
  ];

  it('builds the tree once per merged trace, for clock skew, ordering and every field of its views', () => {
    const built = vi.mocked(buildTraceTree);
    built.mockClear();
    const trace = mergeTrace(TRACE, [jaeger, zipkin], MERGE_OPTIONS);
    const view = new TraceView(trace, []);
    const [a, c, b, d] = trace.spans;
    expect([a, c, b, d].map((s) => s!.spanId.replace(/^0+/, ''))).toEqual(['a', 'c', 'b', 'd']);
    expect(view.tree.childrenOf(a!)).toEqual([c, b]);
    expect(view.tree.parentOf(b!)).toBe(a);
    expect(view.tree.roots).toEqual([a, d]);
    expect(trace.warnings.map((w) => w.code)).toEqual(['CLOCK_SKEW_ADJUSTED', 'ORPHAN_SPAN']);
    expect(built).toHaveBeenCalledTimes(1);
  });

  it('gives the merged trace its own span objects, never the backends’ (their answers are shared)', () => {
    const trace = mergeTrace(TRACE, [jaeger, zipkin], { ...MERGE_OPTIONS, raw: true });
    const inputs = new Set([...jaeger, ...zipkin]);
    expect(trace.spans.some((s) => inputs.has(s))).toBe(false);
    expect(jaeger[1]!.startTimeUs).toBe(500);
    expect(trace.tree.holds(trace.spans[0]!)).toBe(true);
    expect(trace.tree.holds(jaeger[0]!)).toBe(false);
  });
});
