/**
 * The cache-hit path (federation/fan-out.ts, answerFromMemory): a trace batch whose every backend's
 * answer the in-process cache holds is answered without a backend call, a timer or the request
 * deadline's signal, and leaves the same traces behind as a call would: OK outcomes marked cached,
 * the cache's hit counters, onOutcome, and a backend span under a traced request. Anything short of
 * that takes the usual way, and counts its lookups once.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendCaches } from '../../src/cache/backend-caches.js';
import { CachingBackend } from '../../src/cache/caching-backend.js';
import { parseCacheConfig } from '../../src/cache/config.js';
import { LayeredCache } from '../../src/cache/layered.js';
import { CacheStats } from '../../src/cache/stats.js';
import { createDeadline, fetchTraces, type Deadline, type FanOutOptions, type MergeOptions } from '../../src/federation/index.js';
import type { BackendOutcome } from '../../src/model/index.js';
import { parseTraceId } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const A = parseTraceId('a1');
const B = parseTraceId('b2');
const MERGE: MergeOptions = { lenientTraceIds: false, raw: true, clockSkew: 'off', maxClockSkewUs: 0 };
// Settled long ago: cached under the long TTL.
const spansOf = (source: string) => [A, B].map((traceId, i) => makeSpan(String(i + 1), { traceId, startTimeUs: 1_000_000, sources: [source] }));

/** A deadline that counts how often its signal was asked for (arming its timer). */
function watchedDeadline(inner: Deadline): Deadline & { reads: number } {
  return {
    reads: 0,
    get signal() {
      this.reads++;
      return inner.signal;
    },
    expiresAt: inner.expiresAt,
    remainingMs: () => inner.remainingMs(),
    isExpired: () => inner.isExpired(),
  };
}

function setup() {
  const config = parseCacheConfig({});
  const stats = new CacheStats();
  const cache = new LayeredCache(config, stats, undefined);
  const jaeger = new ScriptedBackend('jaeger', { spans: spansOf('jaeger') });
  const zipkin = new ScriptedBackend('zipkin', { spans: spansOf('zipkin') });
  const caches = new BackendCaches(
    new Map([jaeger, zipkin].map((b) => [b, new CachingBackend(b, { name: b.name, fingerprint: 'f' }, cache, config.ttl)] as const)),
  );
  const outcomes: BackendOutcome[] = [];
  const options = (deadline: Deadline = createDeadline(1_000)): FanOutOptions => ({
    deadline,
    timeoutMs: () => 1_000,
    cache: caches.forScope(undefined),
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  const calls = () => [jaeger, zipkin].map((b) => b.calls.filter((c) => c.method === 'getTraces').length);
  const counted = () => stats.snapshot().find((c) => c.layer === 'memory' && c.kind === 'trace');
  return { jaeger, zipkin, options, outcomes, calls, counted };
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a trace batch the in-process cache holds whole', () => {
  it('is answered without a backend call, a timer or the deadline signal, with cached OK outcomes and counted hits', async () => {
    const { jaeger, zipkin, options, outcomes, calls, counted } = setup();
    await fetchTraces([A, B], [jaeger, zipkin], MERGE, options());
    expect(calls()).toEqual([1, 1]);
    expect(counted()).toMatchObject({ hits: 0, misses: 4, sets: 4 });
    outcomes.length = 0;

    const deadline = watchedDeadline(createDeadline(1_000));
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const lookups = await fetchTraces([A, B], [jaeger, zipkin], MERGE, options(deadline));
    // No backend timeout armed (1,000 ms here); lru-cache keeps a 1 ms clock timer of its own.
    expect(timers.mock.calls.filter(([, ms]) => ms === 1_000)).toEqual([]);
    expect(deadline.reads).toBe(0);
    expect(calls()).toEqual([1, 1]);
    expect(counted()).toMatchObject({ hits: 4, misses: 4, sets: 4 });
    expect(outcomes.map((o) => [o.backend, o.state, o.cached])).toEqual([
      ['jaeger', 'OK', true],
      ['zipkin', 'OK', true],
    ]);
    expect(lookups.map((l) => [l.traceId, l.view?.trace.spans.length, l.outcomes.map((o) => o.cached)])).toEqual([
      [A, 1, [true, true]],
      [B, 1, [true, true]],
    ]);
  });

  it('takes the usual way when one backend misses, and counts each lookup once', async () => {
    const { jaeger, zipkin, options, calls, counted } = setup();
    await fetchTraces([A], [jaeger], MERGE, options()); // jaeger's entry for A only
    expect(counted()).toMatchObject({ hits: 0, misses: 1 });
    const [lookup] = await fetchTraces([A], [jaeger, zipkin], MERGE, options());
    expect(calls()).toEqual([1, 1]);
    // Jaeger's hit counted by the usual lookup alone, not also by the peek that found it.
    expect(counted()).toMatchObject({ hits: 1, misses: 2 });
    expect(lookup!.outcomes.map((o) => [o.backend, o.state, o.cached])).toEqual([
      ['jaeger', 'OK', true],
      ['zipkin', 'OK', false],
    ]);
  });

  it('is not answered once the request deadline has passed', async () => {
    const { jaeger, options } = setup();
    await fetchTraces([A], [jaeger], MERGE, options());
    const [lookup] = await fetchTraces([A], [jaeger], MERGE, options(createDeadline(0)));
    expect(lookup!.outcomes.map((o) => [o.state, o.code])).toEqual([['TIMEOUT', 'BACKEND_TIMEOUT']]);
  });

  it('still shows each backend as a span, marked cached, under a traced request', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    cleanups.push(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    });
    const { jaeger, zipkin, options, calls } = setup();
    await fetchTraces([A], [jaeger, zipkin], MERGE, options());
    exporter.reset();
    await trace.getTracer('test').startActiveSpan('request', async (span) => {
      await fetchTraces([A], [jaeger, zipkin], MERGE, options());
      span.end();
    });
    expect(calls()).toEqual([1, 1]);
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'request')!;
    const backends = spans.filter((s) => s.name.startsWith('backend '));
    expect(backends.map((s) => [s.name, s.attributes['tracegate.backend.outcome'], s.attributes['tracegate.backend.cached']])).toEqual([
      ['backend jaeger', 'OK', true],
      ['backend zipkin', 'OK', true],
    ]);
    for (const s of backends) expect(s.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  });
});
