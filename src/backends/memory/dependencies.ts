/**
 * getDependencies for the memory backend: the service graph, computed from the stored traces the way
 * Jaeger's and Zipkin's dependency jobs do, from parent → child span pairs whose services differ.
 * Parents come from model/trace-tree.ts, so a Zipkin shared server span counts as the child of its
 * client half (one RPC, one call). `callCount` counts such pairs; `errorCount` those whose child span
 * has status ERROR.
 *
 * Only child spans starting inside the window count; the parent may start before it (a long request
 * whose call falls in the window is still a call in the window). Links (a consumer linked to its
 * producer in another trace) are not parent/child pairs and make no edge.
 */
import { compareText, isErrorSpan } from '../../model/index.js';
import type { DependencyLink, TimeWindow } from '../backend.js';
import type { CallGuard } from './call-guard.js';
import type { TraceStore } from './store.js';

export async function computeDependencies(store: TraceStore, window: TimeWindow, guard: CallGuard): Promise<DependencyLink[]> {
  const edges = new Map<string, DependencyLink>();
  for (const trace of store.traces()) {
    if (guard.tick(trace.spans.length)) await guard.pause();
    if (trace.lastStartUs < window.startUs || trace.firstStartUs > window.endUs) continue;
    const tree = store.treeOf(trace);
    for (const child of trace.spans) {
      if (child.startTimeUs < window.startUs || child.startTimeUs > window.endUs) continue;
      const parent = tree.parentOf(child);
      if (parent === null || parent.service === child.service) continue;
      const key = `${parent.service}\u0000${child.service}`;
      let edge = edges.get(key);
      if (edge === undefined) edges.set(key, (edge = { parent: parent.service, child: child.service, callCount: 0, errorCount: 0 }));
      edge.callCount++;
      if (isErrorSpan(child)) edge.errorCount = (edge.errorCount ?? 0) + 1;
    }
  }
  return [...edges.values()].sort((a, b) => compareText(a.parent, b.parent) || compareText(a.child, b.child));
}
