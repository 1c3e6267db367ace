import { describe, expect, it } from 'vitest';
import type { BackendTrace, CallOptions, TraceQuery } from '../../src/backends/backend.js';
import { BackendError } from '../../src/errors.js';
import { createDeadline, fetchTraces, searchTraces, WholeTraces, type FanOutOptions, type MergeOptions } from '../../src/federation/index.js';
import { parseTraceId, summarizeTrace, type TraceId } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const A = parseTraceId('a1');
const B = parseTraceId('b2');
const MERGE: MergeOptions = { lenientTraceIds: false, raw: true, clockSkew: 'off', maxClockSkewUs: 0 };
const QUERY: TraceQuery = {
  service: 'svc',
  operation: null,
  attributes: [],
  minDurationUs: null,
  maxDurationUs: null,
  window: { startUs: 0, endUs: 10_000_000 },
  limit: 20,
};

/** A backend whose search reads whole traces and offers them, as Jaeger's and Zipkin's do. */
class OfferingBackend extends ScriptedBackend {
  override findTraces(query: unknown, call: CallOptions) {
    for (const id of [A, B]) call.onWholeTrace?.(id, this.traceOf(id));
    return super.findTraces(query, call);
  }

  traceOf(id: TraceId): BackendTrace {
    return { spans: [makeSpan(id === A ? '1' : '2', { traceId: id, service: 'svc', sources: [this.name] })], warnings: [] };
  }
}

function offering(name: string, fail?: BackendError): OfferingBackend {
  const spans = [makeSpan('1', { traceId: A, service: 'svc' }), makeSpan('2', { traceId: B, service: 'svc' })];
  const summaries = [
    summarizeTrace({ traceId: A, spans: [spans[0]!], warnings: [] }),
    summarizeTrace({ traceId: B, spans: [spans[1]!], warnings: [] }),
  ];
  return new OfferingBackend(name, { spans, summaries, ...(fail ? { fail } : {}) });
}

const options = (): FanOutOptions => ({ deadline: createDeadline(1_000), timeoutMs: () => 1_000, wholeTraces: new WholeTraces() });
const getTracesCalls = (backend: ScriptedBackend) => backend.calls.filter((c) => c.method === 'getTraces');

describe('a search page merged from the traces the search read (whole-traces.ts)', () => {
  it('fetches no hit again from a backend whose search read it whole', async () => {
    const jaeger = offering('jaeger');
    const zipkin = offering('zipkin');
    const fanOut = options();
    const result = await searchTraces(QUERY, [jaeger, zipkin], fanOut);
    expect(result.hits.map((h) => h.traceId).sort()).toEqual([A, B]);
    const lookups = await fetchTraces([A, B], [jaeger, zipkin], MERGE, fanOut);
    expect(getTracesCalls(jaeger)).toEqual([]);
    expect(getTracesCalls(zipkin)).toEqual([]);
    expect(lookups.map((l) => l.view?.trace.spans.map((s) => s.sources))).toEqual([[['jaeger', 'zipkin']], [['jaeger', 'zipkin']]]);
    expect(lookups.flatMap((l) => l.outcomes.map((o) => o.state))).toEqual(['OK', 'OK', 'OK', 'OK']);
  });

  it('asks a backend only for the hits its search did not read, and takes each offered trace once', async () => {
    const jaeger = offering('jaeger');
    const plain = new ScriptedBackend('zipkin', { spans: [makeSpan('9', { traceId: A, service: 'svc' })] });
    const fanOut = options();
    await searchTraces(QUERY, [jaeger], fanOut);
    await fetchTraces([A], [jaeger, plain], MERGE, fanOut);
    expect(getTracesCalls(jaeger)).toEqual([]);
    expect(getTracesCalls(plain).map((c) => c.args)).toEqual([[A]]);
    // A second loader (raw and adjusted are two) asking jaeger for A again fetches it: taken once.
    await fetchTraces([A, B], [jaeger], MERGE, fanOut);
    expect(getTracesCalls(jaeger).map((c) => c.args)).toEqual([[A]]);
  });

  it('keeps nothing from a search that failed, so the hit is fetched', async () => {
    const failing = offering('jaeger', new BackendError('BACKEND_UNAVAILABLE', 'jaeger', 'down'));
    const fanOut = options();
    const result = await searchTraces(QUERY, [failing], fanOut);
    expect(result.outcomes.map((o) => o.state)).toEqual(['FAILED']);
    expect(fanOut.wholeTraces!.isEmpty).toBe(true);
  });

  it('offers nothing when the request keeps no whole traces', async () => {
    const jaeger = offering('jaeger');
    let offeredTo: CallOptions | undefined;
    jaeger.findTraces = (query, call) => {
      offeredTo = call;
      return ScriptedBackend.prototype.findTraces.call(jaeger, query, call);
    };
    await searchTraces(QUERY, [jaeger], { deadline: createDeadline(1_000), timeoutMs: () => 1_000 });
    expect(offeredTo?.onWholeTrace).toBeUndefined();
  });
});
