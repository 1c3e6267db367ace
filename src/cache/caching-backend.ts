/**
 * A Backend that answers from the layered cache and asks the backend it wraps only for misses. It
 * caches per backend answer, never a merged response, so one backend's failure cannot poison the
 * others' entries, and it stores only complete answers: an error, a per-trace failure or an
 * aborted call is passed through and never stored. Concurrent misses for one key share one call.
 *
 * Reports hits and misses through `call.cacheInfo` so the backend status list can say `cached`.
 */
import type { Backend, BackendHealth, CallOptions, DependencyLink, Operation, TimeWindow, TraceQuery } from '../backends/backend.js';
import type { BackendError } from '../errors.js';
import type { Span, SpanKind, TraceId, TraceSummary } from '../model/index.js';
import type { CacheConfig } from './config.js';
import { autocompleteKey, dependenciesKey, operationsKey, searchKey, servicesKey, traceKey, type BackendIdentity, type CacheKind } from './keys.js';
import type { LayeredCache } from './layered.js';
import { traceTtlSeconds } from './policy.js';
import { SingleFlight } from './single-flight.js';

type TraceAnswer = Span[] | BackendError;

function note(call: CallOptions, hits: number, misses: number): void {
  if (!call.cacheInfo) return;
  call.cacheInfo.hits += hits;
  call.cacheInfo.misses += misses;
}

export class CachingBackend implements Backend {
  private readonly traceFlights = new SingleFlight<TraceAnswer>();
  private readonly otherFlights = new SingleFlight<unknown>();

  constructor(
    private readonly inner: Backend,
    private readonly identity: BackendIdentity,
    private readonly cache: LayeredCache,
    private readonly ttl: CacheConfig['ttl'],
  ) {}

  get name(): string {
    return this.inner.name;
  }
  get kind() {
    return this.inner.kind;
  }
  get capabilities() {
    return this.inner.capabilities;
  }

  /**
   * False when the caller's scope may not use the cache (scope-registry.ts): the call goes to the
   * backend as if caching were off, and each answer counts as a skip.
   */
  private isAdmitted(kind: CacheKind, call: CallOptions, answers: number): boolean {
    if (this.cache.scopes.admit(call.scope)) return true;
    note(call, 0, answers);
    this.cache.stats.count('memory', kind, 'skip', answers);
    return false;
  }

  async getTraces(ids: readonly TraceId[], call: CallOptions): Promise<TraceAnswer[]> {
    if (!this.isAdmitted('trace', call, ids.length)) return this.inner.getTraces(ids, call);
    const keys = ids.map((id) => traceKey(call.scope, this.identity, id));
    const cached = await this.cache.getMany<Span[]>('trace', keys);
    const answers = new Array<TraceAnswer | Promise<TraceAnswer>>(ids.length);
    const toFetch: number[] = [];
    ids.forEach((_, i) => {
      const hit = cached[i];
      if (hit !== undefined) answers[i] = hit;
      else {
        // While this lookup waited on Redis, a concurrent caller may have fetched the trace: join its
        // flight, or take what it just stored, rather than ask the backend again.
        const pending = this.traceFlights.get(keys[i]!);
        const stored = pending ? undefined : this.cache.peek<Span[]>(keys[i]!);
        if (pending) answers[i] = pending;
        else if (stored !== undefined) answers[i] = stored;
        else toFetch.push(i);
      }
    });
    note(call, ids.length - toFetch.length, toFetch.length);

    if (toFetch.length > 0) {
      // One call for every id nobody is fetching yet; each id's promise is shared with concurrent callers.
      const batch = this.inner.getTraces(toFetch.map((i) => ids[i]!), call);
      toFetch.forEach((index, j) => {
        const key = keys[index]!;
        const single = batch.then((results) => {
          const answer = results[j];
          if (answer === undefined) throw new Error(`backend ${this.name} answered fewer results than ids`);
          return answer;
        });
        this.traceFlights.track(key, single);
        answers[index] = single;
        single.then(
          (answer) => {
            if (Array.isArray(answer)) void this.cache.set('trace', key, answer, traceTtlSeconds(answer, Date.now(), this.ttl));
            else this.cache.stats.count('memory', 'trace', 'skip');
          },
          () => this.cache.stats.count('memory', 'trace', 'skip'),
        );
      });
    }
    return Promise.all(answers);
  }

  /** Cache-through for a single-valued answer; failures pass through and are never stored. */
  private async through<T>(kind: CacheKind, key: string | undefined, ttlSeconds: number, call: CallOptions, work: () => Promise<T>): Promise<T> {
    if (key === undefined || ttlSeconds <= 0) {
      note(call, 0, 1);
      return work();
    }
    if (!this.isAdmitted(kind, call, 1)) return work();
    const [found] = await this.cache.getMany<T>(kind, [key]);
    // See getTraces: a concurrent caller may have stored it while this lookup waited on Redis.
    const hit = found ?? this.cache.peek<T>(key);
    if (hit !== undefined) {
      note(call, 1, 0);
      return hit;
    }
    note(call, 0, 1);
    const value = (await this.otherFlights.run(key, async () => {
      const fresh = await work();
      await this.cache.set(kind, key, fresh, ttlSeconds);
      return fresh;
    })) as T;
    return value;
  }

  findTraces(query: TraceQuery, call: CallOptions): Promise<TraceSummary[]> {
    return this.through('search', searchKey(call.scope, this.identity, query), this.ttl.searchSeconds, call, () => this.inner.findTraces(query, call));
  }

  getServices(call: CallOptions): Promise<string[]> {
    return this.through('services', servicesKey(call.scope, this.identity), this.ttl.metadataSeconds, call, () => this.inner.getServices(call));
  }

  getOperations(service: string, spanKind: SpanKind | null, call: CallOptions): Promise<Operation[]> {
    const key = operationsKey(call.scope, this.identity, service, spanKind);
    return this.through('operations', key, this.ttl.metadataSeconds, call, () => this.inner.getOperations(service, spanKind, call));
  }

  getDependencies(window: TimeWindow, call: CallOptions): Promise<DependencyLink[]> {
    const key = dependenciesKey(call.scope, this.identity, window);
    return this.through('dependencies', key, this.ttl.metadataSeconds, call, () => this.inner.getDependencies(window, call));
  }

  // Present only when the wrapped backend has them, so fan-out still skips backends without autocomplete.
  get getAttributeKeys(): ((call: CallOptions) => Promise<string[]>) | undefined {
    const inner = this.inner;
    if (!inner.getAttributeKeys) return undefined;
    return (call) => this.through('autocomplete', autocompleteKey(call.scope, this.identity, null), this.ttl.metadataSeconds, call, () => inner.getAttributeKeys!(call));
  }

  get getAttributeValues(): ((key: string, call: CallOptions) => Promise<string[]>) | undefined {
    const inner = this.inner;
    if (!inner.getAttributeValues) return undefined;
    return (key, call) =>
      this.through('autocomplete', autocompleteKey(call.scope, this.identity, key), this.ttl.metadataSeconds, call, () => inner.getAttributeValues!(key, call));
  }

  health(call: CallOptions): Promise<BackendHealth> {
    return this.inner.health(call);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
