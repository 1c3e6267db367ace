import { describe, expect, it } from 'vitest';
import { correctClockSkew, skewFor } from '../../src/federation/clock-skew.js';
import { buildTraceTree, stringAttr, type Span, type TraceWarning } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { MERGE_OPTIONS, runStep } from '../support/merge-step.js';

/** The clock-skew step alone, on the tree build-tree would have made of `spans`. */
const skew = (spans: Span[], maxClockSkewUs: number, warnings: TraceWarning[]): Span[] =>
  runStep(correctClockSkew, spans, warnings, { options: { maxClockSkewUs }, withTree: true });

type Kind = 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER' | 'UNSPECIFIED';
const timed = ([startTimeUs, durationUs]: number[], kind: Kind = 'UNSPECIFIED') => ({
  startTimeUs: startTimeUs!,
  // null stands for "no duration recorded" (a Zipkin span without `duration`).
  durationUs: durationUs ?? 0,
  isDurationKnown: durationUs !== null,
  kind,
});

describe('skewFor', () => {
  it.each([
    { description: 'child inside parent needs nothing', child: [120, 50], parent: [100, 100], want: 0 },
    { description: 'child starting before parent is centred', child: [50, 40], parent: [100, 100], want: 80 },
    { description: 'child ending after parent, on an edge that may be asynchronous, is left', child: [180, 40], parent: [100, 100], want: 0 },
    { description: 'child longer than parent starting early moves to parent start', child: [50, 300], parent: [100, 100], want: 50 },
    { description: 'child longer than parent starting late is left', child: [150, 300], parent: [100, 100], want: 0 },
    // An unknown duration is unknown, not 0 µs: a parent without a known end proves nothing about its children's ends.
    { description: 'async gap: parent without duration, child 400 ms later, is left', child: [400_100, 50], parent: [100, null], want: 0 },
    { description: 'child without duration after its parent starts is left', child: [400_100, null], parent: [100, 100], want: 0 },
    { description: 'async gap: neither has a duration, child 400 ms later, is left', child: [400_100, null], parent: [100, null], want: 0 },
    { description: 'child without duration starting early moves to parent start', child: [50, null], parent: [100, 100], want: 50 },
    { description: 'parent without duration, child starting early moves to parent start', child: [50, 40], parent: [100, null], want: 50 },
    { description: 'a child piece without a recorded start (0) is left', child: [0, null], parent: [100, 100], want: 0 },
  ])('$description', ({ child, parent, want }) => {
    expect(skewFor(timed(child as number[]), timed(parent as number[]))).toBe(want);
  });

  it.each([
    { description: 'a message handled after its producer ended', parentKind: 'PRODUCER' as const, childKind: 'CONSUMER' as const },
    { description: 'a consumer under a client', parentKind: 'CLIENT' as const, childKind: 'CONSUMER' as const },
    // A SERVER directly under a SERVER: the client call between them was not traced, it may be one-way.
    { description: 'a server under a server', parentKind: 'SERVER' as const, childKind: 'SERVER' as const },
  ])('does not call an asynchronous child that outlives its parent skewed: $description', ({ parentKind, childKind }) => {
    expect(skewFor(timed([180, 40], childKind), timed([100, 100], parentKind))).toBe(0);
    // Starting before its producer is still impossible.
    expect(skewFor(timed([50, 40], childKind), timed([100, 100], parentKind))).toBe(80);
  });

  it('corrects a synchronous server that ends after its client', () => {
    expect(skewFor(timed([180, 40], 'SERVER'), timed([100, 100], 'CLIENT'))).toBe(-50);
  });
});

describe('correctClockSkew', () => {
  it('shifts a child on another host into its parent and its events with it', () => {
    const warnings: TraceWarning[] = [];
    const parent = makeSpan('a', { service: 'web', startTimeUs: 1_000, durationUs: 1_000 });
    const child = makeSpan('b', {
      parent: 'a',
      service: 'api',
      startTimeUs: 500,
      durationUs: 200,
      events: [{ name: 'e', timeUs: 550, attributes: [] }],
    });
    const [, fixed] = skew([parent, child], 10_000_000, warnings);
    expect(fixed!.startTimeUs).toBe(1_400);
    expect(fixed!.events[0]!.timeUs).toBe(1_450);
    expect(fixed!.clockSkewAdjustmentUs).toBe(900);
    expect(warnings.map((w) => w.code)).toEqual(['CLOCK_SKEW_ADJUSTED']);
  });

  it('reports a shift once: a trace warning naming the span, the amount on the span, no span warning', () => {
    const warnings: TraceWarning[] = [];
    const parent = makeSpan('a', { service: 'web', startTimeUs: 1_000, durationUs: 1_000 });
    const child = makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 500, durationUs: 200, warnings: ['from the backend'] });
    const grandchild = makeSpan('c', { parent: 'b', service: 'api', startTimeUs: 550, durationUs: 50 });
    const [, fixed, follower] = skew([parent, child, grandchild], 10_000_000, warnings);
    expect(warnings.map((w) => [w.code, w.spanId])).toEqual([['CLOCK_SKEW_ADJUSTED', child.spanId]]);
    expect([fixed!.clockSkewAdjustmentUs, follower!.clockSkewAdjustmentUs]).toEqual([900, 900]);
    expect([fixed!.warnings, follower!.warnings]).toEqual([['from the backend'], []]);
  });

  it('leaves the span objects in place and tells the tree their new order', () => {
    // b (api, skewed) starts before c (web) as reported, after it once corrected: children re-sorted.
    const spans = [
      makeSpan('a', { service: 'web', startTimeUs: 1_000, durationUs: 1_000 }),
      makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 500, durationUs: 200 }),
      makeSpan('c', { parent: 'a', service: 'web', startTimeUs: 1_100, durationUs: 100 }),
    ];
    const ctx = { traceId: spans[0]!.traceId, options: { ...MERGE_OPTIONS }, tree: buildTraceTree(spans) };
    const result = correctClockSkew(spans, ctx);
    expect(result.spans).toEqual(spans);
    expect(result.spans.every((s, i) => s === spans[i])).toBe(true);
    expect(ctx.tree.childrenOf(spans[0]!).map((s) => s.spanId)).toEqual([spans[2]!.spanId, spans[1]!.spanId]);
  });

  it('does nothing with raw or with clockSkew off', () => {
    for (const options of [{ raw: true }, { clockSkew: 'off' as const }]) {
      const warnings: TraceWarning[] = [];
      const spans = [
        makeSpan('a', { service: 'web', startTimeUs: 1_000, durationUs: 1_000 }),
        makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 500, durationUs: 200 }),
      ];
      expect(runStep(correctClockSkew, spans, warnings, { options }).map((s) => s.startTimeUs)).toEqual([1_000, 500]);
      expect(warnings).toEqual([]);
    }
  });

  it('moves spans on the same host as the skewed child by the same amount', () => {
    const warnings: TraceWarning[] = [];
    const spans = [
      makeSpan('a', { service: 'web', startTimeUs: 1_000, durationUs: 1_000 }),
      makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 500, durationUs: 200 }),
      makeSpan('c', { parent: 'b', service: 'api', startTimeUs: 550, durationUs: 50 }),
    ];
    const fixed = skew(spans, 10_000_000, warnings);
    expect(fixed[2]!.startTimeUs).toBe(1_450);
    expect(warnings).toHaveLength(1);
  });

  it('leaves a child on the same host alone even when it sticks out', () => {
    const warnings: TraceWarning[] = [];
    const spans = [makeSpan('a', { startTimeUs: 1_000, durationUs: 100 }), makeSpan('b', { parent: 'a', startTimeUs: 900, durationUs: 50 })];
    expect(skew(spans, 10_000_000, warnings)[1]!.startTimeUs).toBe(900);
    expect(warnings).toEqual([]);
  });

  it('uses host.name over service to decide what shares a clock', () => {
    const warnings: TraceWarning[] = [];
    const host = [stringAttr('host.name', 'box-1')];
    const spans = [
      makeSpan('a', { service: 'web', resource: host, startTimeUs: 1_000, durationUs: 100 }),
      makeSpan('b', { parent: 'a', service: 'sidecar', resource: host, startTimeUs: 900, durationUs: 50 }),
    ];
    expect(skew(spans, 10_000_000, warnings)[1]!.startTimeUs).toBe(900);
  });

  it('refuses a shift beyond the limit and says so', () => {
    const warnings: TraceWarning[] = [];
    const spans = [
      makeSpan('a', { service: 'web', startTimeUs: 10_000_000, durationUs: 1_000 }),
      makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 1, durationUs: 200 }),
    ];
    const fixed = skew(spans, 1_000_000, warnings);
    expect(fixed[1]!.startTimeUs).toBe(1);
    expect(warnings.map((w) => w.code)).toEqual(['CLOCK_SKEW_TOO_LARGE']);
  });

  it('puts the server half of a shared span inside its client half', () => {
    const warnings: TraceWarning[] = [];
    const spans = [
      makeSpan('a', { service: 'web', kind: 'CLIENT', startTimeUs: 1_000, durationUs: 1_000 }),
      makeSpan('a', { service: 'api', kind: 'SERVER', isSharedServer: true, startTimeUs: 2_500, durationUs: 600 }),
    ];
    const fixed = skew(spans, 10_000_000, warnings);
    expect(fixed[1]!.startTimeUs).toBe(1_200);
  });

  it('leaves an asynchronous gap after a client without duration as reported', () => {
    // Zipkin: a one-way client half (no duration) and its server half 400 ms later, on another host.
    const warnings: TraceWarning[] = [];
    const spans = [
      makeSpan('a', { service: 'web', startTimeUs: 1_000, durationUs: 10_000_000 }),
      makeSpan('b', { parent: 'a', service: 'web', kind: 'CLIENT', startTimeUs: 2_000, durationUs: 0, isDurationKnown: false }),
      makeSpan('b', { service: 'worker', kind: 'SERVER', isSharedServer: true, startTimeUs: 402_000, durationUs: 5_000 }),
      makeSpan('c', { service: 'web', kind: 'CLIENT', parent: 'a', startTimeUs: 3_000, durationUs: 0, isDurationKnown: false }),
      makeSpan('c', { service: 'mailer', kind: 'SERVER', isSharedServer: true, startTimeUs: 403_000, durationUs: 0, isDurationKnown: false }),
    ];
    const fixed = skew(spans, 10_000_000, warnings);
    expect(fixed.map((s) => s.startTimeUs)).toEqual([1_000, 2_000, 402_000, 3_000, 403_000]);
    expect(warnings).toEqual([]);
  });
});
