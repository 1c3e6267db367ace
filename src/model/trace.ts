/**
 * A canonical trace (all spans sharing one trace id, possibly gathered from several backends) and its
 * summary. Tree navigation lives in trace-tree.ts; merging in federation/.
 */
import type { TraceId } from './ids.js';
import { endTimeUs, isErrorSpan, type Span } from './span.js';
import type { DurationUs, Micros } from './time.js';

export type TraceWarningCode =
  | 'ORPHAN_SPAN'
  | 'DUPLICATE_SPAN_ID'
  | 'CONFLICTING_DUPLICATE'
  | 'CLOCK_SKEW_ADJUSTED'
  | 'CLOCK_SKEW_TOO_LARGE'
  | 'MULTIPLE_ROOTS'
  | 'PARENT_CYCLE'
  | 'MAPPING';

export interface TraceWarning {
  code: TraceWarningCode;
  message: string;
  spanId: string | null;
}

export interface Trace {
  traceId: TraceId;
  spans: Span[];
  warnings: TraceWarning[];
}

/** What search results show without building full span lists in the GraphQL layer. */
export interface TraceSummary {
  traceId: TraceId;
  rootService: string | null;
  rootOperation: string | null;
  startTimeUs: Micros;
  durationUs: DurationUs;
  spanCount: number;
  errorCount: number;
  services: string[];
  /** Backends that contributed spans. */
  sources: string[];
}

export function traceStartUs(spans: readonly Span[]): Micros {
  let min = Number.POSITIVE_INFINITY;
  for (const span of spans) if (span.startTimeUs < min) min = span.startTimeUs;
  return Number.isFinite(min) ? min : 0;
}

export function traceEndUs(spans: readonly Span[]): Micros {
  let max = Number.NEGATIVE_INFINITY;
  for (const span of spans) {
    const end = endTimeUs(span);
    if (end > max) max = end;
  }
  return Number.isFinite(max) ? max : 0;
}

/** Spans grouped by trace id, each group in the order given: for answers that mix several traces. */
export function groupSpansByTrace(spans: readonly Span[]): Map<TraceId, Span[]> {
  const byTrace = new Map<TraceId, Span[]>();
  for (const span of spans) {
    let list = byTrace.get(span.traceId);
    if (list === undefined) byTrace.set(span.traceId, (list = []));
    list.push(span);
  }
  return byTrace;
}

export function uniqueServices(spans: readonly Span[]): string[] {
  return [...new Set(spans.map((s) => s.service))].sort();
}

export function uniqueSources(spans: readonly Span[]): string[] {
  const sources = new Set<string>();
  for (const span of spans) for (const source of span.sources) sources.add(source);
  return [...sources].sort();
}

/**
 * The root used for a trace's name: a span without a parent in the trace, earliest first, ties broken
 * by span id so the choice never depends on backend order.
 */
export function chooseRoot(spans: readonly Span[]): Span | null {
  const ids = new Set(spans.map((s) => s.spanId));
  let best: Span | null = null;
  for (const span of spans) {
    const hasParent = span.isSharedServer || (span.parentSpanId !== null && ids.has(span.parentSpanId));
    if (hasParent) continue;
    if (
      best === null ||
      (best.parentSpanId === null) < (span.parentSpanId === null) ||
      ((best.parentSpanId === null) === (span.parentSpanId === null) &&
        (span.startTimeUs < best.startTimeUs || (span.startTimeUs === best.startTimeUs && span.spanId < best.spanId)))
    ) {
      best = span;
    }
  }
  return best;
}

export function summarizeTrace(trace: Trace): TraceSummary {
  const start = traceStartUs(trace.spans);
  const root = chooseRoot(trace.spans);
  let errorCount = 0;
  for (const span of trace.spans) if (isErrorSpan(span)) errorCount++;
  return {
    traceId: trace.traceId,
    rootService: root?.service ?? null,
    rootOperation: root?.name ?? null,
    startTimeUs: start,
    durationUs: traceEndUs(trace.spans) - start,
    spanCount: trace.spans.length,
    errorCount,
    services: uniqueServices(trace.spans),
    sources: uniqueSources(trace.spans),
  };
}
