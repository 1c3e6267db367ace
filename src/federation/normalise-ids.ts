/**
 * Merge step 1: make every span's trace id the id that was asked for. Backends already return
 * normalised TraceIds (model/ids.ts), so in strict mode this only drops spans of another trace that a
 * backend returned by mistake; in lenient mode a 64-bit id also collects the 128-bit trace whose low
 * half it is (and vice versa), and those spans are re-labelled to the asked id, on a copy.
 *
 * Spans that keep their id are passed on as they are, not copied: dedupe, the next step, hands every
 * span on as an object of the merge's own (folded copies are new objects, and it copies the rest), so
 * a copy here would be thrown away for every span more than one backend holds (merge-step.ts).
 */
import { traceIdsMatch, type Span, type TraceWarning } from '../model/index.js';
import type { MergeStep } from './merge-step.js';

export const normaliseTraceIds: MergeStep = (spans, ctx) => {
  const asked = ctx.traceId;
  const kept: Span[] = [];
  const warnings: TraceWarning[] = [];
  let dropped = 0;
  for (const span of spans) {
    if (span.traceId === asked) kept.push(span);
    else if (traceIdsMatch(asked, span.traceId, ctx.options.lenientTraceIds)) kept.push({ ...span, traceId: asked });
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
