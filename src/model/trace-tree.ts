/**
 * Parent/child navigation over a trace's spans, built once per merged trace (federation/build-tree.ts)
 * and shared by the merge steps after it and by every GraphQL field that needs it. Handles Zipkin
 * shared spans: the server half's parent is the client half with the same id, and a span whose parent
 * id names a shared pair hangs under the server half (Zipkin's own rule).
 *
 * The tree is keyed by span object, not by id (several spans may share an id), so it answers only for
 * the very objects it was built from.
 */
import { findAttribute } from './attributes.js';
import { compareText } from './order.js';
import type { Span } from './span.js';

export interface TraceTree {
  parentOf(span: Span): Span | null;
  childrenOf(span: Span): Span[];
  /** Whether `span` (this object, not its id) is one of the spans the tree was built from. */
  holds(span: Span): boolean;
  /** Spans with no parent in the trace (true roots and orphans), earliest first. */
  readonly roots: Span[];
  /** Spans that name a parent the trace does not hold. */
  readonly orphans: Span[];
}

/** A tree whose spans may still move in time: clock-skew correction shifts spans after it is built. */
export interface AdjustableTraceTree extends TraceTree {
  /**
   * Restores start-time order after the start times of `moved` changed in place. Only the lists that
   * hold a moved span are sorted again; when a moved span shares its id with another candidate parent
   * (duplicate ids, several server halves), the earliest-wins choice of parent may change, and the
   * links are made again from the same spans.
   */
  spansMoved(moved: readonly Span[]): void;
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

interface Node {
  /** Position in the spans the tree was built from: the last tie-break, so order never depends on sort history. */
  readonly index: number;
  parent: Span | null;
  children: Span[] | undefined;
}

class SpanTree implements AdjustableTraceTree {
  roots: Span[] = [];
  orphans: Span[] = [];
  private readonly nodes = new Map<Span, Node>();
  /** Spans that share their id (and side) with another span: the only ones whose start picks a parent. */
  private contested = new Set<Span>();

  constructor(private readonly spans: readonly Span[]) {
    for (let i = 0; i < spans.length; i++) this.nodes.set(spans[i]!, { index: i, parent: null, children: undefined });
    this.link();
  }

  parentOf(span: Span): Span | null {
    return this.nodes.get(span)?.parent ?? null;
  }

  childrenOf(span: Span): Span[] {
    return this.nodes.get(span)?.children ?? [];
  }

  holds(span: Span): boolean {
    return this.nodes.has(span);
  }

  spansMoved(moved: readonly Span[]): void {
    if (moved.length === 0) return;
    if (moved.some((span) => this.contested.has(span))) {
      this.link();
      return;
    }
    const resorted = new Set<Span[]>();
    for (const span of moved) {
      const parent = this.nodes.get(span)?.parent;
      const list = parent == null ? this.roots : this.nodes.get(parent)!.children!;
      if (resorted.has(list)) continue;
      resorted.add(list);
      list.sort(this.byStart);
    }
  }

  /** Earliest first; equal starts by span id, then by position in the input (what a stable sort of it gives). */
  private readonly byStart = (a: Span, b: Span): number =>
    a.startTimeUs - b.startTimeUs || compareText(a.spanId, b.spanId) || this.nodes.get(a)!.index - this.nodes.get(b)!.index;

  private link(): void {
    const spans = this.spans;
    // Span id → the spans with that id on each side; usually one, several when ids are shared or reused.
    const clientHalves = new Map<string, Span[]>();
    const serverHalves = new Map<string, Span[]>();
    for (const span of spans) push(span.isSharedServer ? serverHalves : clientHalves, span.spanId, span);
    this.contested = new Set();
    for (const list of [...clientHalves.values(), ...serverHalves.values()]) {
      if (list.length < 2) continue;
      list.sort(this.byStart);
      for (const span of list) this.contested.add(span);
    }

    const roots: Span[] = [];
    const orphans: Span[] = [];
    for (const node of this.nodes.values()) {
      node.parent = null;
      node.children = undefined;
    }
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
      this.nodes.get(span)!.parent = parent;
      if (parent === null) {
        roots.push(span);
        if (span.parentSpanId !== null && !(span.isSharedServer && clientHalves.has(span.spanId))) orphans.push(span);
      } else {
        const node = this.nodes.get(parent)!;
        (node.children ??= []).push(span);
      }
    }
    for (const node of this.nodes.values()) if (node.children !== undefined && node.children.length > 1) node.children.sort(this.byStart);
    roots.sort(this.byStart);
    this.roots = roots;
    this.orphans = orphans;
  }
}

export function buildTraceTree(spans: readonly Span[]): AdjustableTraceTree {
  return new SpanTree(spans);
}
