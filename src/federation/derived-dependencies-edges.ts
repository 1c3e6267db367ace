/**
 * The service-graph edges only merged traces show (README, "The derived service graph"), and their
 * union with the backends' own graphs. Pure: the sampling that finds the traces is
 * derived-dependencies-sample.ts, caching and wiring derived-dependencies.ts.
 *
 * An edge is counted the way the backends' dependency jobs count it, per parent → child span pair
 * whose services differ, parents taken from the merged trace's tree (model/trace-tree.ts: a Zipkin
 * shared server half is the child of its client half, so one RPC is one call). One call per child
 * span; an error when the child span's status is ERROR or, for a server answering a client span, when
 * that client span is ERROR: Zipkin's DependencyLinker counts a split RPC's error on either half, and
 * Zipkin is the only backend of the three that counts errors at all (Jaeger reports none). Same-service
 * pairs make no edge: Zipkin's linker makes none for them either, and Jaeger's memory store, which
 * does, reports them itself.
 *
 * A pair is kept only when no backend could have counted it: no backend holds both spans (a call
 * between services reporting to different backends), or none of the backends holding both reports
 * that edge in its own graph (an Elasticsearch with no dependency job). Every other pair is already
 * in some backend's graph, and counting it again would double it.
 */
import type { DependencyLink, TimeWindow } from '../backends/backend.js';
import { compareText, isErrorSpan, type MergedTrace, type Span } from '../model/index.js';
import type { Sourced } from './metadata.js';

/** One edge of the answered graph: a backend's own, a derived one, or both combined. */
export interface GraphEdge extends Sourced<DependencyLink> {
  /** Some of its calls were counted from merged traces. */
  derived: boolean;
  /** Sampled traces a derived call of this edge was seen in; null for an edge no trace added to. */
  tracesSeen: number | null;
}

/** The backends whose own graph reports each edge, by `edgeKey`. */
export type ReportedEdges = ReadonlyMap<string, ReadonlySet<string>>;

export function edgeKey(parent: string, child: string): string {
  return `${parent}\u0000${child}`;
}

export function reportedEdges(edges: ReadonlyArray<Sourced<DependencyLink>>): ReportedEdges {
  return new Map(edges.map((e) => [edgeKey(e.item.parent, e.item.child), new Set(e.sources)]));
}

interface Tally {
  link: DependencyLink & { errorCount: number };
  sources: Set<string>;
  traces: Set<string>;
}

function isCountedError(parent: Span, child: Span): boolean {
  return isErrorSpan(child) || (parent.kind === 'CLIENT' && (child.kind === 'SERVER' || child.isSharedServer) && isErrorSpan(parent));
}

/** Whether some backend holding both spans reports their edge in its own graph. */
function isReported(parent: Span, child: Span, reported: ReportedEdges): boolean {
  const reporters = reported.get(edgeKey(parent.service, child.service));
  if (reporters === undefined) return false;
  return parent.sources.some((b) => reporters.has(b) && child.sources.includes(b));
}

/**
 * The derived edges of `traces`: only child spans starting inside `window` count (as the memory
 * backend counts, backends/memory/dependencies.ts); their parents may start before it.
 */
export function deriveEdges(traces: readonly MergedTrace[], window: TimeWindow, reported: ReportedEdges): GraphEdge[] {
  const tallies = new Map<string, Tally>();
  for (const trace of traces) {
    for (const child of trace.spans) {
      if (child.startTimeUs < window.startUs || child.startTimeUs > window.endUs) continue;
      const parent = trace.tree.parentOf(child);
      if (parent === null || parent.service === child.service || isReported(parent, child, reported)) continue;
      const key = edgeKey(parent.service, child.service);
      let tally = tallies.get(key);
      if (tally === undefined) {
        tally = { link: { parent: parent.service, child: child.service, callCount: 0, errorCount: 0 }, sources: new Set(), traces: new Set() };
        tallies.set(key, tally);
      }
      tally.link.callCount++;
      if (isCountedError(parent, child)) tally.link.errorCount++;
      for (const b of [...parent.sources, ...child.sources]) tally.sources.add(b);
      tally.traces.add(trace.traceId);
    }
  }
  return [...tallies.values()]
    .map((t) => ({ item: t.link, sources: [...t.sources].sort(compareText), derived: true, tracesSeen: t.traces.size }))
    .sort(byEdge);
}

function byEdge(a: Sourced<DependencyLink>, b: Sourced<DependencyLink>): number {
  return compareText(a.item.parent, b.item.parent) || compareText(a.item.child, b.item.child);
}

/**
 * The backends' own edges and the derived ones as one graph: an edge in both gets its counts combined
 * by `federation.dependencyCounts` (metadata.ts: summed, or the largest kept), the union of their
 * sources, and `derived` with the derived part's `tracesSeen`.
 */
export function unionEdges(own: ReadonlyArray<Sourced<DependencyLink>>, derived: readonly GraphEdge[], counts: 'sum' | 'max'): GraphEdge[] {
  const combine = (a: number, b: number): number => (counts === 'sum' ? a + b : Math.max(a, b));
  const byKey = new Map<string, GraphEdge>(own.map((e) => [edgeKey(e.item.parent, e.item.child), { ...e, derived: false, tracesSeen: null }]));
  for (const d of derived) {
    const key = edgeKey(d.item.parent, d.item.child);
    const existing = byKey.get(key);
    if (existing === undefined) {
      byKey.set(key, d);
      continue;
    }
    const a = existing.item;
    const b = d.item;
    byKey.set(key, {
      item: {
        parent: a.parent,
        child: a.child,
        callCount: combine(a.callCount, b.callCount),
        errorCount: a.errorCount === null && b.errorCount === null ? null : combine(a.errorCount ?? 0, b.errorCount ?? 0),
      },
      sources: [...new Set([...existing.sources, ...d.sources])],
      derived: true,
      tracesSeen: d.tracesSeen,
    });
  }
  return [...byKey.values()].sort(byEdge);
}
