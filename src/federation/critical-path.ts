/**
 * The critical path of a merged trace and the self time of a span, computed over the trace as merged
 * (clock-skew corrected unless `raw`), with Jaeger UI's algorithms, ported from jaegertracing/jaeger-ui
 * (Apache-2.0) at commit c321fb32bbca0bdce9e8c2d40afb35abbf54c12b:
 * `packages/jaeger-ui/src/components/TracePage/CriticalPath/` (`index.ts`, `utils/cpspan.ts`,
 * `utils/sanitizeOverFlowingChildren.ts`, `utils/findLastFinishingChildSpan.ts`) and
 * `packages/jaeger-ui/src/utils/compute-span-self-time.ts`. test/federation/critical-path-jaeger-ui.test.ts
 * runs Jaeger UI's own test cases against this port.
 *
 * The path, per top-level span: start at the span's end, walk down to its last finishing child (LFC),
 * recursively; a span without an LFC is on the path from its start, and the walk returns to its
 * parent, which is on the path back to the end of the child that finished before that start. Before
 * walking, Jaeger UI reshapes each tree:
 *   - a CONSUMER child of a PRODUCER does not block it: that subtree is left out (Jaeger UI's
 *     `isBlockingSpan`; FOLLOWS_FROM is not looked at any more, since Jaeger UI moved to the OTel model
 *     in Jan 2026, and our model keeps no parent reference type either);
 *   - a child that outlives its parent, or starts before it, counts only within the parent's time
 *     (async work that overhangs its parent is cut at the parent's end); a child wholly outside its
 *     parent is left out with its subtree.
 *
 * Where this differs from Jaeger UI, on purpose:
 *   - A top-level span that names a parent the trace lacks (an orphan) is walked like a root. Jaeger UI
 *     drops it (sanitizeOverFlowingChildren finds no parent and deletes it), so a trace missing its root
 *     would have no path; here each orphan's subtree has its own.
 *   - Sections come earliest first within each top-level span's tree (Jaeger UI lists them from the end
 *     backwards); trees in the order of `TraceTree.roots`, earliest first, as Jaeger UI's `rootSpans`.
 *   - The walk is a loop, not recursion, so a chain of 100,000 spans cannot overflow the stack; a time
 *     of 0 (the epoch) is a time, where Jaeger UI's `returningChildStartTime ||` reads it as absent.
 * Children tied on start time come in the tree's order (span id), Jaeger UI's in input order; that
 * decides only which of two children ending at the same time is the LFC.
 */
import type { DurationUs, MergedTrace, Micros, Span, TraceTree } from '../model/index.js';
import { endTimeUs } from '../model/index.js';

/** One stretch of time during which `span` is what the trace waits on. */
export interface CriticalPathSection {
  span: Span;
  startUs: Micros;
  endUs: Micros;
  durationUs: DurationUs;
  /** The span's self time (spanSelfTimeUs), not the section's. */
  selfTimeUs: DurationUs;
}

/** A span as the walk sees it: its time cut to its parent's, and (once asked) its blocking children. */
interface PathNode {
  readonly span: Span;
  readonly parent: PathNode | null;
  readonly startUs: Micros;
  readonly endUs: Micros;
  children: PathNode[] | undefined;
}

/** The critical path of a merged trace, computed once per merged trace (requests share it). */
export function criticalPathOf(trace: MergedTrace): CriticalPathSection[] {
  let path = pathOfTrace.get(trace);
  if (path === undefined) pathOfTrace.set(trace, (path = computeCriticalPath(trace.tree)));
  return path;
}

/** A memo of a pure function of the immutable merged trace; it dies with the trace. */
const pathOfTrace = new WeakMap<MergedTrace, CriticalPathSection[]>();

export function computeCriticalPath(tree: TraceTree): CriticalPathSection[] {
  const sections: CriticalPathSection[] = [];
  for (const root of tree.roots) {
    const walked = walk({ span: root, parent: null, startUs: root.startTimeUs, endUs: endTimeUs(root), children: undefined }, tree);
    for (let i = walked.length - 1; i >= 0; i--) {
      const { node, startUs, endUs } = walked[i]!;
      sections.push({ span: node.span, startUs, endUs, durationUs: endUs - startUs, selfTimeUs: spanSelfTimeUs(node.span, tree) });
    }
  }
  return sections;
}

/**
 * The span's duration less the time its children (all of them, as in the tree) cover within it: Jaeger
 * UI's "self time" (trace statistics, flame graph), a sweep over the children in start order. A child
 * that starts after the span ends, or ends before it starts, covers nothing; 0 at least.
 */
export function spanSelfTimeUs(span: Span, tree: TraceTree): DurationUs {
  const children = tree.childrenOf(span);
  if (children.length === 0) return span.durationUs;
  const spanEndUs = endTimeUs(span);
  let selfUs = span.durationUs;
  let coveredUntilUs = span.startTimeUs;
  for (const child of children) {
    const childEndUs = endTimeUs(child);
    if (child.startTimeUs > spanEndUs || childEndUs < coveredUntilUs) continue;
    const toUs = Math.min(spanEndUs, childEndUs);
    selfUs -= toUs - Math.max(coveredUntilUs, child.startTimeUs);
    // Children come in start order: once one reaches the span's end, no later one adds anything.
    if (toUs === spanEndUs) break;
    coveredUntilUs = childEndUs;
  }
  return Math.max(0, selfUs);
}

function isBlocking(child: Span, parent: Span): boolean {
  return !(parent.kind === 'PRODUCER' && child.kind === 'CONSUMER');
}

/**
 * Jaeger UI's createCPSpanMap and sanitizeOverFlowingChildren for one span: its blocking children, each
 * cut to the span's already cut time, so a grandchild is measured against what is left of its parent.
 * Made when the walk first reaches the span: a walk visits the spans on the path and their children,
 * not the whole tree.
 */
function childrenOf(node: PathNode, tree: TraceTree): PathNode[] {
  if (node.children !== undefined) return node.children;
  const children: PathNode[] = [];
  for (const child of tree.childrenOf(node.span)) {
    if (!isBlocking(child, node.span)) continue;
    const time = withinParent(child, node);
    if (time !== undefined) children.push({ span: child, parent: node, ...time, children: undefined });
  }
  return (node.children = children);
}

/** The child's time cut to its parent's, or undefined when none of it lies within (sanitizeOverFlowingChildren's cases). */
function withinParent(child: Span, parent: PathNode): { startUs: Micros; endUs: Micros } | undefined {
  const startUs = child.startTimeUs;
  const endUs = endTimeUs(child);
  if (startUs >= parent.startUs) {
    if (startUs >= parent.endUs) return undefined;
    return { startUs, endUs: Math.min(endUs, parent.endUs) };
  }
  if (endUs <= parent.startUs) return undefined;
  return { startUs: parent.startUs, endUs: Math.min(endUs, parent.endUs) };
}

/** The child that finished last, or last before `beforeUs` (findLastFinishingChildSpan); the first of equals. */
function lastFinishingChild(node: PathNode, beforeUs: Micros | undefined, tree: TraceTree): PathNode | undefined {
  let last: PathNode | undefined;
  for (const child of childrenOf(node, tree)) {
    if (beforeUs !== undefined && child.endUs >= beforeUs) continue;
    if (last === undefined || child.endUs > last.endUs) last = child;
  }
  return last;
}

/** Jaeger UI's computeCriticalPath as a loop: the sections from the end of `top` backwards. */
function walk(top: PathNode, tree: TraceTree): Array<{ node: PathNode; startUs: Micros; endUs: Micros }> {
  const sections: Array<{ node: PathNode; startUs: Micros; endUs: Micros }> = [];
  let node: PathNode | null = top;
  // Set while returning to a parent: the start of the child the walk came back from.
  let returningUs: Micros | undefined;
  while (node !== null) {
    const endUs: Micros = returningUs ?? node.endUs;
    const lfc = lastFinishingChild(node, returningUs, tree);
    const startUs = lfc === undefined ? node.startUs : lfc.endUs;
    if (startUs !== endUs) sections.push({ node, startUs, endUs });
    if (lfc !== undefined) {
      node = lfc;
      returningUs = undefined;
    } else {
      returningUs = node.startUs;
      node = node.parent;
    }
  }
  return sections;
}
