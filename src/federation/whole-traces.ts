/**
 * The whole traces one request's searches read (CallOptions.onWholeTrace: Jaeger's and Zipkin's search
 * APIs answer with whole traces, the Elasticsearch backend fetches them to summarise), kept per backend
 * so the request's trace loaders take them instead of asking the backend for the hits a second time:
 * a search page is then one round trip per backend, not two (issue 16, bench scenario 9).
 *
 * Each trace is what that backend's getTraces answers for its id (the backend's promise), so merging
 * it is merging a fetch. Only the searches a backend answered OK are kept (search.ts), each trace is
 * taken once (a second loader asking the same backend for it fetches it), and nothing here is cached.
 */
import type { Backend, BackendTrace, CallOptions } from '../backends/backend.js';
import type { BackendError } from '../errors.js';
import type { TraceId } from '../model/index.js';

export class WholeTraces {
  private readonly byBackend = new Map<string, Map<TraceId, BackendTrace>>();

  keep(backend: string, traces: ReadonlyMap<TraceId, BackendTrace>): void {
    if (traces.size === 0) return;
    const held = this.byBackend.get(backend);
    if (held === undefined) this.byBackend.set(backend, new Map(traces));
    else for (const [id, trace] of traces) held.set(id, trace);
  }

  /** The trace `backend` read for `id` in a search, forgotten once taken. */
  take(backend: string, id: TraceId): BackendTrace | undefined {
    const held = this.byBackend.get(backend);
    const trace = held?.get(id);
    if (trace !== undefined) held!.delete(id);
    return trace;
  }

  get isEmpty(): boolean {
    for (const held of this.byBackend.values()) if (held.size > 0) return false;
    return true;
  }
}

/**
 * `target.getTraces(ids)`, with the ids a search already read taken from `whole` and only the others
 * asked for (none: no call at all).
 */
export async function getTracesAfterSearch(
  target: Backend,
  ids: readonly TraceId[],
  call: CallOptions,
  whole: WholeTraces,
): Promise<Array<BackendTrace | BackendError>> {
  const known = ids.map((id) => whole.take(target.name, id));
  const missing: number[] = [];
  known.forEach((trace, i) => {
    if (trace === undefined) missing.push(i);
  });
  if (missing.length === ids.length) return target.getTraces(ids, call);
  const answers: Array<BackendTrace | BackendError> = known.map((trace) => trace ?? { spans: [], warnings: [] });
  if (missing.length === 0) return answers;
  const fetched = await target.getTraces(
    missing.map((i) => ids[i]!),
    call,
  );
  missing.forEach((index, j) => {
    answers[index] = fetched[j]!;
  });
  return answers;
}
