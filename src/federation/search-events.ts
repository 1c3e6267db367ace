/**
 * Event search across traces: which traces hold the event comes from each backend's own search (a
 * TraceQuery with `eventName`, which every backend's query.ts either matches exactly or refuses with
 * BACKEND_UNSUPPORTED, reported SKIPPED); the events themselves are read from those traces as the
 * request's trace loader merges them (batching, cache, redaction and tenant grants as for
 * `trace(id)`) and matched here exactly, newest first. Cursors and pages are search-events-page.ts's.
 *
 * The window bounds both the event's time and its span's start, since backends search by span start:
 * "events of spans that started in the window, at a time inside it" is what each backend can find
 * exactly. Times are compared as the merged trace shows them (clock-skew corrected, like `trace(id)`),
 * while backends search their stored times, so a span that skew correction moves across an edge of
 * the window can be missed; a window wider than the skew avoids it.
 */
import type { AttributeFilter, Backend, TimeWindow, TraceQuery } from '../backends/backend.js';
import { attributeText, type BackendOutcome, type Span, type SpanEvent, type TraceId } from '../model/index.js';
import { checkSearch } from '../redaction/index.js';
import type { FanOutOptions } from './fan-out.js';
import type { TraceLookup } from './fetch-traces.js';
import { searchTraces } from './search.js';

/** A validated event search (resolvers/validate.ts eventQueryArg). */
export interface EventQuery {
  /** Exact event name. */
  name: string;
  service: string | null;
  /** Only events of spans this backend held (`Span.sources`). */
  backend: string | null;
  /** Each matches one of the event's own attributes, compared as text. */
  attributes: AttributeFilter[];
  window: TimeWindow;
  /** Traces collected (newest first, as searchTraces collects them) before their events are read. */
  limit: number;
}

/** One matching event; `index` is its place in its span's events, part of its order key. */
export interface EventHit {
  traceId: TraceId;
  span: Span;
  event: SpanEvent;
  index: number;
}

export interface EventSearchResult {
  /** Every match in the collected traces, newest first (compareEventHits). */
  hits: EventHit[];
  outcomes: BackendOutcome[];
}

function inWindow(us: number, window: TimeWindow): boolean {
  return us >= window.startUs && us <= window.endUs;
}

/** The events of `spans` that match `query` exactly, in span order. */
export function matchingEvents(spans: readonly Span[], query: EventQuery): EventHit[] {
  const hits: EventHit[] = [];
  for (const span of spans) {
    if (query.service !== null && span.service !== query.service) continue;
    if (query.backend !== null && !span.sources.includes(query.backend)) continue;
    if (!inWindow(span.startTimeUs, query.window)) continue;
    span.events.forEach((event, index) => {
      if (event.name !== query.name || !inWindow(event.timeUs, query.window)) return;
      const attributesMatch = query.attributes.every((f) => event.attributes.some((a) => a.key === f.key && attributeText(a) === f.value));
      if (attributesMatch) hits.push({ traceId: span.traceId, span, event, index });
    });
  }
  return hits;
}

/** The search's outcome per backend, unless fetching a collected trace from it went worse. */
function combineOutcomes(search: readonly BackendOutcome[], lookups: readonly TraceLookup[]): BackendOutcome[] {
  const byBackend = new Map(search.map((o) => [o.backend, o]));
  for (const lookup of lookups) {
    for (const outcome of lookup.outcomes) {
      const known = byBackend.get(outcome.backend);
      if (outcome.state !== 'OK' && (known === undefined || known.state === 'OK')) byBackend.set(outcome.backend, outcome);
    }
  }
  return [...byBackend.values()];
}

export function compareEventHits(a: EventHit, b: EventHit): number {
  return compareEventKeys(eventKeyOf(a), eventKeyOf(b));
}

/** What orders events: newest first, then trace id, span (side included) and place in the span. */
export interface EventKey {
  timeUs: number;
  traceId: string;
  spanKey: string;
  index: number;
}

export function eventKeyOf(hit: EventHit): EventKey {
  const spanKey = hit.span.isSharedServer ? `${hit.span.spanId}:shared` : hit.span.spanId;
  return { timeUs: hit.event.timeUs, traceId: hit.traceId, spanKey, index: hit.index };
}

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareEventKeys(a: EventKey, b: EventKey): number {
  return b.timeUs - a.timeUs || text(a.traceId, b.traceId) || text(a.spanKey, b.spanKey) || a.index - b.index;
}

/**
 * `searched` are the backends asked which traces hold the event; `load` reads the collected traces
 * through the request's loader over every selected backend, so an event shows what `trace(id)` shows.
 */
export async function searchEvents(
  query: EventQuery,
  searched: readonly Backend[],
  options: FanOutOptions,
  load: (ids: TraceId[]) => Promise<TraceLookup[]>,
): Promise<EventSearchResult> {
  const traceQuery: TraceQuery = {
    service: query.service,
    operation: null,
    attributes: [],
    minDurationUs: null,
    maxDurationUs: null,
    window: query.window,
    limit: query.limit,
    eventName: query.name,
  };
  // Event attributes are not sent to backends (Zipkin's annotations have none, and Jaeger matches
  // them anywhere in a span), but a search by a redacted one is refused all the same.
  if (options.redaction !== undefined) checkSearch({ ...traceQuery, attributes: query.attributes }, options.redaction);
  const found = await searchTraces(traceQuery, searched, options);
  const lookups = await load(found.hits.map((hit) => hit.traceId));
  const hits = lookups.flatMap((lookup) => (lookup.view === null ? [] : matchingEvents(lookup.view.trace.spans, query)));
  return { hits: hits.sort(compareEventHits), outcomes: combineOutcomes(found.outcomes, lookups) };
}
