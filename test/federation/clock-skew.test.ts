import { describe, expect, it } from 'vitest';
import { correctClockSkew, skewFor } from '../../src/federation/clock-skew.js';
import { stringAttr, type TraceWarning } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';

describe('skewFor', () => {
  it.each([
    { description: 'child inside parent needs nothing', child: [120, 50], parent: [100, 100], want: 0 },
    { description: 'child starting before parent is centred', child: [50, 40], parent: [100, 100], want: 80 },
    { description: 'child ending after parent is centred', child: [180, 40], parent: [100, 100], want: -50 },
    { description: 'child longer than parent starting early moves to parent start', child: [50, 300], parent: [100, 100], want: 50 },
    { description: 'child longer than parent starting late is left', child: [150, 300], parent: [100, 100], want: 0 },
  ])('$description', ({ child, parent, want }) => {
    expect(skewFor({ startTimeUs: child[0]!, durationUs: child[1]! }, { startTimeUs: parent[0]!, durationUs: parent[1]! })).toBe(want);
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
    const [, fixed] = correctClockSkew([parent, child], 10_000_000, warnings);
    expect(fixed!.startTimeUs).toBe(1_400);
    expect(fixed!.events[0]!.timeUs).toBe(1_450);
    expect(fixed!.clockSkewAdjustmentUs).toBe(900);
    expect(warnings.map((w) => w.code)).toEqual(['CLOCK_SKEW_ADJUSTED']);
  });

  it('moves spans on the same host as the skewed child by the same amount', () => {
    const warnings: TraceWarning[] = [];
    const spans = [
      makeSpan('a', { service: 'web', startTimeUs: 1_000, durationUs: 1_000 }),
      makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 500, durationUs: 200 }),
      makeSpan('c', { parent: 'b', service: 'api', startTimeUs: 550, durationUs: 50 }),
    ];
    const fixed = correctClockSkew(spans, 10_000_000, warnings);
    expect(fixed[2]!.startTimeUs).toBe(1_450);
    expect(warnings).toHaveLength(1);
  });

  it('leaves a child on the same host alone even when it sticks out', () => {
    const warnings: TraceWarning[] = [];
    const spans = [makeSpan('a', { startTimeUs: 1_000, durationUs: 100 }), makeSpan('b', { parent: 'a', startTimeUs: 900, durationUs: 50 })];
    expect(correctClockSkew(spans, 10_000_000, warnings)[1]!.startTimeUs).toBe(900);
    expect(warnings).toEqual([]);
  });

  it('uses host.name over service to decide what shares a clock', () => {
    const warnings: TraceWarning[] = [];
    const host = [stringAttr('host.name', 'box-1')];
    const spans = [
      makeSpan('a', { service: 'web', resource: host, startTimeUs: 1_000, durationUs: 100 }),
      makeSpan('b', { parent: 'a', service: 'sidecar', resource: host, startTimeUs: 900, durationUs: 50 }),
    ];
    expect(correctClockSkew(spans, 10_000_000, warnings)[1]!.startTimeUs).toBe(900);
  });

  it('refuses a shift beyond the limit and says so', () => {
    const warnings: TraceWarning[] = [];
    const spans = [
      makeSpan('a', { service: 'web', startTimeUs: 10_000_000, durationUs: 1_000 }),
      makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 0, durationUs: 200 }),
    ];
    const fixed = correctClockSkew(spans, 1_000_000, warnings);
    expect(fixed[1]!.startTimeUs).toBe(0);
    expect(warnings.map((w) => w.code)).toEqual(['CLOCK_SKEW_TOO_LARGE']);
  });

  it('puts the server half of a shared span inside its client half', () => {
    const warnings: TraceWarning[] = [];
    const spans = [
      makeSpan('a', { service: 'web', kind: 'CLIENT', startTimeUs: 1_000, durationUs: 1_000 }),
      makeSpan('a', { service: 'api', kind: 'SERVER', isSharedServer: true, startTimeUs: 2_500, durationUs: 600 }),
    ];
    const fixed = correctClockSkew(spans, 10_000_000, warnings);
    expect(fixed[1]!.startTimeUs).toBe(1_200);
  });
});
