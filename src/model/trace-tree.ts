/**
 * Parent/child navigation over a trace's spans, built once per trace and shared by every field that
 * needs it. Handles Zipkin shared spans: the server half's parent is the client half with the same id,
 * and a span whose parent id names a shared pair hangs under the server half (Zipkin's own rule).
 */
import { findAttribute } from './attributes.js';
import type { Span } from './span.js';

export interface TraceTree {
  parentOf(span: Span): Span | null;
  childrenOf(span: Span): Span[];
  /** Spans with no parent in the trace (true roots and orphans), earliest first. */
  roots: Span[];
  /** Spans that name a parent the trace does not hold. */
  orphans: Span[];
}

function byStart(a: Span, b: Span): number {
  return a.startTimeUs - b.startTimeUs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Where a span runs, as Zipkin's endpoint: service plus host address when the span has one. */
function endpointOf(span: Span): string {
  const ip = findAttribute(span.attributes, 'net.host.ip')?.value;
  return `${span.service}\u0000${typeof ip === 'string' ? ip : ''}`;
}

/**
 * The server half a child of span id `parentId` runs under. Zipkin lets several servers answer one
 * client id (one shared half per receiver); a child belongs to the one on its own endpoint, as
 * Zipkin's SpanNode.Builder decides, then to the one of its service, then to the earliest.
 */
function serverHalfFor(child: Span, halves: readonly Span[]): Span {
  if (halves.length === 1) return halves[0]!;
  const endpoint = endpointOf(child);
  return halves.find((h) => endpointOf(h) === endpoint) ?? halves.find((h) => h.service === child.service) ?? halves[0]!;
}

export function buildTraceTree(spans: readonly Span[]): TraceTree {
  // Span id → the spans with that id on each side; usually one, several when ids are shared or reused.
  const clientHalves = new Map<string, Span[]>();
  const serverHalves = new Map<string, Span[]>();
  for (const span of spans) push(span.isSharedServer ? serverHalves : clientHalves, span.spanId, span);
  for (const list of [...clientHalves.values(), ...serverHalves.values()]) if (list.length > 1) list.sort(byStart);

  const parents = new Map<Span, Span | null>();
  const children = new Map<Span, Span[]>();
  const roots: Span[] = [];
  const orphans: Span[] = [];
  const underId = (child: Span, id: string): Span | null => {
    const halves = serverHalves.get(id);
    if (halves !== undefined && !(child.isSharedServer && child.spanId === id)) return serverHalfFor(child, halves);
    return clientHalves.get(id)?.[0] ?? null;
  };

  for (const span of spans) {
    let parent: Span | null = null;
    if (span.isSharedServer) {
      parent = clientHalves.get(span.spanId)?.[0] ?? null;
      if (parent === null && span.parentSpanId !== null) parent = underId(span, span.parentSpanId);
    } else if (span.parentSpanId !== null) {
      parent = underId(span, span.parentSpanId);
    }
    if (parent === span) parent = null;
    parents.set(span, parent);
    if (parent === null) {
      roots.push(span);
      if (span.parentSpanId !== null && !(span.isSharedServer && clientHalves.has(span.spanId))) orphans.push(span);
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
  };
}
