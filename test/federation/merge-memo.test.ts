import { describe, expect, it } from 'vitest';
import { mergeTraceMemoised } from '../../src/federation/merge-memo.js';
import { TraceView } from '../../src/model/index.js';
import { makeSpan, TRACE } from '../support/make-span.js';

const options = { raw: false, lenientTraceIds: false, maxClockSkewUs: 600_000_000, clockSkew: 'provable' as const };

describe('mergeTraceMemoised', () => {
  const a = [makeSpan('a'), makeSpan('b', { parent: 'a', startTimeUs: 1_010, durationUs: 50 })];
  const b = [makeSpan('b', { parent: 'a', startTimeUs: 1_010, durationUs: 50, sources: ['b2'] })];

  it('answers the same inputs (by identity) with the same merged trace', () => {
    const first = mergeTraceMemoised(TRACE, [a, b], options);
    expect(mergeTraceMemoised(TRACE, [a, b], options)).toBe(first);
    expect(first.spans.map((s) => s.spanId)).toEqual([a[0]!.spanId, a[1]!.spanId]);
  });

  it('merges again when any input array, its order or an option differs', () => {
    const first = mergeTraceMemoised(TRACE, [a, b], options);
    expect(mergeTraceMemoised(TRACE, [a, [...b]], options)).not.toBe(first);
    expect(mergeTraceMemoised(TRACE, [b, a], options)).not.toBe(first);
    expect(mergeTraceMemoised(TRACE, [a, b], { ...options, raw: true })).not.toBe(first);
  });

  it('lets views of one merged trace share the tree, each keeping its own outcomes', () => {
    const trace = mergeTraceMemoised(TRACE, [a, b], options);
    const v1 = new TraceView(trace, []);
    const v2 = new TraceView(trace, [{ backend: 'b2', kind: 'memory', state: 'OK', latencyMs: 1, code: null, reason: null, cached: true }]);
    expect(v2.tree).toBe(v1.tree);
    expect(v1.tree).toBe(trace.tree);
    expect(v1.backendStatus).toEqual([]);
    expect(v1.tree.parentOf(trace.spans[1]!)).toBe(trace.spans[0]);
  });
});
