/**
 * Fetches many traces from many backends at once, which is what the trace DataLoader's batch
 * function does: one getTraces call per backend for the whole batch, then one merge per trace id.
 * What a backend could not keep while reading a trace (its answer's `warnings`: a span skipped for an
 * invalid id...) becomes a MAPPING warning of the trace, naming the backend, ahead of the merge's own.
 */
import type { Backend, BackendTrace } from '../backends/backend.js';
import { BackendError } from '../errors.js';
import { withMergeSpan, withMergeSpanAsync } from '../telemetry/index.js';
import { TraceView, type BackendOutcome, type Span, type TraceId, type TraceWarning } from '../model/index.js';
import { answerFromMemory, fanOut, type FanOutOptions } from './fan-out.js';
import { mergeTraceMemoised, mergeTraceMemoisedYielding } from './merge-memo.js';
import type { MergeOptions } from './merge.js';
import { getTracesAfterSearch } from './whole-traces.js';
import { nextTurn } from '../next-turn.js';

export interface TraceLookup {
  traceId: TraceId;
  /** Null when no backend that answered holds the trace. */
  view: TraceView | null;
  /** Per-backend outcome for this trace id. */
  outcomes: BackendOutcome[];
}

/**
 * From this many spans (all backends' copies together) a trace is merged in pieces with turns of the
 * event loop between them. A 1,000-span trace merges in about a millisecond, in one piece; 10,000
 * spans from three backends take tens of milliseconds (bench scenario 10).
 */
const YIELDING_MERGE_SPANS = 5_000;

export async function fetchTraces(
  ids: readonly TraceId[],
  backends: readonly Backend[],
  merge: MergeOptions,
  options: FanOutOptions,
): Promise<TraceLookup[]> {
  // A batch the in-process cache holds whole is answered without a call (fan-out.ts, answerFromMemory).
  const entries = await (answerFromMemory<Array<BackendTrace | BackendError>>(backends, (view) => view.peekTraces(ids), options) ??
    fanOut<Array<BackendTrace | BackendError>>(
      backends,
      // Hits of this request's searches were read whole already (whole-traces.ts): only the rest is asked.
      (backend, call) =>
        options.wholeTraces === undefined || options.wholeTraces.isEmpty
          ? backend.getTraces(ids, call)
          : getTracesAfterSearch(backend, ids, call, options.wholeTraces),
      options,
    ));
  let yielded = false;
  const lookups: TraceLookup[] = [];
  for (let index = 0; index < ids.length; index++) {
    const traceId = ids[index]!;
    const perBackend: Span[][] = [];
    const mapping: TraceWarning[] = [];
    const outcomes: BackendOutcome[] = [];
    for (const entry of entries) {
      if (entry.outcome.state !== 'OK' || entry.value === undefined) {
        outcomes.push(entry.outcome);
        continue;
      }
      const answer = entry.value[index];
      if (answer instanceof BackendError || answer instanceof Error || answer === undefined) {
        // Callers get the public reason; the backend's own words go to the log (onFailure).
        const reason =
          answer === undefined
            ? `backend answered ${entry.value.length} results for ${ids.length} ids`
            : answer instanceof BackendError
              ? answer.publicReason
              : 'unexpected error in the backend adapter (logged)';
        const code = answer instanceof BackendError ? answer.code : 'BACKEND_BAD_RESPONSE';
        const outcome: BackendOutcome = { ...entry.outcome, state: code === 'BACKEND_TIMEOUT' ? 'TIMEOUT' : 'FAILED', code, reason };
        if (answer instanceof BackendError) options.onFailure?.(entry.backend, outcome, answer);
        else options.onUnexpected?.(entry.backend, answer ?? new Error(reason));
        outcomes.push(outcome);
        continue;
      }
      outcomes.push(entry.outcome);
      perBackend.push(answer.spans);
      for (const message of answer.warnings) mapping.push({ code: 'MAPPING', message: `${entry.backend.name}: ${message}`, spanId: null });
    }
    const found = perBackend.some((spans) => spans.length > 0);
    if (!found) {
      lookups.push({ traceId, view: null, outcomes });
      continue;
    }
    // A big trace is merged in pieces, each after a turn of the event loop (merge.ts, mergeTraceYielding),
    // and the answer is executed after one more: other requests wait for one piece, not the whole miss.
    const big = perBackend.reduce((n, spans) => n + spans.length, 0) >= YIELDING_MERGE_SPANS;
    if (big) yielded = true;
    // The merged trace may be shared (merge-memo.ts): the mapping warnings go on a copy of its top level.
    const merged = big
      ? await withMergeSpanAsync(traceId, perBackend.length, () => mergeTraceMemoisedYielding(traceId, perBackend, merge, nextTurn))
      : withMergeSpan(traceId, perBackend.length, () => mergeTraceMemoised(traceId, perBackend, merge));
    const trace = mapping.length === 0 ? merged : { ...merged, warnings: [...mapping, ...merged.warnings] };
    lookups.push({ traceId, view: new TraceView(trace, outcomes), outcomes });
  }
  if (yielded) await nextTurn();
  return lookups;
}
