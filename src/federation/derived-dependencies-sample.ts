/**
 * The traces the derived service graph is computed from (derived-dependencies-edges.ts): for the window,
 * the services every backend knows (as Query.services lists them), then per service the newest traces
 * through the backends' own search, then those traces fetched merged through the request's trace
 * loader, so batching, the cache, tenant grants and redaction apply as to any trace the request reads.
 *
 * Every bound is the configuration's (`federation.derivedDependencies`) and every one hit is reported:
 * a service list longer than `maxServices` is cut (alphabetically: the backends say nothing of traffic
 * there), a search that fills `tracesPerService` may have left older traces out, the distinct trace ids
 * are taken round-robin over the services (so one busy service cannot crowd the others out) up to
 * `maxTraces`, and no new round of calls starts once `timeBudgetMs` has passed (a round under way ends
 * within its backends' timeouts and the request deadline).
 */
import type { Backend, TimeWindow, TraceQuery } from '../backends/backend.js';
import type { BackendOutcome, MergedTrace, TraceId } from '../model/index.js';
import type { FanOutOptions } from './fan-out.js';
import type { TraceLookup } from './fetch-traces.js';
import { federatedServices } from './metadata.js';
import { searchTraces } from './search.js';

export interface SampleLimits {
  tracesPerService: number;
  maxServices: number;
  maxTraces: number;
  timeBudgetMs: number;
}

/** What stopped the sample short of every trace of the window. */
export type SampleLimit = 'maxServices' | 'tracesPerService' | 'maxTraces' | 'timeBudget';

export interface Sample {
  traces: MergedTrace[];
  servicesSearched: number;
  /** Fan-out calls made (a cache hit counts as a call): service lists, searches, trace batches. */
  backendCalls: number;
  limitsHit: SampleLimit[];
  /** Each backend call that did not answer OK (failed, timed out), once per backend and state. */
  failures: BackendOutcome[];
}

/** Searches run this many services at a time: each is a fan-out to every backend. */
const SEARCH_CONCURRENCY = 4;
/** Traces are loaded this many ids at a time, so the time budget is looked at between batches. */
const FETCH_CHUNK = 100;

export async function sampleTraces(
  window: TimeWindow,
  backends: readonly Backend[],
  options: FanOutOptions,
  load: (ids: readonly TraceId[]) => Promise<TraceLookup[]>,
  limits: SampleLimits,
  nowMs: () => number = () => performance.now(),
): Promise<Sample> {
  const started = nowMs();
  const isOverBudget = (): boolean => nowMs() - started >= limits.timeBudgetMs;
  const hit = new Set<SampleLimit>();
  const failures = new Map<string, BackendOutcome>();
  let backendCalls = 0;
  const note = (outcomes: readonly BackendOutcome[]): void => {
    for (const o of outcomes) {
      if (o.state !== 'SKIPPED') backendCalls++;
      if (o.state !== 'OK' && o.state !== 'SKIPPED') failures.set(`${o.backend}\u0000${o.state}`, o);
    }
  };

  const listed = await federatedServices(backends, options);
  note(listed.outcomes);
  let services = listed.items.map((s) => s.item);
  if (services.length > limits.maxServices) {
    hit.add('maxServices');
    services = services.slice(0, limits.maxServices);
  }

  const idsByService: TraceId[][] = [];
  for (let i = 0; i < services.length; i += SEARCH_CONCURRENCY) {
    if (isOverBudget()) {
      hit.add('timeBudget');
      break;
    }
    const round = services.slice(i, i + SEARCH_CONCURRENCY);
    const results = await Promise.all(round.map((service) => searchTraces(serviceQuery(service, window, limits), backends, options)));
    for (const result of results) {
      note(result.outcomes);
      if (result.hits.length >= limits.tracesPerService) hit.add('tracesPerService');
      idsByService.push(result.hits.map((h) => h.traceId));
    }
  }

  const ids = roundRobin(idsByService, limits.maxTraces);
  if (ids.isCut) hit.add('maxTraces');
  const traces: MergedTrace[] = [];
  for (let i = 0; i < ids.ids.length; i += FETCH_CHUNK) {
    if (isOverBudget()) {
      hit.add('timeBudget');
      break;
    }
    const lookups = await load(ids.ids.slice(i, i + FETCH_CHUNK));
    // One chunk is one batch: one getTraces call per backend, each lookup carrying its outcome.
    backendCalls += lookups[0]?.outcomes.filter((o) => o.state !== 'SKIPPED').length ?? 0;
    for (const lookup of lookups) {
      for (const o of lookup.outcomes) if (o.state !== 'OK' && o.state !== 'SKIPPED') failures.set(`${o.backend}\u0000${o.state}`, o);
      if (lookup.view !== null) traces.push(lookup.view.trace);
    }
  }
  return { traces, servicesSearched: idsByService.length, backendCalls, limitsHit: [...hit], failures: [...failures.values()] };
}

function serviceQuery(service: string, window: TimeWindow, limits: SampleLimits): TraceQuery {
  return { service, operation: null, attributes: [], minDurationUs: null, maxDurationUs: null, window, limit: limits.tracesPerService };
}

/** Distinct ids taken first of each list, then second of each, and so on, up to `max`. */
function roundRobin(lists: ReadonlyArray<readonly TraceId[]>, max: number): { ids: TraceId[]; isCut: boolean } {
  const seen = new Set<TraceId>();
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let rank = 0; rank < longest; rank++) {
    for (const list of lists) {
      const id = list[rank];
      if (id === undefined || seen.has(id)) continue;
      if (seen.size === max) return { ids: [...seen], isCut: true };
      seen.add(id);
    }
  }
  return { ids: [...seen], isCut: false };
}
