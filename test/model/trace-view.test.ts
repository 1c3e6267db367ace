import { describe, expect, it } from 'vitest';
import { mergeTrace } from '../../src/federation/merge.js';
import { TraceView, TraceViews } from '../../src/model/index.js';
import { makeSpan, TRACE } from '../support/make-span.js';
import { MERGE_OPTIONS } from '../support/merge-step.js';

describe('TraceViews', () => {
  const spans = [makeSpan('a'), makeSpan('b', { parent: 'a', startTimeUs: 1_010, durationUs: 50 })];
  const adjusted = mergeTrace(TRACE, [spans], MERGE_OPTIONS);
  const raw = mergeTrace(TRACE, [spans], { ...MERGE_OPTIONS, raw: true });

  it('finds the view of the merged trace a span was served in, among several merges of the same spans', () => {
    const views = new TraceViews();
    const first = new TraceView(adjusted, []);
    const second = new TraceView(raw, []);
    views.add(first);
    views.add(second);
    expect(views.viewOf(raw.spans[1]!)).toBe(second);
    expect(views.viewOf(adjusted.spans[1]!)).toBe(first);
    expect(views.viewOf(raw.spans[0]!)).toBe(second);
  });

  it('knows nothing of spans its request was not served (another request, or a backend’s own objects)', () => {
    const views = new TraceViews();
    views.add(new TraceView(adjusted, []));
    expect(views.viewOf(raw.spans[0]!)).toBeUndefined();
    expect(views.viewOf(spans[0]!)).toBeUndefined();
  });

  it('answers for every view of one merged trace with one of them (they share the tree)', () => {
    const views = new TraceViews();
    const first = new TraceView(adjusted, []);
    views.add(first);
    views.add(new TraceView(adjusted, [{ backend: 'b2', kind: 'memory', state: 'OK', latencyMs: 1, code: null, reason: null, cached: true }]));
    expect(views.viewOf(adjusted.spans[1]!)?.tree).toBe(adjusted.tree);
  });
});
