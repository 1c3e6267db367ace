/**
 * A merged trace as the GraphQL layer sees it: the trace with the tree the merge built over it, the
 * per-backend outcomes that produced it, and a lazily computed summary, so a query for summary fields
 * computes it once and a query for spans never does.
 */
import type { BackendOutcome } from './backend-outcome.js';
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
  ) {
    registerSpans(this);
  }

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
