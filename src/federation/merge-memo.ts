/**
 * Memoises mergeTrace on the identity of its inputs. Cached backend answers come back as the same
 * shared, read-only arrays on every hit (cache/layered.ts), so a dashboard refreshing a cached trace
 * would otherwise redo the whole merge (dedupe, skew, tree) per request. The merged trace and its
 * tree are shared by those requests; each gets its own TraceView (model/trace-view.ts). Answers
 * fetched afresh are new arrays and simply miss; entries die with the arrays they are keyed on.
 */
import type { MergedTrace, Span, TraceId } from '../model/index.js';
import { mergeTrace, mergeTraceYielding, type MergeOptions } from './merge.js';

interface Entry {
  inputs: ReadonlyArray<readonly Span[]>;
  trace: MergedTrace;
}

const memo = new WeakMap<readonly Span[], Map<string, Entry>>();

const sameInputs = (a: ReadonlyArray<readonly Span[]>, b: ReadonlyArray<readonly Span[]>): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export function mergeTraceMemoised(traceId: TraceId, spansPerBackend: ReadonlyArray<readonly Span[]>, options: MergeOptions): MergedTrace {
  return memoisedMerge(traceId, spansPerBackend, options, () => mergeTrace(traceId, spansPerBackend, options));
}

/** mergeTraceMemoised with mergeTraceYielding's turns of the event loop between steps (a big trace). */
export function mergeTraceMemoisedYielding(
  traceId: TraceId,
  spansPerBackend: ReadonlyArray<readonly Span[]>,
  options: MergeOptions,
  pause: () => Promise<void>,
): MergedTrace | Promise<MergedTrace> {
  return memoisedMerge(traceId, spansPerBackend, options, () => mergeTraceYielding(traceId, spansPerBackend, options, pause));
}

/** The memoised trace for these inputs, or `merge()`'s (sync or not), remembered once it is there. */
function memoisedMerge<T extends MergedTrace | Promise<MergedTrace>>(
  traceId: TraceId,
  spansPerBackend: ReadonlyArray<readonly Span[]>,
  options: MergeOptions,
  merge: () => T,
): MergedTrace | T {
  const anchor = spansPerBackend.find((s) => s.length > 0);
  if (anchor === undefined) return merge();
  const key = `${traceId}\u0000${options.raw}\u0000${options.clockSkew}\u0000${options.lenientTraceIds}\u0000${options.maxClockSkewUs}`;
  const hit = memo.get(anchor)?.get(key);
  if (hit !== undefined && sameInputs(hit.inputs, spansPerBackend)) return hit.trace;
  const remember = (trace: MergedTrace): MergedTrace => {
    let entries = memo.get(anchor);
    if (entries === undefined) memo.set(anchor, (entries = new Map()));
    entries.set(key, { inputs: [...spansPerBackend], trace });
    return trace;
  };
  const merged = merge();
  return merged instanceof Promise ? (merged.then(remember) as T) : remember(merged as MergedTrace);
}
