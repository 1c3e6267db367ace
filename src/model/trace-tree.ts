/**
 * Parent/child navigation over a trace's spans, built once per trace and shared by every field that
 * needs it. Handles Zipkin shared spans: the server half's parent is the client half with the same id,
 * and a span whose parent id names a shared pair hangs under the server half (Zipkin's own rule).
 */
import { spanKey, type Span } from './span.js';

export interface TraceTree {
  parentOf(span: Span): Span | null;
  childrenOf(span: Span): Span[];
  /** Spans with no parent in the trace (true roots and orphans), earliest first. */
  roots: Span[];
  /** Spans that name a parent the trace does not hold. */
  orphans: Span[];
  byKey: Map<string, Span>;
}

function byStart(a: Span, b: Span): number {
  return a.startTimeUs - b.startTimeUs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

export function buildTraceTree(spans: readonly Span[]): TraceTree {
  const byKey = new Map<string, Span>();
  const clientHalf = new Map<string, Span>(); // span id → the non-shared span with that id
  const serverHalf = new Map<string, Span>(); // span id → the shared server span with that id
  for (const span of spans) {
    byKey.set(spanKey(span), span);
    if (span.isSharedServer) serverHalf.set(span.spanId, span);
    else clientHalf.set(span.spanId, span);
  }

  const parents = new Map<Span, Span | null>();
  const children = new Map<Span, Span[]>();
  const roots: Span[] = [];
  const orphans: Span[] = [];

  for (const span of spans) {
    let parent: Span | null = null;
    if (span.isSharedServer) {
      parent = clientHalf.get(span.spanId) ?? null;
      if (parent === null && span.parentSpanId !== null) {
        parent = serverHalf.get(span.parentSpanId) ?? clientHalf.get(span.parentSpanId) ?? null;
      }
    } else if (span.parentSpanId !== null) {
      parent = serverHalf.get(span.parentSpanId) ?? clientHalf.get(span.parentSpanId) ?? null;
    }
    if (parent === span) parent = null;
    parents.set(span, parent);
    if (parent === null) {
      roots.push(span);
      if (span.parentSpanId !== null && !(span.isSharedServer && clientHalf.has(span.spanId))) orphans.push(span);
    } else {
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push(span);
    }
  }
  for (const list of children.values()) list.sort(byStart);
  roots.sort(byStart);

  return {
    parentOf: (span) => parents.get(span) ?? null,
    childrenOf: (span) => children.get(span) ?? [],
    roots,
    orphans,
    byKey,
  };
}
