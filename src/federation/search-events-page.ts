/**
 * Pages of event search hits and their cursors. A cursor is the order key of the last event a page
 * showed (time, trace id, span, place in the span), opaque to clients (base64url); the next page
 * starts at the first event after that key. Unlike an offset, the key stays right when newer events
 * arrive between two pages: they sort before it and do not shift the next page. What the page holds
 * is plain data in the shape of the schema's EventConnection.
 */
import { BadUserInputError } from '../errors.js';
import type { BackendOutcome, Span } from '../model/index.js';
import type { EventSearchResult } from './search-events.js';
import { compareEventKeys, eventKeyOf, type EventHit, type EventKey } from './search-events.js';

const CURSOR_VERSION = 'e1';
/** Time (µs, integral or not), 32 hex trace id, 16 hex span id with an optional side, place in the span. */
const CURSOR = /^e1:(-?\d{1,17}(?:\.\d{1,6})?):([0-9a-f]{32}):([0-9a-f]{16}(?::shared)?):(\d{1,6})$/;

export function encodeEventCursor(key: EventKey): string {
  return Buffer.from(`${CURSOR_VERSION}:${key.timeUs}:${key.traceId}:${key.spanKey}:${key.index}`, 'utf8').toString('base64url');
}

/** Throws BAD_USER_INPUT (argument `after`) for anything a previous page did not hand out. */
export function decodeEventCursor(cursor: string): EventKey {
  const match = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  if (match === null) throw new BadUserInputError(`after must be an endCursor returned by searchEvents, got '${cursor.slice(0, 40)}'`, 'after');
  return { timeUs: Number(match[1]), traceId: match[2]!, spanKey: match[3]!, index: Number(match[4]) };
}

export interface EventNode {
  event: { event: EventHit['event']; span: Span };
  span: Span;
  service: string;
  traceId: string;
  backends: string[];
}

export interface EventPage {
  edges: Array<{ cursor: string; node: EventNode }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
  backendStatus: BackendOutcome[];
  isComplete: boolean;
}

/** The `first` events after `after` (from the start when null); `result.hits` is newest first. */
export function pageOfEvents(result: EventSearchResult, first: number, after: EventKey | null): EventPage {
  const { hits } = result;
  let start = 0;
  if (after !== null) {
    start = hits.findIndex((hit) => compareEventKeys(eventKeyOf(hit), after) > 0);
    if (start === -1) start = hits.length;
  }
  const page = hits.slice(start, start + first);
  const edges = page.map((hit) => ({
    cursor: encodeEventCursor(eventKeyOf(hit)),
    node: {
      event: { event: hit.event, span: hit.span },
      span: hit.span,
      service: hit.span.service,
      traceId: hit.traceId,
      backends: hit.span.sources,
    },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: start + page.length < hits.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: hits.length,
    backendStatus: result.outcomes,
    isComplete: result.outcomes.every((o) => o.state === 'OK'),
  };
}
