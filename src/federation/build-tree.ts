/**
 * Merge step 3: build the trace tree, the only time it is built for a merged trace. Depends on dedupe
 * (one span per identity). clock-skew navigates it and moves spans within it, order-spans walks it,
 * and it ends on the merged trace, where Span.parent, Span.children and Trace.topLevelSpans read it
 * (model/trace-view.ts). It raises no warnings: what keeps the spans from being one tree (orphans,
 * several roots, cycles) is reported by order-spans, once the times are final.
 */
import { buildTraceTree } from '../model/index.js';
import type { MergeStep } from './merge-step.js';

export const buildTree: MergeStep = (spans, ctx) => {
  ctx.tree = buildTraceTree(spans);
  return { spans, warnings: [] };
};
