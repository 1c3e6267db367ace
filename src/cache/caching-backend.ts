/**
 * The cache in front of one backend. It caches per backend answer, never a merged response, so one
 * backend's failure cannot poison the others' entries, and it stores only complete answers: an error,
 * a per-trace failure or an aborted call is passed through and never stored. Concurrent misses for
 * one key share one call.
 *
 * A CachingBackend is shared by every request but is not itself a Backend: a request calls it through
 * `view(scope)`, a Backend made for one call that reads and writes only that scope's entries (every key
 * holds its scope: keys.ts) and counts what the cache served it, so fan-out can mark the call's outcome
 * `cached` (federation/fan-out.ts, RequestCache). The backend behind it gets the caller's CallOptions
 * unchanged, per-call headers included; those never enter a key or an entry (keys name the scope and
 * the backend's configured identity, keys.ts). Entries and in-flight calls are shared by scope, not by
 * headers, so a call whose headers change what the backend answers (a caller's token) must not come
 * through a view: the request path leaves the view out for such calls (federation/gateway.ts).
 *
 * A miss nobody in this process is fetching goes through `flight` (replica-flight.ts), which with
 * Redis lets one replica of several make the call while the others wait for its entry.
 */
import type { Backend, BackendHealth, BackendTrace, CallOptions, DependencyLink, Operation, TimeWindow, TraceQuery } from '../backends/backend.js';
import type { BackendError } from '../errors.js';
import type { CachedView, PeekedAnswer } from '../federation/index.js';
import type { SpanKind, TraceId, TraceSummary } from '../model/index.js';
import type { CacheConfig } from './config.js';
import {
  autocompleteKey,
  dependenciesKey,
  operationsKey,
  remoteServicesKey,
  searchKey,
  servicesKey,
  traceKey,
  type BackendIdentity,
  type CacheKind,
} from './keys.js';
import type { LayeredCache } from './layered.js';
import { traceTtlSeconds } from './policy.js';
import { ReplicaFlight } from './replica-flight.js';
import { SingleFlight } from './single-flight.js';

type TraceAnswer = BackendTrace | BackendError;

/**
 * How long an answer shared with waiting replicas (not cached) stays usable once read: it is read
 * within a poll interval of its call's end, so this only bounds clock differences between replicas.
 */
const SHARED_ANSWER_MS = 5_000;

export class CachingBackend {
  /** Shared by every view, so concurrent misses for one key (scope included) share one call. */
  readonly traceFlights = new SingleFlight<TraceAnswer>();
  readonly otherFlights = new SingleFlight<unknown>();

  constructor(
    readonly inner: Backend,
    readonly identity: BackendIdentity,
    readonly cache: LayeredCache,
    readonly ttl: CacheConfig['ttl'],
    /** Without Redis (or crossReplica off): no lock, a miss calls the backend at once. */
    readonly flight: ReplicaFlight = new ReplicaFlight(cache.stats),
  ) {}

  /** A Backend for one call under `scope` (undefined: the public scope). Cheap: make one per call. */
  view(scope: string | undefined): CachedView {
    return new CacheView(this, scope);
  }
}

/** One call's view of a CachingBackend: the caller's scope, and what the cache served this call. */
class CacheView implements CachedView {
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly shared: CachingBackend,
    private readonly scope: string | undefined,
  ) {}

  get name(): string {
    return this.shared.inner.name;
  }
  get kind() {
    return this.shared.inner.kind;
  }
  get capabilities() {
    return this.shared.inner.capabilities;
  }

  /** Every answer of the call came from the cache. */
  get isAnsweredFromCache(): boolean {
    return this.hits > 0 && this.misses === 0;
  }

  private note(hits: number, misses: number): void {
    this.hits += hits;
    this.misses += misses;
  }

  /**
   * False when the caller's scope may not use the cache (scope-registry.ts): the call goes to the
   * backend as if caching were off, and each answer counts as a skip.
   */
  private isAdmitted(kind: CacheKind, answers: number): boolean {
    const { cache } = this.shared;
    if (cache.scopes.admit(this.scope)) return true;
    this.note(0, answers);
    cache.stats.count('memory', kind, 'skip', answers);
    return false;
  }

  peekTraces(ids: readonly TraceId[]): PeekedAnswer<BackendTrace[]> | undefined {
    const { cache, identity } = this.shared;
    if (!cache.scopes.admit(this.scope)) return undefined;
    const answers = new Array<BackendTrace>(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const hit = cache.peek<BackendTrace>(traceKey(this.scope, identity, ids[i]!));
      if (hit === undefined) return undefined;
      answers[i] = hit;
    }
    return {
      value: answers,
      // Counted as getTraces counts an in-process hit (layered.ts getMany).
      take: () => {
        this.note(ids.length, 0);
        cache.stats.count('memory', 'trace', 'hit', ids.length);
      },
    };
  }

  async getTraces(ids: readonly TraceId[], call: CallOptions): Promise<TraceAnswer[]> {
    const { inner, cache, traceFlights, ttl } = this.shared;
    if (!this.isAdmitted('trace', ids.length)) return inner.getTraces(ids, call);
    const keys = ids.map((id) => traceKey(this.scope, this.shared.identity, id));
    const cached = await cache.getMany<BackendTrace>('trace', keys);
    const answers = new Array<TraceAnswer | Promise<TraceAnswer>>(ids.length);
    const toFetch: number[] = [];
    ids.forEach((_, i) => {
      const hit = cached[i];
      if (hit !== undefined) answers[i] = hit;
      else {
        // While this lookup waited on Redis, a concurrent caller may have fetched the trace: join its
        // flight, or take what it just stored, rather than ask the backend again.
        const pending = traceFlights.get(keys[i]!);
        const stored = pending ? undefined : cache.peek<BackendTrace>(keys[i]!);
        if (pending) answers[i] = pending;
        else if (stored !== undefined) answers[i] = stored;
        else toFetch.push(i);
      }
    });
    this.note(ids.length - toFetch.length, toFetch.length);

    if (toFetch.length > 0) {
      // One call for the ids nobody is fetching yet (those another replica is fetching wait for its
      // entry); each id's promise is shared with concurrent callers of this process.
      const fetchKeys = toFetch.map((i) => keys[i]!);
      const stores = new Map<number, Promise<unknown>>();
      const flights = this.shared.flight.many<TraceAnswer>('trace', fetchKeys, {
        fetch: (indexes) =>
          inner.getTraces(
            indexes.map((j) => ids[toFetch[j]!]!),
            call,
          ),
        store: (j, answer, isAwaited) => {
          // A per-id failure is neither stored nor shared: waiting replicas ask the backend themselves.
          if (!('spans' in answer)) {
            cache.stats.count('memory', 'trace', 'skip');
            return Promise.resolve(undefined);
          }
          // "No such trace" and a fresh trace kept 0 s are not stored, but waiting replicas may share them.
          const storing = (async () => {
            const isStored = await cache.set('trace', fetchKeys[j]!, answer, traceTtlSeconds(answer.spans, Date.now(), ttl));
            return isStored || !isAwaited ? undefined : cache.encodeShared(answer, SHARED_ANSWER_MS);
          })();
          stores.set(j, storing);
          return storing;
        },
        adopt: (j, bytes, isEntry) => cache.adopt<BackendTrace>(fetchKeys[j]!, bytes, isEntry),
        onFailure: () => cache.stats.count('memory', 'trace', 'skip'),
      });
      toFetch.forEach((index, j) => {
        // Concurrent callers join the flight until the answer is in the in-process layer (a compressed
        // entry lands a little after the call answers: layered.ts), so none of them asks the backend again.
        const joined = flights[j]!.then((answer) => (stores.get(j) ?? Promise.resolve()).then(() => answer));
        traceFlights.track(keys[index]!, joined);
        answers[index] = flights[j]!;
      });
    }
    return Promise.all(answers);
  }

  /** Cache-through for a single-valued answer; failures pass through and are never stored. */
  private async through<T>(kind: CacheKind, key: string | undefined, ttlSeconds: number, work: () => Promise<T>): Promise<T> {
    const { cache, otherFlights } = this.shared;
    if (key === undefined || ttlSeconds <= 0) {
      this.note(0, 1);
      return work();
    }
    if (!this.isAdmitted(kind, 1)) return work();
    const [found] = await cache.getMany<T>(kind, [key]);
    // See getTraces: a concurrent caller may have stored it while this lookup waited on Redis.
    const hit = found ?? cache.peek<T>(key);
    if (hit !== undefined) {
      this.note(1, 0);
      return hit;
    }
    this.note(0, 1);
    const { flight } = this.shared;
    return (await otherFlights.run(key, async () => {
      const [answer] = flight.many<unknown>(kind, [key], {
        fetch: async () => [await work()],
        store: async (_, fresh, isAwaited) =>
          (await cache.set(kind, key, fresh, ttlSeconds)) || !isAwaited ? undefined : cache.encodeShared(fresh, SHARED_ANSWER_MS),
        adopt: (_, bytes, isEntry) => cache.adopt(key, bytes, isEntry),
      });
      return answer!;
    })) as T;
  }

  findTraces(query: TraceQuery, call: CallOptions): Promise<TraceSummary[]> {
    const { inner, identity, ttl } = this.shared;
    return this.through('search', searchKey(this.scope, identity, query), ttl.searchSeconds, () => inner.findTraces(query, call));
  }

  getServices(call: CallOptions): Promise<string[]> {
    const { inner, identity, ttl } = this.shared;
    return this.through('services', servicesKey(this.scope, identity), ttl.metadataSeconds, () => inner.getServices(call));
  }

  getOperations(service: string, spanKind: SpanKind | null, call: CallOptions): Promise<Operation[]> {
    const { inner, identity, ttl } = this.shared;
    const key = operationsKey(this.scope, identity, service, spanKind);
    return this.through('operations', key, ttl.metadataSeconds, () => inner.getOperations(service, spanKind, call));
  }

  // Kept as long as operations (metadataSeconds), and present only when the wrapped backend has it.
  get getRemoteServices(): ((service: string, call: CallOptions) => Promise<string[]>) | undefined {
    const { inner, identity, ttl } = this.shared;
    if (!inner.getRemoteServices) return undefined;
    return (service, call) =>
      this.through('remoteServices', remoteServicesKey(this.scope, identity, service), ttl.metadataSeconds, () =>
        inner.getRemoteServices!(service, call),
      );
  }

  getDependencies(window: TimeWindow, call: CallOptions): Promise<DependencyLink[]> {
    const { inner, identity, ttl } = this.shared;
    const key = dependenciesKey(this.scope, identity, window);
    return this.through('dependencies', key, ttl.metadataSeconds, () => inner.getDependencies(window, call));
  }

  // Present only when the wrapped backend has them, so fan-out still skips backends without autocomplete.
  get getAttributeKeys(): ((call: CallOptions) => Promise<string[]>) | undefined {
    const { inner, identity, ttl } = this.shared;
    if (!inner.getAttributeKeys) return undefined;
    return (call) =>
      this.through('autocomplete', autocompleteKey(this.scope, identity, null), ttl.metadataSeconds, () => inner.getAttributeKeys!(call));
  }

  get getAttributeValues(): ((key: string, call: CallOptions) => Promise<string[]>) | undefined {
    const { inner, identity, ttl } = this.shared;
    if (!inner.getAttributeValues) return undefined;
    return (key, call) =>
      this.through('autocomplete', autocompleteKey(this.scope, identity, key), ttl.metadataSeconds, () => inner.getAttributeValues!(key, call));
  }

  health(call: CallOptions): Promise<BackendHealth> {
    return this.shared.inner.health(call);
  }

  /** A view holds nothing of its own; the backend behind it is closed by its owner (the Gateway). */
  async close(): Promise<void> {}
}
