import { describe, expect, it } from 'vitest';
import { mergeHits, mergeTrace } from '../../src/federation/index.js';
import { parseTraceId, type TraceSummary } from '../../src/model/index.js';
import { makeSpan, TRACE } from '../support/make-span.js';

const options = { lenientTraceIds: false, raw: false, maxClockSkewUs: 60_000_000, clockSkew: 'provable' as const };

describe('mergeTrace', () => {
  it('joins a trace split across two backends into one tree', () => {
    const jaeger = [makeSpan('a', { service: 'web', sources: ['jaeger'], startTimeUs: 0, durationUs: 1_000 })];
    const zipkin = [makeSpan('b', { parent: 'a', service: 'api', sources: ['zipkin'], startTimeUs: 100, durationUs: 500 })];
    const trace = mergeTrace(TRACE, [jaeger, zipkin], options);
    expect(trace.spans.map((s) => [s.service, s.sources])).toEqual([
      ['web', ['jaeger']],
      ['api', ['zipkin']],
    ]);
    expect(trace.warnings).toEqual([]);
  });

  it('corrects skew unless raw is asked', () => {
    const spans = [
      makeSpan('a', { service: 'web', startTimeUs: 2_000, durationUs: 1_000 }),
      makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 1_000, durationUs: 200 }),
    ];
    expect(mergeTrace(TRACE, [spans], options).spans[1]!.startTimeUs).toBe(2_400);
    expect(mergeTrace(TRACE, [spans], { ...options, clockSkew: 'off' }).spans[1]!.startTimeUs).toBe(1_000);
    const raw = mergeTrace(TRACE, [spans], { ...options, raw: true });
    expect(raw.spans[1]!.startTimeUs).toBe(1_000);
    expect(raw.warnings).toEqual([]);
  });

  it('leaves the backends’ spans as they were and owns every span it answers (cached answers are shared)', () => {
    // A span both backends hold (folded), one only Jaeger holds (skewed, so corrected), a Zipkin server half without the shared flag.
    const jaeger = [
      makeSpan('a', { service: 'web', kind: 'CLIENT', sources: ['jaeger'], startTimeUs: 2_000, durationUs: 1_000 }),
      makeSpan('b', { parent: 'a', service: 'api', sources: ['jaeger'], startTimeUs: 1_000, durationUs: 200 }),
    ];
    const zipkin = [
      makeSpan('a', { service: 'web', kind: 'CLIENT', sources: ['zipkin'], startTimeUs: 2_000, durationUs: 1_000 }),
      makeSpan('a', { service: 'db', kind: 'SERVER', sources: ['zipkin'], startTimeUs: 900, durationUs: 100 }),
    ];
    const before = structuredClone([jaeger, zipkin]);
    const trace = mergeTrace(TRACE, [jaeger, zipkin], options);
    expect(trace.spans).toHaveLength(3);
    expect(trace.spans.find((s) => s.spanId === jaeger[1]!.spanId)!.startTimeUs).not.toBe(1_000);
    expect([jaeger, zipkin]).toEqual(before);
    for (const span of trace.spans) expect([...jaeger, ...zipkin]).not.toContain(span);
  });

  it('drops spans of another trace in strict mode and keeps them when lenient', () => {
    const short = parseTraceId('48485a3953bb6124');
    const long = parseTraceId('463ac35c9f6413ad48485a3953bb6124');
    const spans = [makeSpan('a', { traceId: short }), makeSpan('b', { parent: 'a', traceId: long })];
    expect(mergeTrace(short, [spans], options).spans).toHaveLength(1);
    const lenient = mergeTrace(short, [spans], { ...options, lenientTraceIds: true });
    expect(lenient.spans.map((s) => s.traceId)).toEqual([short, short]);
  });
});

function hit(id: string, startTimeUs: number, sources: string[], spanCount = 1): TraceSummary {
  return {
    traceId: parseTraceId(id),
    rootService: 'svc',
    rootOperation: 'op',
    startTimeUs,
    durationUs: 10,
    spanCount,
    errorCount: 0,
    services: ['svc'],
    sources,
  };
}

describe('mergeHits', () => {
  it('deduplicates by trace id, sorts newest first and applies the limit', () => {
    const merged = mergeHits(
      [
        [hit('1', 100, ['jaeger']), hit('2', 300, ['jaeger'])],
        [hit('2', 290, ['zipkin'], 3), hit('3', 200, ['zipkin'])],
      ],
      2,
    );
    expect(merged.map((h) => h.traceId.slice(-1))).toEqual(['2', '3']);
    expect(merged[0]).toMatchObject({ sources: ['jaeger', 'zipkin'], spanCount: 3, startTimeUs: 290, durationUs: 20 });
  });

  it('breaks start-time ties by trace id so pages are stable', () => {
    const merged = mergeHits([[hit('b', 100, ['x']), hit('a', 100, ['x'])]], 10);
    expect(merged.map((h) => h.traceId.slice(-1))).toEqual(['a', 'b']);
  });
});
