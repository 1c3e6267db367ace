/**
 * Merge step 3: correct clock skew between hosts. Depends on dedupe (one span per key) and on the
 * tree navigation of model/trace-tree.ts.
 *
 * Follows Jaeger's adjuster (jaeger cmd/jaeger/internal/extension/jaegerquery/internal/adjuster/
 * clockskew.go): a child on another host that starts before its parent or ends after it is assumed
 * to have a skewed clock, and is shifted so it sits in the middle of its parent (network latency
 * split evenly between request and response). A child longer than its parent is only moved to start
 * with it. Spans on the same host as their parent inherit the parent's shift: one host, one clock.
 * A shift larger than the configured maximum is not applied; the span is flagged instead.
 *
 * "Host" is the `host.name` resource attribute when present, else the service name.
 */
import { buildTraceTree, findAttribute, type Span, type TraceWarning } from '../model/index.js';

function hostOf(span: Span): string {
  const host = findAttribute(span.resource, 'host.name');
  return host && typeof host.value === 'string' ? `host:${host.value}` : `service:${span.service}`;
}

/** The shift (µs) that puts `child` inside `parent`, per Jaeger's rule; 0 when it already fits. */
export function skewFor(child: Pick<Span, 'startTimeUs' | 'durationUs'>, parent: Pick<Span, 'startTimeUs' | 'durationUs'>): number {
  const parentEnd = parent.startTimeUs + parent.durationUs;
  const childEnd = child.startTimeUs + child.durationUs;
  if (child.durationUs > parent.durationUs) {
    return child.startTimeUs < parent.startTimeUs ? parent.startTimeUs - child.startTimeUs : 0;
  }
  if (child.startTimeUs >= parent.startTimeUs && childEnd <= parentEnd) return 0;
  const latency = Math.trunc((parent.durationUs - child.durationUs) / 2);
  return parent.startTimeUs + latency - child.startTimeUs;
}

function shifted(span: Span, shiftUs: number): Span {
  if (shiftUs === 0) return span;
  return {
    ...span,
    startTimeUs: span.startTimeUs + shiftUs,
    events: span.events.map((e) => ({ ...e, timeUs: e.timeUs + shiftUs })),
    clockSkewAdjustmentUs: span.clockSkewAdjustmentUs + shiftUs,
  };
}

export function correctClockSkew(spans: readonly Span[], maxShiftUs: number, warnings: TraceWarning[]): Span[] {
  const tree = buildTraceTree(spans);
  const adjusted = new Map<Span, Span>();
  const shiftOf = new Map<Span, number>();

  const visit = (root: Span): void => {
    // Iterative DFS: a 100,000-span trace must not overflow the stack.
    const stack: Array<[Span, Span | null]> = [[root, null]];
    while (stack.length > 0) {
      const [span, parent] = stack.pop()!;
      let shift = 0;
      if (parent !== null) {
        const parentShift = shiftOf.get(parent) ?? 0;
        if (hostOf(span) === hostOf(parent)) {
          shift = parentShift;
        } else {
          const skew = skewFor(span, adjusted.get(parent)!);
          if (Math.abs(skew) > maxShiftUs) {
            warnings.push({
              code: 'CLOCK_SKEW_TOO_LARGE',
              message: `span ${span.spanId} (${span.service}) would need a ${skew} µs shift, beyond the ${maxShiftUs} µs limit; left as reported`,
              spanId: span.spanId,
            });
          } else if (skew !== 0) {
            shift = skew;
            warnings.push({
              code: 'CLOCK_SKEW_ADJUSTED',
              message: `span ${span.spanId} (${span.service}) shifted by ${skew} µs to fit inside its parent ${parent.spanId} (${parent.service})`,
              spanId: span.spanId,
            });
          }
        }
      }
      shiftOf.set(span, shift);
      const result = shifted(span, shift);
      adjusted.set(span, shift !== 0 && parent !== null && hostOf(span) !== hostOf(parent) ? { ...result, warnings: [...result.warnings, `clock skew adjusted by ${shift} µs`] } : result);
      for (const child of tree.childrenOf(span)) stack.push([child, span]);
    }
  };
  for (const root of tree.roots) visit(root);
  // Spans in a parent cycle are reached from no root; they are left as they are (build-tree flags them).
  return spans.map((span) => adjusted.get(span) ?? span);
}
