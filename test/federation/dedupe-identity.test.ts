/**
 * Which copies are one span, and which copy keeps which field (issue: exact on real traces, points
 * 2, 5 and 8). Each case here was answered wrongly by the first-copy-wins, id-only dedupe.
 */
import { describe, expect, it } from 'vitest';
import { dedupeSpans } from '../../src/federation/dedupe.js';
import { mergeTrace } from '../../src/federation/merge.js';
import { buildTraceTree, intAttr, parseSpanId, stringAttr, type Span, type TraceWarning } from '../../src/model/index.js';
import { makeSpan, TRACE } from '../support/make-span.js';
import { runStep } from '../support/merge-step.js';

const dedupe = (spans: Span[], warnings: TraceWarning[] = []): Span[] => runStep(dedupeSpans, spans, warnings);

const MERGE = { lenientTraceIds: false, raw: false, clockSkew: 'provable' as const, maxClockSkewUs: 600_000_000 };
const codes = (warnings: TraceWarning[]) => warnings.map((w) => w.code);

describe('span identity', () => {
  it('keeps several Zipkin server halves that share their client id apart (one per receiving host)', () => {
    const client = makeSpan('a', { kind: 'CLIENT', service: 'bouncer', startTimeUs: 1_000, sources: ['zipkin'], wireFormat: 'zipkin-v2' });
    const receivers = [5_000, 5_300, 5_450].map((startTimeUs, i) =>
      makeSpan('a', {
        kind: 'SERVER',
        isSharedServer: true,
        service: 'pusher',
        startTimeUs,
        attributes: [stringAttr('net.host.ip', `10.0.0.${i}`)],
        sources: ['zipkin'],
        wireFormat: 'zipkin-v2',
      }),
    );
    const warnings: TraceWarning[] = [];
    const out = dedupe([client, ...receivers], warnings);
    expect(out).toHaveLength(4);
    expect(warnings).toEqual([]);
    const trace = mergeTrace(TRACE, [[client, ...receivers]], MERGE);
    expect(trace.spans).toHaveLength(4);
    const tree = buildTraceTree(trace.spans);
    for (const receiver of trace.spans.filter((s) => s.isSharedServer)) expect(tree.parentOf(receiver)?.kind).toBe('CLIENT');
    expect(codes(trace.warnings)).not.toContain('PARENT_CYCLE');
  });

  it('hangs a child under the server half on its own host when several answer one id (Zipkin SpanNode rule)', () => {
    const spans = [
      makeSpan('a', { kind: 'CLIENT', service: 'web', startTimeUs: 1_000 }),
      makeSpan('a', {
        kind: 'SERVER',
        isSharedServer: true,
        service: 'api',
        startTimeUs: 1_100,
        attributes: [stringAttr('net.host.ip', '10.0.0.1')],
      }),
      makeSpan('a', {
        kind: 'SERVER',
        isSharedServer: true,
        service: 'api',
        startTimeUs: 1_200,
        attributes: [stringAttr('net.host.ip', '10.0.0.2')],
      }),
      makeSpan('b', { parent: 'a', service: 'api', startTimeUs: 1_250, attributes: [stringAttr('net.host.ip', '10.0.0.2')] }),
    ];
    const tree = buildTraceTree(spans);
    expect(tree.parentOf(spans[3]!)).toBe(spans[2]);
  });

  it('folds copies whose start, kind and service agree, across formats (Zipkin lower-cases, has no INTERNAL)', () => {
    const warnings: TraceWarning[] = [];
    const out = dedupe(
      [
        makeSpan('a', { name: 'GET /Users', service: 'Frontend', kind: 'INTERNAL', sources: ['jaeger'], wireFormat: 'otlp-json' }),
        makeSpan('a', { name: 'get /users', service: 'frontend', kind: 'UNSPECIFIED', sources: ['zipkin'], wireFormat: 'zipkin-v2' }),
      ],
      warnings,
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ name: 'GET /Users', service: 'Frontend', kind: 'INTERNAL', sources: ['jaeger', 'zipkin'] });
    expect(warnings).toEqual([]);
  });

  it('keeps two spans with one id but different starts, and says the id is reused', () => {
    const warnings: TraceWarning[] = [];
    const out = dedupe([makeSpan('a', { startTimeUs: 1_000 }), makeSpan('a', { startTimeUs: 9_000 })], warnings);
    expect(out).toHaveLength(2);
    expect(codes(warnings)).toEqual(['DUPLICATE_SPAN_ID']);
  });
});

describe('per-field merge rule', () => {
  // Jaeger's Elasticsearch writer stores a root span's link to a span of its own trace as a
  // FOLLOWS_FROM reference, which reads back as the parent.
  const link = { traceId: TRACE, spanId: parseSpanId('b'), refType: null, attributes: [stringAttr('link.kind', 'retry-of')] };
  const exactRoot = (): Span => makeSpan('a', { sources: ['jaeger'], wireFormat: 'otlp-json', links: [link] });
  const lossyRoot = (): Span => makeSpan('a', { parent: 'b', sources: ['es'], wireFormat: 'es-jaeger', links: [] });
  const other = (): Span => makeSpan('b', { sources: ['jaeger'], wireFormat: 'otlp-json', startTimeUs: 500, parent: 'a' });

  it.each([
    { description: 'exact copy first', order: (a: Span, b: Span) => [a, b] },
    { description: 'lossy copy first', order: (a: Span, b: Span) => [b, a] },
  ])('takes the parent from the format that keeps it, whatever the order ($description)', ({ order }) => {
    const warnings: TraceWarning[] = [];
    const [merged] = dedupe(order(exactRoot(), lossyRoot()), warnings);
    expect(merged!.parentSpanId).toBeNull();
    expect(merged!.links).toEqual([link]);
    expect(warnings).toEqual([]);
    const trace = mergeTrace(TRACE, [order(exactRoot(), lossyRoot()), [other()]], MERGE);
    expect(codes(trace.warnings)).not.toContain('PARENT_CYCLE');
    expect(codes(trace.warnings)).not.toContain('CONFLICTING_DUPLICATE');
  });

  it('still reports a parent disagreement that no format loss explains', () => {
    const warnings: TraceWarning[] = [];
    dedupe(
      [makeSpan('a', { wireFormat: 'otlp-json', sources: ['x'] }), makeSpan('a', { parent: 'c', wireFormat: 'es-jaeger', sources: ['y'] })],
      warnings,
    );
    expect(codes(warnings)).toEqual(['CONFLICTING_DUPLICATE']);
  });

  it('keeps typed attribute values over Zipkin text and Jaeger v1 JSON text, whatever the order', () => {
    const zipkin = makeSpan('a', {
      sources: ['zipkin'],
      wireFormat: 'zipkin-v2',
      attributes: [stringAttr('n', '7'), stringAttr('tags', '["a","b"]')],
    });
    const v1 = makeSpan('a', { sources: ['es'], wireFormat: 'es-jaeger', attributes: [intAttr('n', 7), stringAttr('tags', '["a","b"]')] });
    const otlp = makeSpan('a', {
      sources: ['jaeger'],
      wireFormat: 'otlp-json',
      attributes: [intAttr('n', 7), { key: 'tags', type: 'ARRAY', value: ['a', 'b'] }],
    });
    const [merged] = dedupe([zipkin, v1, otlp], []);
    expect(merged!.attributes).toEqual([intAttr('n', 7), { key: 'tags', type: 'ARRAY', value: ['a', 'b'] }]);
  });

  it('takes OK from OTLP over Zipkin, which cannot say OK, without a conflict', () => {
    const warnings: TraceWarning[] = [];
    const [merged] = dedupe(
      [
        makeSpan('a', { sources: ['zipkin'], wireFormat: 'zipkin-v2' }),
        makeSpan('a', { sources: ['jaeger'], wireFormat: 'otlp-json', status: { code: 'OK', message: null } }),
      ],
      warnings,
    );
    expect(merged!.status.code).toBe('OK');
    expect(warnings).toEqual([]);
  });

  it('takes a known duration over an unknown one', () => {
    const [merged] = dedupe(
      [
        makeSpan('a', { durationUs: 0, isDurationKnown: false, wireFormat: 'zipkin-v2', sources: ['z'] }),
        makeSpan('a', { durationUs: 70, wireFormat: 'otlp-json', sources: ['j'] }),
      ],
      [],
    );
    expect(merged).toMatchObject({ durationUs: 70, isDurationKnown: true });
  });
});

describe('events of folded copies', () => {
  it('folds an OTel event that Zipkin holds as "name|{attributes}|dropped" into the OTLP event', () => {
    const otlp = makeSpan('a', {
      sources: ['jaeger'],
      wireFormat: 'otlp-json',
      events: [{ name: 'retry', timeUs: 1_010, attributes: [intAttr('attempt', 2)] }],
    });
    const zipkin = makeSpan('a', {
      sources: ['zipkin'],
      wireFormat: 'zipkin-v2',
      events: [{ name: 'retry|{"attempt":2}|0', timeUs: 1_010, attributes: [] }],
    });
    for (const order of [
      [otlp, zipkin],
      [zipkin, otlp],
    ]) {
      const [merged] = dedupe(order, []);
      expect(merged!.events).toEqual([{ name: 'retry', timeUs: 1_010, attributes: [intAttr('attempt', 2)] }]);
    }
  });

  it('folds a nameless event read from Jaeger JSON with the OTLP one', () => {
    const otlp = makeSpan('a', {
      wireFormat: 'otlp-json',
      sources: ['j'],
      events: [{ name: '', timeUs: 1_020, attributes: [stringAttr('k', 'v')] }],
    });
    const es = makeSpan('a', { wireFormat: 'es-jaeger', sources: ['e'], events: [{ name: '', timeUs: 1_020, attributes: [stringAttr('k', 'v')] }] });
    expect(dedupe([es, otlp], [])[0]!.events).toHaveLength(1);
  });

  it('keeps an event a span logged twice, and events at other times', () => {
    const twice = [
      { name: 'retry', timeUs: 1_010, attributes: [] },
      { name: 'retry', timeUs: 1_010, attributes: [] },
    ];
    const a = makeSpan('a', { wireFormat: 'otlp-json', sources: ['j'], events: twice });
    const b = makeSpan('a', { wireFormat: 'zipkin-v2', sources: ['z'], events: [...twice, { name: 'done', timeUs: 1_090, attributes: [] }] });
    expect(dedupe([a, b], [])[0]!.events.map((e) => e.name)).toEqual(['retry', 'retry', 'done']);
  });

  it('does not take a pipe in an ordinary annotation for folded attributes', () => {
    const a = makeSpan('a', { wireFormat: 'otlp-json', sources: ['j'], events: [{ name: 'a', timeUs: 1_010, attributes: [] }] });
    const b = makeSpan('a', { wireFormat: 'zipkin-v2', sources: ['z'], events: [{ name: 'a|b|0', timeUs: 1_010, attributes: [] }] });
    expect(dedupe([a, b], [])[0]!.events.map((e) => e.name)).toEqual(['a', 'a|b|0']);
  });
});
