/**
 * Merges what several backends hold for one trace id into one canonical trace: an ordered list of
 * small pure steps (jaeger's adjuster/standard.go is the model), each in its own file and test.
 *
 *   1. normalise-ids  – every span carries the asked trace id (lenient 64/128-bit matching optional)
 *   2. dedupe         – copies of one span folded, sources unioned, shared client/server kept apart
 *   3. clock-skew     – a child on another host that provably cannot be where it is reported is
 *                       shifted into its parent (skipped when raw or federation.clockSkew is off)
 *   4. build-tree     – root-first depth-first order; orphans, extra roots and cycles flagged
 */
import type { Span, Trace, TraceId, TraceWarning } from '../model/index.js';
import { orderAsTree } from './build-tree.js';
import { correctClockSkew } from './clock-skew.js';
import { dedupeSpans } from './dedupe.js';
import { normaliseTraceIds } from './normalise-ids.js';

export interface MergeOptions {
  lenientTraceIds: boolean;
  /** Skip clock-skew correction (the `raw` argument). */
  raw: boolean;
  /** `off`: never correct clock skew (federation.clockSkew). */
  clockSkew: 'provable' | 'off';
  maxClockSkewUs: number;
}

/** `spansPerBackend` is in backend configuration order, which breaks ties between equally faithful copies. */
export function mergeTrace(traceId: TraceId, spansPerBackend: ReadonlyArray<readonly Span[]>, options: MergeOptions): Trace {
  const warnings: TraceWarning[] = [];
  const all: Span[] = [];
  for (const spans of spansPerBackend) for (const span of spans) all.push(span);
  let spans = normaliseTraceIds(traceId, all, options.lenientTraceIds, warnings);
  spans = dedupeSpans(spans, warnings);
  if (!options.raw && options.clockSkew !== 'off') spans = correctClockSkew(spans, options.maxClockSkewUs, warnings);
  spans = orderAsTree(spans, warnings);
  return { traceId, spans, warnings };
}
