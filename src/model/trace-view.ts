/**
 * A merged trace as the GraphQL layer sees it: the trace, the per-backend outcomes that produced it,
 * and lazily built indexes (tree, summary), so a query for summary fields never builds the tree and
 * a query for a 10,000-span tree builds it once.
 */
import type { BackendOutcome } from './backend-outcome.js';
import { summarizeTrace, type Trace, type TraceSummary } from './trace.js';
import { buildTraceTree, type TraceTree } from './trace-tree.js';

export class TraceView {
  constructor(
    readonly trace: Trace,
    readonly backendStatus: BackendOutcome[],
  ) {
    registerSpans(this);
  }

  /** Built once per merged trace, shared by every view of it (a memoised merge serves many requests). */
  get tree(): TraceTree {
    let tree = treeOfTrace.get(this.trace);
    if (tree === undefined) treeOfTrace.set(this.trace, (tree = buildTraceTree(this.trace.spans)));
    return tree;
  }

  get summary(): TraceSummary {
    let summary = summaryOfTrace.get(this.trace);
    if (summary === undefined) summaryOfTrace.set(this.trace, (summary = summarizeTrace(this.trace)));
    return summary;
  }
}

const treeOfTrace = new WeakMap<Trace, TraceTree>();
const summaryOfTrace = new WeakMap<Trace, TraceSummary>();

/**
 * Span → the view it belongs to, so Span.parent/children resolvers can navigate without wrapping
 * every span in another object (a 10,000-span list stays a plain array of canonical spans).
 */
const viewOfSpan = new WeakMap<object, TraceView>();

export function registerSpans(view: TraceView): void {
  // Views of one merged trace navigate alike (only `tree` is read through viewOf): register once.
  const first = view.trace.spans[0];
  if (first !== undefined && viewOfSpan.get(first)?.trace === view.trace) return;
  for (const span of view.trace.spans) viewOfSpan.set(span, view);
}

export function viewOf(span: object): TraceView | undefined {
  return viewOfSpan.get(span);
}
