/**
 * getTraces answers, put together the way the contract wants them (backends/backend.ts): traces
 * filed by trace id with the warnings that belong to them, then one answer per asked id, in order,
 * each a copy of its own.
 */
import type { SpanMapping } from '../../formats/shared/index.js';
import { cloneSpan, groupSpansByTrace, type TraceId } from '../../model/index.js';
import { BackendError } from '../../errors.js';
import type { BackendDeps, BackendTrace, CallOptions } from '../backend.js';

/** One wire trace as a reader mapped it; `traceId` is the id the wire trace names, when it names one. */
export interface WireTraceMapping extends SpanMapping {
  traceId?: TraceId | null | undefined;
}

/**
 * Files what a server answered for several ids at once (Jaeger's v1 multi-get, Zipkin's traceMany),
 * one mapping per wire trace, into `byId`. Spans go to the trace they carry. A mapping's warnings (a
 * skipped span, the wire trace's own warnings) go to the trace it names, else to the trace of its
 * spans, else, when one id was asked, to that id. Returns the warnings that fit no trace, for the log.
 */
export function fileTraces(mappings: Iterable<WireTraceMapping>, asked: readonly TraceId[], byId: Map<TraceId, BackendTrace>): string[] {
  const unplaced: string[] = [];
  const entry = (id: TraceId): BackendTrace => {
    let trace = byId.get(id);
    if (trace === undefined) byId.set(id, (trace = { spans: [], warnings: [] }));
    return trace;
  };
  for (const mapping of mappings) {
    const groups = groupSpansByTrace(mapping.spans);
    for (const [id, spans] of groups) entry(id).spans.push(...spans);
    if (mapping.warnings.length === 0) continue;
    const home = mapping.traceId ?? groups.keys().next().value ?? (asked.length === 1 ? asked[0] : undefined);
    if (home === undefined) unplaced.push(...mapping.warnings);
    else entry(home).warnings.push(...mapping.warnings);
  }
  return unplaced;
}

/**
 * Hands a search's whole traces to `call.onWholeTrace` (backends/backend.ts), filed as getTraces files
 * them, so each is what getTraces would answer for its id. Nothing is handed over when a warning fits
 * no trace: getTraces could place it under an asked id, so the request must fetch those traces itself.
 */
export function offerWholeTraces(mappings: readonly WireTraceMapping[], call: CallOptions): void {
  const offer = call.onWholeTrace;
  if (offer === undefined) return;
  const byId = new Map<TraceId, BackendTrace>();
  if (fileTraces(mappings, [], byId).length > 0) return;
  for (const [id, trace] of byId) offer(id, trace);
}

/** Logs warnings that belong to no asked trace (a wire trace or document without any valid id): the log is the only place left for them. */
export function logUnplacedWarnings(logger: Pick<BackendDeps['logger'], 'warn'>, backend: string, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  logger.warn({ backend, warnings: warnings.slice(0, 10), count: warnings.length }, 'getTraces: warnings that belong to no asked trace');
}

/**
 * One answer per asked id, in order: the trace filed under it, or "not held". An id asked twice gets
 * a copy the second time: the caller owns every object it receives.
 */
export function inAskedOrder(ids: readonly TraceId[], byId: ReadonlyMap<TraceId, BackendTrace | BackendError>): Array<BackendTrace | BackendError> {
  const handedOut = new Set<TraceId>();
  return ids.map((id) => {
    const trace = byId.get(id) ?? { spans: [], warnings: [] };
    if (trace instanceof BackendError || !handedOut.has(id)) {
      handedOut.add(id);
      return trace;
    }
    return { spans: trace.spans.map(cloneSpan), warnings: [...trace.warnings] };
  });
}

/**
 * A server's answer for one id: the spans of trace `id`, with the mapping's warnings. Spans of another
 * trace in the answer are dropped, and the trace says so.
 */
export function onlyTrace(id: TraceId, mapping: SpanMapping): BackendTrace {
  const spans = mapping.spans.filter((s) => s.traceId === id);
  const dropped = mapping.spans.length - spans.length;
  if (dropped === 0) return { spans, warnings: mapping.warnings };
  return { spans, warnings: [...mapping.warnings, `${dropped} span(s) of another trace in the answer for ${id} were dropped`] };
}
