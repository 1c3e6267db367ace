/**
 * Merge step 4: correct clock skew between hosts, only where it is provable. Navigates the tree of
 * build-tree (which depends on dedupe: one span per identity) and tells it which spans moved, so
 * order-spans and the GraphQL fields see corrected start-time order without building it again.
 * Skipped with `raw` or `federation.clockSkew: off`.
 *
 * A child on another host is shifted only when its reported times cannot be right:
 *   - it starts before its parent starts (no span starts before the span that caused it), or
 *   - it ends after its parent's known end, and the two are the halves of one synchronous call: a
 *     SERVER span under the CLIENT span that called it. Any other edge may be asynchronous (a message
 *     handled after its sender finished, a SERVER under a SERVER whose client call was not traced,
 *     fire-and-forget work), so ending later proves nothing there.
 * An unknown duration (a Zipkin span without `duration`) is unknown, never 0 µs, and so is an unknown
 * start (0: a span piece sent without timestamp): a parent without a
 * known end proves nothing about when its children end, so an asynchronous gap (a client half with
 * no duration, its server half 400 ms later) stays as reported. Zipkin's UI corrects the same way,
 * and only the server half that starts before its client.
 *
 * The shift follows Jaeger's adjuster (jaeger cmd/jaeger/internal/extension/jaegerquery/internal/
 * adjuster/clockskew.go) where both durations are known and the child fits: the child is centred in
 * its parent (network latency split evenly between request and response). Otherwise it is moved
 * just enough: to start with its parent. Spans on the parent's host inherit the parent's shift (one
 * host, one clock). A shift beyond the configured maximum is not applied; the span is flagged.
 *
 * Each shift is reported once: a CLOCK_SKEW_ADJUSTED trace warning naming the span (Trace.warnings,
 * which the schema says lists clock-skew adjustments), with the amount in the span's
 * `clockSkewAdjustmentUs`. Span.warnings stays what the backend's data said about the span. Spans that
 * follow a parent on their host carry the shift in `clockSkewAdjustmentUs` only: the warning names the
 * span whose clock was wrong.
 *
 * "Host" is the `host.name` resource attribute when present, else the service name.
 */
import { findAttribute, type Span, type TraceWarning } from '../model/index.js';
import { treeOf, type MergeStep } from './merge-step.js';

function hostOf(span: Span): string {
  const host = findAttribute(span.resource, 'host.name');
  return host && typeof host.value === 'string' ? `host:${host.value}` : `service:${span.service}`;
}

type Timed = Pick<Span, 'startTimeUs' | 'durationUs' | 'isDurationKnown' | 'kind'>;

function isSynchronousCall(child: Timed, parent: Timed): boolean {
  return parent.kind === 'CLIENT' && child.kind === 'SERVER';
}

/** The shift (µs) that puts `child` where its parent proves it must be; 0 when nothing is proven. */
export function skewFor(child: Timed, parent: Timed): number {
  // A start of 0 was never recorded (a Zipkin span piece without timestamp): nothing to prove with it.
  if (child.startTimeUs === 0 || parent.startTimeUs === 0) return 0;
  const bothKnown = child.isDurationKnown && parent.isDurationKnown;
  const startsBefore = child.startTimeUs < parent.startTimeUs;
  const endsAfter = bothKnown && isSynchronousCall(child, parent) && child.startTimeUs + child.durationUs > parent.startTimeUs + parent.durationUs;
  if (!startsBefore && !endsAfter) return 0;
  if (bothKnown && child.durationUs <= parent.durationUs) {
    const latency = Math.trunc((parent.durationUs - child.durationUs) / 2);
    return parent.startTimeUs + latency - child.startTimeUs;
  }
  // Longer than its parent, or a length unknown: starting with the parent is the least it must move.
  return startsBefore ? parent.startTimeUs - child.startTimeUs : 0;
}

/** Moves a span (an object the merge owns: merge-step.ts) and its events by `shiftUs`. */
function shift(span: Span, shiftUs: number): void {
  span.startTimeUs += shiftUs;
  span.events = span.events.map((e) => ({ ...e, timeUs: e.timeUs + shiftUs }));
  span.clockSkewAdjustmentUs += shiftUs;
}

export const correctClockSkew: MergeStep = (spans, ctx) => {
  const warnings: TraceWarning[] = [];
  const { raw, clockSkew, maxClockSkewUs: maxShiftUs } = ctx.options;
  if (raw || clockSkew === 'off') return { spans, warnings };
  const tree = treeOf(ctx);
  const shiftOf = new Map<Span, number>();
  const moved: Span[] = [];

  const visit = (root: Span): void => {
    // Iterative DFS, parents before children, so a parent is already where it belongs when its
    // children are measured against it. A 100,000-span trace must not overflow the stack.
    const stack: Array<[Span, Span | null]> = [[root, null]];
    while (stack.length > 0) {
      const [span, parent] = stack.pop()!;
      let shiftUs = 0;
      if (parent !== null) {
        if (hostOf(span) === hostOf(parent)) {
          shiftUs = shiftOf.get(parent) ?? 0;
        } else {
          const skew = skewFor(span, parent);
          if (Math.abs(skew) > maxShiftUs) {
            warnings.push({
              code: 'CLOCK_SKEW_TOO_LARGE',
              message: `span ${span.spanId} (${span.service}) would need a ${skew} µs shift, beyond the ${maxShiftUs} µs limit; left as reported`,
              spanId: span.spanId,
            });
          } else if (skew !== 0) {
            shiftUs = skew;
            warnings.push({
              code: 'CLOCK_SKEW_ADJUSTED',
              message: `span ${span.spanId} (${span.service}) shifted by ${skew} µs to fit inside its parent ${parent.spanId} (${parent.service})`,
              spanId: span.spanId,
            });
          }
        }
      }
      shiftOf.set(span, shiftUs);
      if (shiftUs !== 0) {
        shift(span, shiftUs);
        moved.push(span);
      }
      for (const child of tree.childrenOf(span)) stack.push([child, span]);
    }
  };
  for (const root of tree.roots) visit(root);
  // Spans in a parent cycle are reached from no root; they are left as they are (order-spans flags them).
  tree.spansMoved(moved);
  return { spans, warnings };
};
