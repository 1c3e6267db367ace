/**
 * Runs one merge step alone (src/federation/merge-step.ts) on unit-test spans, with the context it
 * would get inside mergeTrace: the test trace id, default options, and the tree when the step runs
 * after build-tree. Warnings go to the array the test passes, so a case reads like the old
 * `step(spans, warnings)`.
 */
import type { MergeContext, MergeOptions, MergeStep } from '../../src/federation/merge-step.js';
import { buildTraceTree, type Span, type TraceWarning } from '../../src/model/index.js';
import { TRACE } from './make-span.js';

export const MERGE_OPTIONS: MergeOptions = { lenientTraceIds: false, raw: false, clockSkew: 'provable', maxClockSkewUs: 600_000_000 };

export function runStep(
  step: MergeStep,
  spans: Span[],
  warnings: TraceWarning[] = [],
  { options = {}, withTree = false }: { options?: Partial<MergeOptions>; withTree?: boolean } = {},
): Span[] {
  const ctx: MergeContext = { traceId: TRACE, options: { ...MERGE_OPTIONS, ...options }, tree: withTree ? buildTraceTree(spans) : undefined };
  const result = step(spans, ctx);
  warnings.push(...result.warnings);
  return result.spans;
}
