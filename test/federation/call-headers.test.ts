/**
 * FanOutOptions.callHeaders: the fan-out asks it once per backend call and puts its answer in that
 * call's CallOptions.headers, through every federation entry point (their options spreads keep it)
 * and through the cache's view, which hands the CallOptions on unchanged and never puts the headers in
 * a key or an entry. The wire side (each backend sends them) is test/integration/backends/call-headers.int.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Backend, CallOptions } from '../../src/backends/backend.js';
import { CachingBackend } from '../../src/cache/caching-backend.js';
import { parseCacheConfig } from '../../src/cache/config.js';
import { LayeredCache } from '../../src/cache/layered.js';
import { CacheStats } from '../../src/cache/stats.js';
import {
  createDeadline,
  fanOut,
  federatedDependencies,
  federatedNames,
  federatedOperations,
  federatedRemoteServices,
  federatedServices,
  fetchTraces,
  searchTraces,
  type FanOutOptions,
  type MergeOptions,
  type RequestCache,
} from '../../src/federation/index.js';
import { parseTraceId } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const TOKEN = 'Bearer secret-token-0b1d';
const A = parseTraceId('a1');
const OLD = 1_000_000; // µs: a settled trace, cacheable
const MERGE: MergeOptions = { lenientTraceIds: false, raw: true, clockSkew: 'off', maxClockSkewUs: 0 };
const WINDOW = { startUs: 0, endUs: 10_000_000 };

/** A scripted backend that also keeps remote services and autocomplete data, so every entry point calls it. */
class FullBackend extends ScriptedBackend {
  constructor(name: string) {
    super(name, { services: ['checkout'], spans: [makeSpan('1', { traceId: A, startTimeUs: OLD })] }, undefined, 'jaeger');
  }
  getRemoteServices(_service: string, call: CallOptions): Promise<string[]> {
    this.received.push({ method: 'getRemoteServices', call });
    return Promise.resolve([]);
  }
  getAttributeKeys(call: CallOptions): Promise<string[]> {
    this.received.push({ method: 'getAttributeKeys', call });
    return Promise.resolve([]);
  }
  getAttributeValues(_key: string, call: CallOptions): Promise<string[]> {
    this.received.push({ method: 'getAttributeValues', call });
    return Promise.resolve([]);
  }
}

/** Headers for `jaeger-a` only: the hook chooses per backend. */
const tokenForA = (backend: Backend) => (backend.name === 'jaeger-a' ? { Authorization: TOKEN } : undefined);

function options(extra: Partial<FanOutOptions> = {}): FanOutOptions {
  return { deadline: createDeadline(1_000), timeoutMs: () => 1_000, ...extra };
}

const headersSeen = (backend: ScriptedBackend) => backend.received.map((r) => r.call.headers);

describe('FanOutOptions.callHeaders', () => {
  it('is asked once per backend call, with that backend, and its answer reaches only that call', async () => {
    const [a, b] = [new FullBackend('jaeger-a'), new FullBackend('jaeger-b')];
    const asked: string[] = [];
    const callHeaders = (backend: Backend) => {
      asked.push(backend.name);
      return tokenForA(backend);
    };
    const entries = await fanOut([a, b], (backend, call) => backend.getServices(call), options({ callHeaders }));
    expect(entries.map((e) => e.outcome.state)).toEqual(['OK', 'OK']);
    expect(asked).toEqual(['jaeger-a', 'jaeger-b']);
    expect(headersSeen(a)).toEqual([{ Authorization: TOKEN }]);
    // No headers: the call has no `headers` at all, so the backend sends its configured ones only.
    expect(b.received.map((r) => 'headers' in r.call)).toEqual([false]);
  });

  it('leaves the headers out of the call when the options have no hook', async () => {
    const a = new FullBackend('jaeger-a');
    await fanOut([a], (backend, call) => backend.getServices(call), options());
    // The signal and when the call must end (the backend's timeout, the request deadline): no headers.
    expect(a.received.map((r) => Object.keys(r.call))).toEqual([['signal', 'timeoutAt', 'deadlineAt']]);
  });

  it('is not asked for a skipped backend', async () => {
    const a = new FullBackend('jaeger-a');
    const callHeaders = vi.fn(tokenForA);
    await fanOut([a], (backend, call) => backend.getServices(call), options({ callHeaders, skipReason: () => 'cannot' }));
    expect(callHeaders).not.toHaveBeenCalled();
    expect(a.received).toEqual([]);
  });

  const ENTRY_POINTS: Array<{ description: string; method: string; run(backends: Backend[], o: FanOutOptions): Promise<unknown> }> = [
    { description: 'fetchTraces (the trace loaders)', method: 'getTraces', run: (bs, o) => fetchTraces([A], bs, MERGE, o) },
    {
      description: 'searchTraces',
      method: 'findTraces',
      run: (bs, o) =>
        searchTraces(
          { service: 'checkout', operation: null, attributes: [], minDurationUs: null, maxDurationUs: null, window: WINDOW, limit: 10 },
          bs,
          o,
        ),
    },
    { description: 'federatedServices', method: 'getServices', run: (bs, o) => federatedServices(bs, o) },
    { description: 'federatedOperations', method: 'getOperations', run: (bs, o) => federatedOperations('checkout', null, bs, o) },
    { description: 'federatedRemoteServices', method: 'getRemoteServices', run: (bs, o) => federatedRemoteServices('checkout', bs, o) },
    { description: 'federatedNames (keys)', method: 'getAttributeKeys', run: (bs, o) => federatedNames('keys', null, bs, o) },
    { description: 'federatedNames (values)', method: 'getAttributeValues', run: (bs, o) => federatedNames('values', 'k', bs, o) },
  ];

  it.each(ENTRY_POINTS)('reaches call.headers through $description', async ({ method, run }) => {
    const [a, b] = [new FullBackend('jaeger-a'), new FullBackend('jaeger-b')];
    await run([a, b], options({ callHeaders: tokenForA }));
    expect(a.received.map((r) => [r.method, r.call.headers])).toEqual([[method, { Authorization: TOKEN }]]);
    expect(b.received.map((r) => [r.method, r.call.headers])).toEqual([[method, undefined]]);
  });

  it('reaches call.headers through federatedDependencies', async () => {
    const a = new FullBackend('jaeger-a');
    // Dependencies are asked only of a backend that has them.
    Object.assign(a.capabilities, { dependencies: true });
    await federatedDependencies(WINDOW, [a], options({ callHeaders: tokenForA }));
    expect(a.received.map((r) => [r.method, r.call.headers])).toEqual([['getDependencies', { Authorization: TOKEN }]]);
  });
});

describe("the cache's view", () => {
  function cached(inner: Backend) {
    const config = parseCacheConfig({});
    const cache = new LayeredCache(config, new CacheStats(), undefined);
    const caching = new CachingBackend(inner, { name: inner.name, fingerprint: 'f' }, cache, config.ttl);
    const written: unknown[] = [];
    const set = cache.set.bind(cache);
    vi.spyOn(cache, 'set').mockImplementation((kind, key, value, ttl) => {
      written.push([kind, key, value]);
      return set(kind, key, value, ttl);
    });
    const read: unknown[] = [];
    const getMany = cache.getMany.bind(cache);
    vi.spyOn(cache, 'getMany').mockImplementation((kind, keys) => {
      read.push(keys);
      return getMany(kind, keys);
    });
    const requestCache: RequestCache = { viewOf: () => caching.view('tenant-a') };
    return { requestCache, written, read };
  }

  it('hands the CallOptions fan-out made to the backend behind it, headers included, and keeps them out of keys and entries', async () => {
    const inner = new FullBackend('jaeger-a');
    const { requestCache, written, read } = cached(inner);
    const o = options({ callHeaders: tokenForA, cache: requestCache });
    await fetchTraces([A], [inner], MERGE, o);
    await federatedServices([inner], o);
    await federatedOperations('checkout', null, [inner], o);
    await federatedRemoteServices('checkout', [inner], o);
    await federatedNames('keys', null, [inner], o);
    await federatedNames('values', 'k', [inner], o);
    expect(inner.received.map((r) => [r.method, r.call.headers])).toEqual(
      ['getTraces', 'getServices', 'getOperations', 'getRemoteServices', 'getAttributeKeys', 'getAttributeValues'].map((m) => [
        m,
        { Authorization: TOKEN },
      ]),
    );
    expect(written.length).toBeGreaterThan(0);
    expect(JSON.stringify([written, read])).not.toContain('secret-token');
  });

  it('passes the CallOptions on unchanged when the scope may not use the cache', async () => {
    const inner = new FullBackend('jaeger-a');
    const config = parseCacheConfig({ scopes: { max: 1 } });
    const caching = new CachingBackend(
      inner,
      { name: inner.name, fingerprint: 'f' },
      new LayeredCache(config, new CacheStats(), undefined),
      config.ttl,
    );
    const call: CallOptions = { signal: AbortSignal.timeout(1_000), headers: { Authorization: TOKEN } };
    // The first scope takes the only place; the second is not admitted and goes straight to the backend.
    await caching.view('tenant-a').getTraces([A], call);
    await caching.view('tenant-b').getTraces([A], call);
    await caching.view('tenant-b').health(call);
    expect(inner.received.map((r) => r.call)).toEqual([call, call, call]);
    expect(inner.received.every((r) => r.call === call)).toBe(true);
  });
});
