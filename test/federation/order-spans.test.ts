import { describe, expect, it } from 'vitest';
import { orderSpans } from '../../src/federation/order-spans.js';
import type { Span, TraceWarning } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { runStep } from '../support/merge-step.js';

/** The order-spans step alone, on the tree build-tree would have made of `spans`. */
const orderAsTree = (spans: Span[], warnings: TraceWarning[]): Span[] => runStep(orderSpans, spans, warnings, { withTree: true });

const ids = (spans: Array<{ spanId: string }>): string[] => spans.map((s) => s.spanId.replace(/^0+/, ''));

describe('orderSpans', () => {
  it('orders root first, then depth-first by start time', () => {
    const warnings: TraceWarning[] = [];
    const out = orderAsTree(
      [
        makeSpan('c', { parent: 'a', startTimeUs: 3 }),
        makeSpan('b', { parent: 'a', startTimeUs: 2 }),
        makeSpan('d', { parent: 'b', startTimeUs: 4 }),
        makeSpan('a', { startTimeUs: 1 }),
      ],
      warnings,
    );
    expect(ids(out)).toEqual(['a', 'b', 'd', 'c']);
    expect(warnings).toEqual([]);
  });

  it('reports an orphan whose parent no backend holds and keeps it', () => {
    const warnings: TraceWarning[] = [];
    const out = orderAsTree([makeSpan('a', { startTimeUs: 1 }), makeSpan('b', { parent: 'f', startTimeUs: 2 })], warnings);
    expect(ids(out)).toEqual(['a', 'b']);
    expect(warnings.map((w) => [w.code, w.spanId])).toEqual([['ORPHAN_SPAN', '000000000000000b']]);
  });

  it('prefers a true root over an earlier orphan', () => {
    const warnings: TraceWarning[] = [];
    const out = orderAsTree([makeSpan('b', { parent: 'f', startTimeUs: 1 }), makeSpan('a', { startTimeUs: 5 })], warnings);
    expect(ids(out)[0]).toBe('a');
  });

  it('chooses among several roots by start time, then id', () => {
    const warnings: TraceWarning[] = [];
    const out = orderAsTree([makeSpan('b', { startTimeUs: 1 }), makeSpan('a', { startTimeUs: 1 })], warnings);
    expect(ids(out)).toEqual(['a', 'b']);
    expect(warnings.map((w) => w.code)).toEqual(['MULTIPLE_ROOTS']);
  });

  it('keeps spans on a parent cycle and flags them', () => {
    const warnings: TraceWarning[] = [];
    const out = orderAsTree([makeSpan('e'), makeSpan('a', { parent: 'b' }), makeSpan('b', { parent: 'a' })], warnings);
    expect(out).toHaveLength(3);
    expect(warnings.map((w) => w.code)).toContain('PARENT_CYCLE');
  });

  it('hangs a shared server half under its client half and the children under the server half', () => {
    const warnings: TraceWarning[] = [];
    const out = orderAsTree(
      [
        makeSpan('c', { parent: 'a', service: 'api', startTimeUs: 30 }),
        makeSpan('a', { kind: 'SERVER', isSharedServer: true, service: 'api', startTimeUs: 20 }),
        makeSpan('a', { kind: 'CLIENT', service: 'web', startTimeUs: 10 }),
      ],
      warnings,
    );
    expect(out.map((s) => `${s.service}:${s.kind}`)).toEqual(['web:CLIENT', 'api:SERVER', 'svc:UNSPECIFIED'.replace('svc', 'api')]);
    expect(warnings).toEqual([]);
  });
});
