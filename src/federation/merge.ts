/**
 * Merges what several backends hold for one trace id into one canonical trace: an ordered list of
 * named steps with one signature (merge-step.ts), each in its own file and test, each returning its
 * warnings. jaeger's adjuster/standard.go (`StandardAdjusters`) is the model.
 *
 *   1. normalise-ids – every span carries the asked trace id (lenient 64/128-bit matching optional),
 *                      on a copy the merge owns
 *   2. dedupe        – copies of one span folded, sources unioned, shared client/server kept apart
 *   3. build-tree    – the parent/child tree, built once for the merged trace (needs 2: one span per
 *                      identity); every later step and the GraphQL fields use this one
 *   4. clock-skew    – a child on another host that provably cannot be where it is reported is
 *                      shifted into its parent (needs 3; skipped when raw or federation.clockSkew is off)
 *   5. order-spans   – root-first depth-first order; orphans, extra roots and cycles flagged (needs 3,
 *                      and runs after 4 so order reflects corrected times)
 *
 * The warnings of the trace are the steps' warnings in step order.
 */
import { invariant } from '../errors.js';
import type { MergedTrace, Span, TraceId, TraceWarning } from '../model/index.js';
import { buildTree } from './build-tree.js';
import { correctClockSkew } from './clock-skew.js';
import { dedupeSpans } from './dedupe.js';
import type { MergeContext, MergeOptions, MergeStep } from './merge-step.js';
import { normaliseTraceIds } from './normalise-ids.js';
import { orderSpans } from './order-spans.js';

export type { MergeOptions } from './merge-step.js';

export const MERGE_STEPS: ReadonlyArray<{ readonly name: string; readonly run: MergeStep }> = [
  { name: 'normalise-ids', run: normaliseTraceIds },
  { name: 'dedupe', run: dedupeSpans },
  { name: 'build-tree', run: buildTree },
  { name: 'clock-skew', run: correctClockSkew },
  { name: 'order-spans', run: orderSpans },
];

/** `spansPerBackend` is in backend configuration order, which breaks ties between equally faithful copies. */
export function mergeTrace(traceId: TraceId, spansPerBackend: ReadonlyArray<readonly Span[]>, options: MergeOptions): MergedTrace {
  const steps = mergeSteps(traceId, spansPerBackend, options);
  for (let next = steps.next(); ; next = steps.next()) if (next.done) return next.value;
}

/**
 * mergeTrace with a turn of the event loop between steps, for big traces: merging 30,000 copies of a
 * 10,000-span trace is tens of milliseconds of CPU, and in one piece it holds every other request
 * (cache hits, probes) that long (bench scenario 10). The same steps, the same result.
 */
export async function mergeTraceYielding(
  traceId: TraceId,
  spansPerBackend: ReadonlyArray<readonly Span[]>,
  options: MergeOptions,
  pause: () => Promise<void>,
): Promise<MergedTrace> {
  const steps = mergeSteps(traceId, spansPerBackend, options);
  for (let next = steps.next(); ; next = steps.next()) {
    if (next.done) return next.value;
    await pause();
  }
}

/** The merge, one step per `next()`. */
function* mergeSteps(traceId: TraceId, spansPerBackend: ReadonlyArray<readonly Span[]>, options: MergeOptions): Generator<void, MergedTrace> {
  let spans: Span[] = [];
  for (const answer of spansPerBackend) for (const span of answer) spans.push(span);
  const ctx: MergeContext = { traceId, options, tree: undefined };
  const warnings: TraceWarning[] = [];
  for (const step of MERGE_STEPS) {
    const result = step.run(spans, ctx);
    spans = result.spans;
    for (const warning of result.warnings) warnings.push(warning);
    yield;
  }
  invariant(ctx.tree !== undefined, 'build-tree is one of the merge steps');
  return { traceId, spans, warnings, tree: ctx.tree };
}
