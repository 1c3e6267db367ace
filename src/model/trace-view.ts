/**
 * A merged trace as the GraphQL layer sees it: the trace, the per-backend outcomes that produced it,
 * and lazily built indexes (tree, summary), so a query for summary fields never builds the tree and
 * a query for a 10,000-span tree builds it once.
 */
import type { BackendOutcome } from './backend-outcome.js';
import { summarizeTrace, type Trace, type TraceSummary } from './trace.js';
import { buildTraceTree, type TraceTree } from './trace-tree.js';

export class TraceView {
  private treeCache: TraceTree | undefined;
  private summaryCache: TraceSummary | undefined;

  constructor(
    readonly trace: Trace,
    readonly backendStatus: BackendOutcome[],
  ) {
    registerSpans(this);
  }

  get tree(): TraceTree {
    return (this.treeCache ??= buildTraceTree(this.trace.spans));
  }

  get summary(): TraceSummary {
    return (this.summaryCache ??= summarizeTrace(this.trace));
  }
}

/**
 * Span → the view it belongs to, so Span.parent/children resolvers can navigate without wrapping
 * every span in another object (a 10,000-span list stays a plain array of canonical spans).
 */
const viewOfSpan = new WeakMap<object, TraceView>();

export function registerSpans(view: TraceView): void {
  for (const span of view.trace.spans) viewOfSpan.set(span, view);
}

export function viewOf(span: object): TraceView | undefined {
  return viewOfSpan.get(span);
}
