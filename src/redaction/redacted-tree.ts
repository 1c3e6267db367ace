/**
 * The tree of a redacted trace. A trace tree is keyed by span object (model/trace-tree.ts), and
 * redaction replaces the objects of the spans it changes, so the merged trace's tree would no longer
 * know them. Rebuilding it would redo the merge's work and could pick other parents among spans that
 * share an id; this view keeps the merge's tree and translates: old objects to new on the way out,
 * new to old on the way in. Only changed spans are in the maps; the others are their own translation.
 */
import type { Span, TraceTree } from '../model/index.js';

class RedactedTree implements TraceTree {
  readonly roots: Span[];
  readonly orphans: Span[];
  private readonly original = new Map<Span, Span>();
  private readonly children = new Map<Span, Span[]>();

  constructor(
    private readonly inner: TraceTree,
    private readonly redacted: ReadonlyMap<Span, Span>,
  ) {
    for (const [before, after] of redacted) this.original.set(after, before);
    this.roots = this.toNew(inner.roots);
    this.orphans = this.toNew(inner.orphans);
  }

  parentOf(span: Span): Span | null {
    const parent = this.inner.parentOf(this.original.get(span) ?? span);
    return parent === null ? null : (this.redacted.get(parent) ?? parent);
  }

  childrenOf(span: Span): Span[] {
    const before = this.original.get(span) ?? span;
    let list = this.children.get(before);
    if (list === undefined) this.children.set(before, (list = this.toNew(this.inner.childrenOf(before))));
    return list;
  }

  holds(span: Span): boolean {
    if (this.original.has(span)) return true;
    // A replaced object belongs to the unredacted trace, not to this one.
    return !this.redacted.has(span) && this.inner.holds(span);
  }

  private toNew(spans: Span[]): Span[] {
    let out: Span[] | undefined;
    for (let i = 0; i < spans.length; i++) {
      const after = this.redacted.get(spans[i]!);
      if (after !== undefined && out === undefined) out = spans.slice(0, i);
      out?.push(after ?? spans[i]!);
    }
    return out ?? spans;
  }
}

export function mapTree(tree: TraceTree, redacted: ReadonlyMap<Span, Span>): TraceTree {
  return new RedactedTree(tree, redacted);
}
