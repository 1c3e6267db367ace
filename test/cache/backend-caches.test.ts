import { describe, expect, it } from 'vitest';
import { BackendCaches } from '../../src/cache/backend-caches.js';
import { CachingBackend } from '../../src/cache/caching-backend.js';
import { parseCacheConfig } from '../../src/cache/config.js';
import { LayeredCache } from '../../src/cache/layered.js';
import { CacheStats } from '../../src/cache/stats.js';
import { createDeadline, fanOut, type FanOutOptions } from '../../src/federation/index.js';
import { parseTraceId } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const A = parseTraceId('a1');

function setup() {
  const config = parseCacheConfig({});
  const cached = new ScriptedBackend('jaeger', { spans: [makeSpan('1', { traceId: A, startTimeUs: 1_000_000 })] });
  const uncached = new ScriptedBackend('zipkin', { spans: [makeSpan('1', { traceId: A, startTimeUs: 1_000_000 })] });
  const cache = new LayeredCache(config, new CacheStats(), undefined);
  const caches = new BackendCaches(new Map([[cached, new CachingBackend(cached, { name: 'jaeger', fingerprint: 'f' }, cache, config.ttl)]]));
  const options = (scope?: string): FanOutOptions => ({ deadline: createDeadline(1_000), timeoutMs: () => 1_000, cache: caches.forScope(scope) });
  const getTraces = (scope?: string) => fanOut([cached, uncached], (b, call) => b.getTraces([A], call), options(scope));
  const calls = (backend: ScriptedBackend) => backend.calls.filter((c) => c.method === 'getTraces').length;
  return { cached, uncached, getTraces, calls };
}

describe('BackendCaches', () => {
  it('answers a request from the cache under its own scope only, and the outcome says so', async () => {
    const { cached, getTraces, calls } = setup();
    expect((await getTraces('tenant-a')).map((e) => e.outcome.cached)).toEqual([false, false]);
    expect((await getTraces('tenant-a')).map((e) => e.outcome.cached)).toEqual([true, false]);
    expect(calls(cached)).toBe(1);
    // Another scope, and the public one, do not see tenant-a's entry.
    expect((await getTraces('tenant-b'))[0]!.outcome.cached).toBe(false);
    expect((await getTraces())[0]!.outcome.cached).toBe(false);
    expect(calls(cached)).toBe(3);
  });

  it('calls a backend it is not in front of directly, every time', async () => {
    const { uncached, getTraces, calls } = setup();
    await getTraces();
    await getTraces();
    expect(calls(uncached)).toBe(2);
  });
});
