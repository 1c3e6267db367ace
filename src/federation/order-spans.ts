/**
 * Merge step 5 (last): order spans root first, then depth-first by start time, and report what keeps
 * the trace from being one tree: orphans (parent held by no backend), several roots, parent cycles.
 * Walks the tree of build-tree, after clock-skew so the order and the choice of root reflect
 * corrected times. The root is chosen deterministically (model/trace.ts `chooseRoot`).
 */
import { chooseRoot, type Span, type TraceWarning } from '../model/index.js';
import { treeOf, type MergeStep } from './merge-step.js';

export const orderSpans: MergeStep = (spans, ctx) => {
  const warnings: TraceWarning[] = [];
  if (spans.length === 0) return { spans: [], warnings };
  const tree = treeOf(ctx);
  for (const orphan of tree.orphans) {
    warnings.push({
      code: 'ORPHAN_SPAN',
      message: `span ${orphan.spanId} (${orphan.service}) names parent ${orphan.parentSpanId}, which no backend holds`,
      spanId: orphan.spanId,
    });
  }
  const trueRoots = tree.roots.filter((s) => s.parentSpanId === null || s.isSharedServer);
  if (trueRoots.length > 1) {
    warnings.push({
      code: 'MULTIPLE_ROOTS',
      message: `trace has ${trueRoots.length} spans without a parent: ${trueRoots.map((s) => s.spanId).join(', ')}`,
      spanId: null,
    });
  }

  const root = chooseRoot(spans);
  const roots = root ? [root, ...tree.roots.filter((s) => s !== root)] : [...tree.roots];
  const ordered: Span[] = [];
  // By object, not by span id: several spans may share an id (Zipkin's server halves per receiver).
  const seen = new Set<Span>();
  const walk = (start: Span): void => {
    const stack = [start];
    while (stack.length > 0) {
      const span = stack.pop()!;
      if (seen.has(span)) continue;
      seen.add(span);
      ordered.push(span);
      const children = tree.childrenOf(span);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  };
  for (const r of roots) walk(r);

  if (ordered.length < spans.length) {
    // Whatever no root reaches sits on a parent cycle (A → B → A): list it, flagged, rather than lose it.
    const cyclic = spans.filter((s) => !seen.has(s));
    warnings.push({
      code: 'PARENT_CYCLE',
      message: `${cyclic.length} span(s) form a parent cycle: ${cyclic.map((s) => s.spanId).join(', ')}`,
      spanId: cyclic[0]!.spanId,
    });
    for (const span of cyclic) walk(span);
  }
  return { spans: ordered, warnings };
};
