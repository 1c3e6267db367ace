/**
 * Calls every selected backend in parallel, each under its own timeout inside the request deadline,
 * and reports one outcome per backend: OK, FAILED, TIMEOUT or SKIPPED, with the reason. A backend
 * that ignores its abort signal still cannot hold the answer past its timeout: the call is raced
 * against the signal and abandoned. With a cache, each call goes through the cache's view of the
 * backend for the request's scope (RequestCache), and the outcome says whether the cache answered it.
 */
import type { Backend, BackendTrace, CallOptions } from '../backends/backend.js';
import { BackendError, ErrorCode } from '../errors.js';
import type { BackendOutcome, TraceId } from '../model/index.js';
import type { Redactor } from '../redaction/index.js';
import type { ServiceGrant } from '../tenancy/service-grant.js';
import { withBackendSpan } from '../telemetry/index.js';
import type { Deadline } from './deadline.js';
import type { WholeTraces } from './whole-traces.js';

export interface FanOutEntry<T> {
  backend: Backend;
  outcome: BackendOutcome;
  /** Present when outcome.state is OK. */
  value?: T;
}

export interface FanOutOptions {
  deadline: Deadline;
  /** Per-backend timeout in ms (from its config). */
  timeoutMs(backend: Backend): number;
  /** Returns a reason to skip this backend for this query (capability missing), or null. */
  skipReason?(backend: Backend): string | null;
  /** The cache under the request's tenant scope (cache/caching-backend.ts); absent: calls go to the backends. */
  cache?: RequestCache;
  /** Called with errors that are not BackendErrors (our bugs), for logging. */
  onUnexpected?(backend: Backend, error: unknown): void;
  /**
   * Called with every failed, timed-out or skipped outcome and what caused it (the BackendError, or
   * undefined when the timeout ended the call), for the log: callers see only the outcome's reason.
   */
  onFailure?(backend: Backend, outcome: BackendOutcome, error: BackendError | undefined): void;
  /** Called with every outcome, for metrics. */
  onOutcome?(outcome: BackendOutcome): void;
  /**
   * Extra headers for this request's call to `backend` (CallOptions.headers: the caller's bearer token
   * for a backend that enforces its own access control), or undefined for none. Asked once per backend
   * call and handed to the call (the cache's view passes them through); absent: backends send only
   * their configured headers. The values are secrets: fan-out never logs them or puts them in an
   * outcome.
   */
  callHeaders?(backend: Backend): Readonly<Record<string, string>> | undefined;
  /**
   * The request's redaction rules (README, "Redaction"); absent when redaction is off. fanOut itself
   * ignores them: they ride here because these options are the one per-request object every API hands
   * to the federation, whose searchTraces, federatedNames and federatedOperations, and the trace loaders
   * (loaders/create-loaders.ts), apply them to what goes in and out, after the cache.
   */
  redaction?: Redactor;
  /**
   * The services the request's tenant may see (tenancy/service-grant.ts); absent: all. Rides here for
   * the same reason as `redaction`, and is applied at the same places, before it.
   */
  services?: ServiceGrant;
  /**
   * The whole traces this request's searches read (whole-traces.ts): searchTraces fills it, the trace
   * loaders' fetchTraces takes from it. Absent: searches offer none and every hit is fetched.
   */
  wholeTraces?: WholeTraces;
}

/**
 * The cache as one request sees it: the view of a backend for one call, reading and writing only the
 * request's scope, or undefined for a backend the cache is not in front of. Scope and cache counts live
 * here, between the request and the cache: the Backend contract (backends/backend.ts) carries neither.
 */
export interface RequestCache {
  viewOf(backend: Backend): CachedView | undefined;
}

export interface CachedView extends Backend {
  /** After the call: every answer it gave came from the cache (the outcome's `cached`). */
  readonly isAnsweredFromCache: boolean;
  /**
   * What `getTraces(ids)` would answer when the cache's in-process layer holds every id's entry, read
   * synchronously; undefined when any is missing (or the scope may not use the cache). Nothing is
   * counted until `take()`: a caller that ends up calling `getTraces` anyway counts only there.
   */
  peekTraces(ids: readonly TraceId[]): PeekedAnswer<BackendTrace[]> | undefined;
}

export interface PeekedAnswer<T> {
  value: T;
  /** Counts the answer as served by the cache (its hit counters), once the caller uses it. */
  take(): void;
}

function outcomeOf(
  backend: Backend,
  state: BackendOutcome['state'],
  latencyMs: number,
  code: string | null,
  reason: string | null,
  cached = false,
): BackendOutcome {
  return { backend: backend.name, kind: backend.kind, state, latencyMs, code, reason, cached };
}

function rejectOnAbort(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => onAbort && signal.removeEventListener('abort', onAbort) };
}

/**
 * `call` is given what to call: the cache's view of `backend` for this call, or `backend` itself. Under
 * a traced request the call gets a span of its own (telemetry/spans.ts), active while it runs.
 */
export function callBackend<T>(
  backend: Backend,
  call: (target: Backend, options: CallOptions) => Promise<T>,
  options: FanOutOptions,
): Promise<FanOutEntry<T>> {
  return withBackendSpan(backend, () => attemptCall(backend, call, options));
}

async function attemptCall<T>(
  backend: Backend,
  call: (target: Backend, options: CallOptions) => Promise<T>,
  options: FanOutOptions,
): Promise<FanOutEntry<T>> {
  const reason = options.skipReason?.(backend) ?? null;
  if (reason !== null) return { backend, outcome: outcomeOf(backend, 'SKIPPED', 0, ErrorCode.BACKEND_UNSUPPORTED, reason) };

  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  const ownTimeout = options.timeoutMs(backend);
  if (options.deadline.isExpired()) {
    return { backend, outcome: outcomeOf(backend, 'TIMEOUT', 0, ErrorCode.BACKEND_TIMEOUT, 'request deadline already passed') };
  }
  // A timer cleared when the call settles, not AbortSignal.timeout: that one fires later for every
  // call, answered or not, and on a busy gateway (cache hits) those late aborts cost measurably.
  const ownTimer = new AbortController();
  const timer = setTimeout(() => ownTimer.abort(new DOMException(`backend timeout of ${ownTimeout} ms`, 'TimeoutError')), ownTimeout);
  const timeoutSignal = ownTimer.signal;
  const signal = AbortSignal.any([options.deadline.signal, timeoutSignal]);
  const abort = rejectOnAbort(signal);
  try {
    const view = options.cache?.viewOf(backend);
    const headers = options.callHeaders?.(backend);
    const times = { timeoutAt: Date.now() + ownTimeout, deadlineAt: options.deadline.expiresAt };
    const callOptions: CallOptions = headers === undefined ? { signal, ...times } : { signal, headers, ...times };
    const value = await Promise.race([call(view ?? backend, callOptions), abort.promise]);
    return { backend, outcome: outcomeOf(backend, 'OK', elapsed(), null, null, view?.isAnsweredFromCache ?? false), value };
  } catch (error) {
    if (signal.aborted) {
      const why = timeoutSignal.aborted ? `no answer within the backend timeout of ${ownTimeout} ms` : 'no answer before the request deadline';
      const outcome = outcomeOf(backend, 'TIMEOUT', elapsed(), ErrorCode.BACKEND_TIMEOUT, why);
      options.onFailure?.(backend, outcome, error instanceof BackendError ? error : undefined);
      return { backend, outcome };
    }
    if (error instanceof BackendError) {
      // A backend that finds it cannot serve this exact query says so with BACKEND_UNSUPPORTED: skipped, not failed.
      const state = error.code === ErrorCode.BACKEND_TIMEOUT ? 'TIMEOUT' : error.code === ErrorCode.BACKEND_UNSUPPORTED ? 'SKIPPED' : 'FAILED';
      // The public reason only: the message may hold the backend's error body and address (logged).
      const outcome = outcomeOf(backend, state, elapsed(), error.code, error.publicReason);
      options.onFailure?.(backend, outcome, error);
      return { backend, outcome };
    }
    options.onUnexpected?.(backend, error);
    return {
      backend,
      outcome: outcomeOf(backend, 'FAILED', elapsed(), ErrorCode.INTERNAL_SERVER_ERROR, 'unexpected error in the backend adapter (logged)'),
    };
  } finally {
    clearTimeout(timer);
    abort.dispose();
  }
}

export async function fanOut<T>(
  backends: readonly Backend[],
  call: (backend: Backend, options: CallOptions) => Promise<T>,
  options: FanOutOptions,
): Promise<Array<FanOutEntry<T>>> {
  const entries = await Promise.all(backends.map((backend) => callBackend(backend, call, options)));
  if (options.onOutcome) for (const entry of entries) options.onOutcome(entry.outcome);
  return entries;
}

/**
 * A fan-out the cache answers whole, without waiting: when the in-process layer holds every backend's
 * answer (`peek`), each backend's entry is OK and cached, built at once, with none of a call's
 * machinery (a timer, abort signals, the race, the request deadline's own timer): on a gateway serving
 * refreshing dashboards that machinery was most of what a hit cost the federation (bench/RESULTS.md,
 * scenario 3). Undefined, with nothing counted, when any backend's answer is not held in process, a
 * backend has no cache view, the fan-out has a skip rule or the deadline has passed: the caller fans
 * out as usual, and a Redis hit takes that way too. What a call's outcome feeds is fed alike: the
 * cache's hit counters, onOutcome (metrics, the request's trail) and, under a traced request, each
 * backend's span, marked cached.
 */
export function answerFromMemory<T>(
  backends: readonly Backend[],
  peek: (view: CachedView) => PeekedAnswer<T> | undefined,
  options: FanOutOptions,
): Promise<Array<FanOutEntry<T>>> | undefined {
  const { cache } = options;
  if (cache === undefined || options.skipReason !== undefined || options.deadline.isExpired()) return undefined;
  const started = performance.now();
  const answers: Array<PeekedAnswer<T>> = [];
  for (const backend of backends) {
    const view = cache.viewOf(backend);
    const answer = view === undefined ? undefined : peek(view);
    if (answer === undefined) return undefined;
    answers.push(answer);
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const entries = backends.map((backend, i): FanOutEntry<T> => {
    const { value, take } = answers[i]!;
    take();
    return { backend, outcome: outcomeOf(backend, 'OK', latencyMs, null, null, true), value };
  });
  return Promise.all(entries.map((entry) => withBackendSpan(entry.backend, () => Promise.resolve(entry)))).then((all) => {
    if (options.onOutcome) for (const entry of all) options.onOutcome(entry.outcome);
    return all;
  });
}
