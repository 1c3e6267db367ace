import { describe, expect, it } from 'vitest';
import { createDeadline, fetchTraces, mergeTrace } from '../../src/federation/index.js';
import { MERGE_STEPS, mergeTraceYielding } from '../../src/federation/merge.js';
import { mergeTraceMemoisedYielding } from '../../src/federation/merge-memo.js';
import { parseTraceId } from '../../src/model/index.js';
import { makeSpan, TRACE } from '../support/make-span.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const options = { lenientTraceIds: false, raw: false, maxClockSkewUs: 60_000_000, clockSkew: 'provable' as const };

/** A chain of `n` spans on two hosts, with skew to correct and a duplicate copy from a second backend. */
function chain(n: number, source: string) {
  return Array.from({ length: n }, (_, i) =>
    makeSpan((i + 1).toString(16).padStart(4, '0'), {
      ...(i > 0 ? { parent: i.toString(16).padStart(4, '0') } : {}),
      service: i % 2 === 0 ? 'web' : 'api',
      sources: [source],
      startTimeUs: i % 7 === 3 ? i * 10 - 5_000 : i * 10,
      durationUs: (n - i) * 10,
    }),
  );
}

describe('a big trace merged with turns of the event loop between steps (mergeTraceYielding)', () => {
  it('gives the same trace as mergeTrace, pausing once after each step', async () => {
    const inputs = [chain(300, 'jaeger'), chain(300, 'zipkin')];
    let pauses = 0;
    const yielding = await mergeTraceYielding(TRACE, inputs, options, async () => {
      pauses++;
    });
    const whole = mergeTrace(TRACE, inputs, options);
    expect(yielding.spans).toEqual(whole.spans);
    expect(yielding.warnings).toEqual(whole.warnings);
    expect(yielding.warnings.map((w) => w.code)).toContain('CLOCK_SKEW_ADJUSTED');
    expect(pauses).toBe(MERGE_STEPS.length);
  });

  it('lets a timer run between the steps of one merge', async () => {
    const inputs = [chain(300, 'jaeger')];
    const order: string[] = [];
    setImmediate(() => order.push('other request'));
    await mergeTraceYielding(TRACE, inputs, options, () => {
      order.push('step');
      return new Promise((resolve) => setImmediate(resolve));
    });
    expect(order.indexOf('other request')).toBeGreaterThan(0);
    expect(order.indexOf('other request')).toBeLessThan(order.length - 1);
  });

  it('is memoised like mergeTraceMemoised: the same inputs give the same trace object', async () => {
    const inputs = [chain(50, 'jaeger')];
    const pause = () => Promise.resolve();
    const first = await mergeTraceMemoisedYielding(TRACE, inputs, options, pause);
    expect(mergeTraceMemoisedYielding(TRACE, inputs, options, pause)).toBe(first);
  });

  it('fetchTraces merges a trace of 5,000 spans or more that way, and smaller ones in one piece, alike', async () => {
    const id = parseTraceId('abc');
    const big = chain(5_000, 'b1').map((s) => ({ ...s, traceId: id }));
    const backend = new ScriptedBackend('b1', { spans: big });
    const [lookup] = await fetchTraces([id], [backend], options, { deadline: createDeadline(5_000), timeoutMs: () => 5_000 });
    expect(lookup!.view!.trace.spans).toEqual(mergeTrace(id, [big], options).spans);
  });
});
