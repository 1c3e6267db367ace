/**
 * A merged trace as the GraphQL layer sees it: the trace with the tree the merge built over it, the
 * per-backend outcomes of the request that produced it, and a lazily computed summary, so a query for
 * summary fields computes it once and a query for spans never does.
 *
 * Which view a span belongs to is a per-request question (TraceViews below): a memoised merge serves
 * one trace to many requests, each with its own view and outcomes.
 */
import type { BackendOutcome } from './backend-outcome.js';
import type { Span } from './span.js';
import { summarizeTrace, type Trace, type TraceSummary } from './trace.js';
import type { TraceTree } from './trace-tree.js';

/**
 * What federation/merge.ts returns: the trace in tree order and the tree over its spans, built once.
 * The merge owns every span object in it (it copies what backends return), so each span belongs to
 * exactly one merged trace and one tree, however many requests or views share that trace.
 */
export interface MergedTrace extends Trace {
  readonly tree: TraceTree;
}

export class TraceView {
  constructor(
    readonly trace: MergedTrace,
    readonly backendStatus: BackendOutcome[],
  ) {}

  get tree(): TraceTree {
    return this.trace.tree;
  }

  /** Computed once per merged trace, shared by every view of it. */
  get summary(): TraceSummary {
    let summary = summaryOfTrace.get(this.trace);
    if (summary === undefined) summaryOfTrace.set(this.trace, (summary = summarizeTrace(this.trace)));
    return summary;
  }
}

/** A memo of a pure function of the (immutable) merged trace; it dies with the trace. */
const summaryOfTrace = new WeakMap<Trace, TraceSummary>();

/**
 * The trace views one request has handed out, so Span.parent and Span.children find the tree of the
 * span they are asked about without a map that outlives the request. One per request
 * (server/context.ts), filled by the trace loaders (loaders/create-loaders.ts).
 *
 * A span is found by asking each view's tree whether it holds that object; the last view that
 * answered is asked first, because GraphQL completes one trace's spans before the next trace's, so a
 * 10,000-span list costs one lookup per span, and no span is registered anywhere.
 */
export class TraceViews {
  private readonly views: TraceView[] = [];
  private readonly traces = new Set<MergedTrace>();
  private last: TraceView | undefined;

  add(view: TraceView): void {
    // Views of one merged trace share its tree: one of them answers for all.
    if (this.traces.has(view.trace)) return;
    this.traces.add(view.trace);
    this.views.push(view);
  }

  viewOf(span: Span): TraceView | undefined {
    const last = this.last;
    if (last?.tree.holds(span)) return last;
    for (const view of this.views) {
      if (view !== last && view.tree.holds(span)) return (this.last = view);
    }
    return undefined;
  }
}
