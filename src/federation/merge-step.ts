/**
 * The one shape of a merge step (federation/merge.ts lists them, in order): it takes the trace's
 * spans as the step before left them, plus the context every step may read, and returns the spans for
 * the next step with the warnings it raised. Jaeger's adjusters share one interface the same way
 * (jaeger cmd/jaeger/internal/extension/jaegerquery/internal/adjuster/adjuster.go).
 *
 * Ownership: dedupe (step 2) hands on only span objects of the merge's own (a folded span is a new
 * object, every other span a copy), so the merge owns every span object a later step sees and a step
 * after dedupe may set a span's fields in place (clock-skew does). normalise-ids, before it, changes
 * nothing in place. The arrays and
 * objects a span holds (attributes, events, sources...) may still be shared with a backend's answer,
 * which the cache hands to many requests: a step replaces them, never changes them.
 */
import { invariant } from '../errors.js';
import type { AdjustableTraceTree, Span, TraceId, TraceWarning } from '../model/index.js';

export interface MergeOptions {
  lenientTraceIds: boolean;
  /** Skip clock-skew correction (the `raw` argument). */
  raw: boolean;
  /** `off`: never correct clock skew (federation.clockSkew). */
  clockSkew: 'provable' | 'off';
  maxClockSkewUs: number;
}

export interface MergeContext {
  /** The trace id that was asked for. */
  readonly traceId: TraceId;
  readonly options: MergeOptions;
  /** Set by build-tree, once; the steps after it navigate it, and it ends on the merged trace. */
  tree: AdjustableTraceTree | undefined;
}

export interface StepResult {
  spans: Span[];
  warnings: TraceWarning[];
}

export type MergeStep = (spans: Span[], ctx: MergeContext) => StepResult;

/** The tree build-tree made, for a step that runs after it. */
export function treeOf(ctx: MergeContext): AdjustableTraceTree {
  invariant(ctx.tree !== undefined, 'a merge step that reads the tree must run after build-tree (federation/merge.ts)');
  return ctx.tree;
}
