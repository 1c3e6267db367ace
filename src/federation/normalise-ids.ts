/**
 * Merge step 1: make every span's trace id the id that was asked for, on a copy the merge owns.
 * Backends already return normalised TraceIds (model/ids.ts), so in strict mode this only drops spans
 * of another trace that a backend returned by mistake; in lenient mode a 64-bit id also collects the
 * 128-bit trace whose low half it is (and vice versa), and those spans are re-labelled to the asked id.
 *
 * Every kept span is copied (shallowly): backend answers are shared (the cache hands the same arrays
 * to every request), and the copy makes each merged trace the only owner of its span objects, so the
 * steps after this one may set fields in place and a span object belongs to one merged trace and one
 * tree only (model/trace-view.ts relies on it).
 */
import { traceIdsMatch, type Span, type TraceWarning } from '../model/index.js';
import type { MergeStep } from './merge-step.js';

export const normaliseTraceIds: MergeStep = (spans, ctx) => {
  const asked = ctx.traceId;
  const kept: Span[] = [];
  const warnings: TraceWarning[] = [];
  let dropped = 0;
  for (const span of spans) {
    if (span.traceId === asked || traceIdsMatch(asked, span.traceId, ctx.options.lenientTraceIds)) kept.push({ ...span, traceId: asked });
    else dropped++;
  }
  if (dropped > 0) {
    warnings.push({
      code: 'MAPPING',
      message: `${dropped} span(s) returned for this trace belong to another trace id and were dropped`,
      spanId: null,
    });
  }
  return { spans: kept, warnings };
};
