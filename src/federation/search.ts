/**
 * Federated search: every backend that can serve the query exactly runs it; the hits are merged by
 * trace id, ordered newest first (ties by id, so paging is stable), and cut to the query's limit.
 * A backend that cannot serve a filter exactly is skipped and reported, never approximated.
 */
import type { Backend, BackendTrace, TraceQuery } from '../backends/backend.js';
import type { BackendOutcome, TraceId, TraceSummary } from '../model/index.js';
import { checkSearch } from '../redaction/index.js';
import { fanOut, type FanOutOptions } from './fan-out.js';

export interface SearchResult {
  /** Per-backend summaries merged by trace id (not yet recomputed over the merged trace). */
  hits: TraceSummary[];
  outcomes: BackendOutcome[];
}

export function unsupportedReason(backend: Backend, query: TraceQuery): string | null {
  const caps = backend.capabilities;
  if (query.attributes.length > 0 && !caps.searchByAttributes) return `${backend.kind} backend cannot filter by attributes`;
  if (query.service === null && !caps.searchWithoutService) return `${backend.kind} backend needs a service to search`;
  if ((query.minDurationUs !== null || query.maxDurationUs !== null) && !caps.searchByDuration) {
    return `${backend.kind} backend cannot filter by duration`;
  }
  return null;
}

/** Combines two backends' summaries of one trace: the widest span of time and the union of the rest. */
function combine(a: TraceSummary, b: TraceSummary): TraceSummary {
  const start = Math.min(a.startTimeUs, b.startTimeUs);
  const end = Math.max(a.startTimeUs + a.durationUs, b.startTimeUs + b.durationUs);
  const earlier = a.startTimeUs <= b.startTimeUs ? a : b;
  return {
    traceId: a.traceId,
    rootService: earlier.rootService ?? a.rootService ?? b.rootService,
    rootOperation: earlier.rootOperation ?? a.rootOperation ?? b.rootOperation,
    startTimeUs: start,
    durationUs: end - start,
    spanCount: Math.max(a.spanCount, b.spanCount),
    errorCount: Math.max(a.errorCount, b.errorCount),
    services: [...new Set([...a.services, ...b.services])].sort(),
    sources: [...new Set([...a.sources, ...b.sources])].sort(),
  };
}

export function mergeHits(lists: ReadonlyArray<readonly TraceSummary[]>, limit: number): TraceSummary[] {
  const byId = new Map<string, TraceSummary>();
  for (const list of lists) {
    for (const hit of list) {
      const existing = byId.get(hit.traceId);
      byId.set(hit.traceId, existing ? combine(existing, hit) : hit);
    }
  }
  return [...byId.values()]
    .sort((x, y) => y.startTimeUs - x.startTimeUs || (x.traceId < y.traceId ? -1 : x.traceId > y.traceId ? 1 : 0))
    .slice(0, limit);
}

/**
 * With redaction on, a query filtering by what redaction hides is refused before any backend sees it
 * (redaction/search-filter.ts), and the hits' root operations (span names) are redacted.
 */
export async function searchTraces(query: TraceQuery, backends: readonly Backend[], options: FanOutOptions): Promise<SearchResult> {
  const { redaction, services } = options;
  if (redaction !== undefined) checkSearch(query, redaction);
  // Another tenant's service: nothing, and no backend asked.
  if (services !== undefined && query.service !== null && !services.sees(query.service)) return { hits: [], outcomes: [] };
  // The whole traces each backend read to answer (whole-traces.ts), for the request's trace loaders.
  const read = new Map<string, Map<TraceId, BackendTrace>>();
  const offer = (backend: string) => (id: TraceId, trace: BackendTrace) => {
    let traces = read.get(backend);
    if (traces === undefined) read.set(backend, (traces = new Map()));
    traces.set(id, trace);
  };
  const entries = await fanOut(
    backends,
    (backend, call) =>
      options.wholeTraces === undefined ? backend.findTraces(query, call) : backend.findTraces(query, { ...call, onWholeTrace: offer(backend.name) }),
    {
      ...options,
      skipReason: (backend) => unsupportedReason(backend, query),
    },
  );
  const lists = entries.flatMap((e) => (e.value ? [e.value] : []));
  const hits = mergeHits(lists, query.limit).filter((hit) => services === undefined || services.summary(hit));
  // Only the searches a backend answered: a failed or timed-out search's answer is dropped whole.
  for (const entry of entries) {
    const traces = read.get(entry.backend.name);
    if (entry.outcome.state === 'OK' && traces !== undefined) options.wholeTraces?.keep(entry.backend.name, traces);
  }
  return { hits: redaction === undefined ? hits : hits.map((hit) => redaction.summary(hit)), outcomes: entries.map((e) => e.outcome) };
}
