/**
 * findTraces for the memory backend: a linear scan over the stored traces (fast enough for the few
 * thousand traces an embedded store holds; a trace wholly outside the window is skipped without
 * visiting its spans).
 *
 * Semantics are Tracegate's one-span rule, shared with every backend (shared/match-query.ts): a
 * trace matches when ONE of its spans has the service, the operation (span name), every attribute
 * filter (span or resource attribute, value compared as text; `error=true|false` means status
 * ERROR or not), a duration within [min, max] and a start inside the window. This is what Jaeger
 * does ("a span of that service"), so a service filter alone matches any trace with a span of the
 * service, while service + attribute match only when the same span carries both. Names compare
 * exactly (case-sensitive), as Jaeger's do.
 *
 * Results: summaries of the whole trace (every stored span, not only the matching one), newest trace
 * start first, ties by trace id, at most `limit`.
 */
import { compareNewestFirst, type TraceSummary } from '../../model/index.js';
import type { TraceQuery } from '../backend.js';
import { traceMatchesQuery } from '../shared/match-query.js';
import type { CallGuard } from './call-guard.js';
import type { TraceStore } from './store.js';

export async function searchTraces(store: TraceStore, query: TraceQuery, guard: CallGuard): Promise<TraceSummary[]> {
  const { startUs, endUs } = query.window;
  const matches: TraceSummary[] = [];
  if (query.limit <= 0) return matches;
  for (const trace of store.traces()) {
    if (guard.tick(trace.spans.length)) await guard.pause();
    if (trace.lastStartUs < startUs || trace.firstStartUs > endUs) continue;
    if (traceMatchesQuery(trace.spans, query)) matches.push(store.summaryOf(trace));
  }
  matches.sort(compareNewestFirst);
  // Summaries are cached in the store: hand out copies.
  return matches.slice(0, query.limit).map((s) => ({ ...s, services: [...s.services], sources: [...s.sources] }));
}
