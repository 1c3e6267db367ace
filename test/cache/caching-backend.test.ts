import { describe, expect, it } from 'vitest';
import type { BackendTrace } from '../../src/backends/backend.js';
import { CachingBackend } from '../../src/cache/caching-backend.js';
import { parseCacheConfig } from '../../src/cache/config.js';
import { LayeredCache } from '../../src/cache/layered.js';
import { CacheStats } from '../../src/cache/stats.js';
import { BackendError } from '../../src/errors.js';
import { parseTraceId } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { ScriptedBackend } from '../support/scripted-backend.js';
import { spansOf } from '../support/spans-of.js';

const OLD = 1_000_000; // µs: a trace from 1970 is long settled
const A = parseTraceId('a1');
const B = parseTraceId('b2');

function setup(script = {}, ttl = {}, scopes = {}) {
  const config = parseCacheConfig({ ttl, scopes });
  const inner = new ScriptedBackend('jaeger', {
    spans: [makeSpan('1', { traceId: A, startTimeUs: OLD }), makeSpan('2', { traceId: B, startTimeUs: OLD })],
    ...script,
  });
  const cache = new LayeredCache(config, new CacheStats(), undefined);
  const caching = new CachingBackend(inner, { name: 'jaeger', fingerprint: 'f' }, cache, config.ttl);
  const call = () => ({ signal: AbortSignal.timeout(5_000) });
  /** A view for one call, as fan-out makes one per call; `scope` undefined is the public scope. */
  const backend = (scope?: string) => caching.view(scope);
  const getTracesCalls = () => inner.calls.filter((c) => c.method === 'getTraces').map((c) => c.args);
  return { inner, cache, backend, call, getTracesCalls };
}

describe('CachingBackend', () => {
  it('answers a settled trace from the cache the second time', async () => {
    const { backend, call, getTracesCalls } = setup();
    const first = backend();
    await first.getTraces([A], call());
    const second = backend();
    const answer = await second.getTraces([A], call());
    expect(spansOf(answer)[0]).toHaveLength(1);
    expect(getTracesCalls()).toEqual([[A]]);
    expect(first.isAnsweredFromCache).toBe(false);
    expect(second.isAnsweredFromCache).toBe(true);
  });

  it('asks the backend only for the ids it misses, in one call', async () => {
    const { backend, call, getTracesCalls } = setup();
    await backend().getTraces([A], call());
    await backend().getTraces([A, B], call());
    expect(getTracesCalls()).toEqual([[A], [B]]);
  });

  it('does not cache "no such trace"', async () => {
    const { backend, call, getTracesCalls } = setup();
    const missing = parseTraceId('c3');
    await backend().getTraces([missing], call());
    await backend().getTraces([missing], call());
    expect(getTracesCalls()).toEqual([[missing], [missing]]);
  });

  it('does not cache a failed answer, and the next call after recovery is stored', async () => {
    const { backend, call, inner, getTracesCalls } = setup({ fail: new BackendError('BACKEND_UNAVAILABLE', 'jaeger', 'down') });
    await expect(backend().getTraces([A], call())).rejects.toThrow('down');
    delete inner.script.fail;
    await backend().getTraces([A], call());
    await backend().getTraces([A], call());
    expect(getTracesCalls()).toEqual([[A], [A]]);
  });

  it('keeps a fresh trace only for the short TTL (0 = not at all)', async () => {
    const now = Date.now() * 1000;
    const { backend, call, getTracesCalls } = setup({ spans: [makeSpan('1', { traceId: A, startTimeUs: now })] }, { freshTraceSeconds: 0 });
    await backend().getTraces([A], call());
    await backend().getTraces([A], call());
    expect(getTracesCalls()).toHaveLength(2);
  });

  it("never lets one tenant read another tenant's entry", async () => {
    const { backend, call, getTracesCalls } = setup();
    await backend('tenant-a').getTraces([A], call());
    await backend('tenant-b').getTraces([A], call());
    await backend('tenant-a').getTraces([A], call());
    expect(getTracesCalls()).toEqual([[A], [A]]);
  });

  it('answers a scope beyond cache.scopes.max from the backend, never stored and never from another scope', async () => {
    const { backend, call, cache, inner, getTracesCalls } = setup({ summaries: [] }, {}, { max: 2 });
    await backend().getTraces([A], call());
    await backend('team-a').getTraces([A], call());
    await backend('team-b').getTraces([A], call());
    expect(getTracesCalls()).toHaveLength(3);
    // A third scope: every call reaches the backend, nothing is stored or read for it.
    const late = backend('team-c');
    const answer = await late.getTraces([A, B], call());
    await backend('team-c').getTraces([A, B], call());
    expect(spansOf(answer)[0]).toHaveLength(1);
    expect(late.isAnsweredFromCache).toBe(false);
    expect(getTracesCalls().slice(3)).toEqual([
      [A, B],
      [A, B],
    ]);
    const query = {
      service: 'x',
      operation: null,
      attributes: [],
      minDurationUs: null,
      maxDurationUs: null,
      window: { startUs: 0, endUs: 1_000 },
      limit: 10,
    };
    await backend('team-c').findTraces(query, call());
    await backend('team-c').findTraces(query, call());
    expect(inner.calls.filter((c) => c.method === 'findTraces')).toHaveLength(2);
    const counters = cache.stats.snapshot().filter((c) => c.layer === 'memory');
    expect(counters.find((c) => c.kind === 'trace')?.skips).toBe(4);
    expect(counters.find((c) => c.kind === 'search')?.skips).toBe(2);
    // The admitted scopes and the public one keep their entries.
    await backend('team-a').getTraces([A], call());
    await backend().getTraces([A], call());
    expect(getTracesCalls()).toHaveLength(5);
  });

  it('makes 100 concurrent misses for one trace cost one backend call', async () => {
    const { backend, call, getTracesCalls } = setup({ delayMs: 50 });
    const answers = await Promise.all(Array.from({ length: 100 }, () => backend().getTraces([A], call())));
    expect(answers.every((a) => spansOf(a)[0]!.length === 1)).toBe(true);
    expect(getTracesCalls()).toHaveLength(1);
  });

  it('makes concurrent identical searches cost one call and caches the answer', async () => {
    const { backend, call, inner } = setup({ delayMs: 20, summaries: [] });
    const query = {
      service: 'x',
      operation: null,
      attributes: [],
      minDurationUs: null,
      maxDurationUs: null,
      window: { startUs: 0, endUs: 1_000 },
      limit: 10,
    };
    await Promise.all(Array.from({ length: 20 }, () => backend().findTraces(query, call())));
    await backend().findTraces({ ...query, attributes: [] }, call());
    expect(inner.calls.filter((c) => c.method === 'findTraces')).toHaveLength(1);
    await backend().findTraces({ ...query, limit: 11 }, call());
    expect(inner.calls.filter((c) => c.method === 'findTraces')).toHaveLength(2);
  });

  it("keeps a trace's warnings with its spans, from the cache as from the backend", async () => {
    const { backend, call, getTracesCalls } = setup({ traceWarnings: { [A]: ["skipped span 'x': id 'zz' is not 1–16 hex digits"] } });
    const fresh = await backend().getTraces([A], call());
    const cached = await backend().getTraces([A], call());
    expect(getTracesCalls()).toHaveLength(1);
    expect(cached).toEqual(fresh);
    expect((cached[0] as BackendTrace).warnings).toEqual(["skipped span 'x': id 'zz' is not 1–16 hex digits"]);
  });

  it('calls the backend behind it with nothing but the signal', async () => {
    const seen: string[][] = [];
    const { backend, inner } = setup();
    const getTraces = inner.getTraces.bind(inner);
    inner.getTraces = (ids, options) => {
      seen.push(Object.keys(options));
      return getTraces(ids, options);
    };
    await backend('tenant-a').getTraces([A], { signal: AbortSignal.timeout(5_000) });
    expect(seen).toEqual([['signal']]);
  });
});
