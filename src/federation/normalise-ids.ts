/**
 * Merge step 1: make every span's trace id the id that was asked for. Backends already return
 * normalised TraceIds (model/ids.ts), so in strict mode this only drops spans of another trace that a
 * backend returned by mistake; in lenient mode a 64-bit id also collects the 128-bit trace whose low
 * half it is (and vice versa), and those spans are re-labelled to the asked id.
 */
import { traceIdsMatch, type Span, type TraceId, type TraceWarning } from '../model/index.js';

export function normaliseTraceIds(
  asked: TraceId,
  spans: readonly Span[],
  lenient: boolean,
  warnings: TraceWarning[],
): Span[] {
  const kept: Span[] = [];
  let dropped = 0;
  for (const span of spans) {
    if (span.traceId === asked) kept.push(span);
    else if (traceIdsMatch(asked, span.traceId, lenient)) kept.push({ ...span, traceId: asked });
    else dropped++;
  }
  if (dropped > 0) {
    warnings.push({
      code: 'MAPPING',
      message: `${dropped} span(s) returned for this trace belong to another trace id and were dropped`,
      spanId: null,
    });
  }
  return kept;
}
