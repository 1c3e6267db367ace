import { describe, expect, it } from 'vitest';
import { dedupeSpans } from '../../src/federation/dedupe.js';
import { stringAttr, type Span, type TraceWarning } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { runStep } from '../support/merge-step.js';

const dedupe = (spans: Span[], warnings: TraceWarning[] = []): Span[] => runStep(dedupeSpans, spans, warnings);

describe('dedupeSpans', () => {
  it('drops the span Zipkin and Jaeger both hold, keeping both sources', () => {
    const warnings: TraceWarning[] = [];
    const out = dedupe([makeSpan('a', { sources: ['jaeger'] }), makeSpan('a', { sources: ['zipkin'] })], warnings);
    expect(out).toHaveLength(1);
    expect(out[0]!.sources).toEqual(['jaeger', 'zipkin']);
    expect(warnings).toEqual([]);
  });

  it('keeps the union of attributes and events, first backend winning a key clash', () => {
    const warnings: TraceWarning[] = [];
    const first = makeSpan('a', {
      sources: ['jaeger'],
      attributes: [stringAttr('http.route', '/a'), stringAttr('shared', 'jaeger')],
      events: [{ name: 'retry', timeUs: 1_010, attributes: [] }],
    });
    const second = makeSpan('a', {
      sources: ['zipkin'],
      attributes: [stringAttr('shared', 'zipkin'), stringAttr('zipkin.only', 'x')],
      events: [
        { name: 'retry', timeUs: 1_010, attributes: [] },
        { name: 'cache.miss', timeUs: 1_005, attributes: [] },
      ],
    });
    const [merged] = dedupe([first, second], warnings);
    expect(merged!.attributes).toEqual([stringAttr('http.route', '/a'), stringAttr('shared', 'jaeger'), stringAttr('zipkin.only', 'x')]);
    expect(merged!.events.map((e) => e.name)).toEqual(['cache.miss', 'retry']);
  });

  it('keeps the union of many attributes (past a linear scan), first copy winning and its repeated key kept', () => {
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const first = makeSpan('a', { sources: ['jaeger'], attributes: [...keys.map((k) => stringAttr(k, 'jaeger')), stringAttr('k0', 'again')] });
    const second = makeSpan('a', { sources: ['zipkin'], attributes: [stringAttr('k19', 'zipkin'), stringAttr('z', '1'), stringAttr('z', '2')] });
    const third = makeSpan('a', { sources: ['otlp'], attributes: [stringAttr('z', '3'), stringAttr('y', 'otlp')] });
    const [merged] = dedupe([first, second, third]);
    expect(merged!.attributes).toEqual([
      ...keys.map((k) => stringAttr(k, 'jaeger')),
      stringAttr('k0', 'again'),
      stringAttr('z', '1'),
      stringAttr('z', '2'),
      stringAttr('y', 'otlp'),
    ]);
    expect(merged!.sources).toEqual(['jaeger', 'zipkin', 'otlp']);
  });

  it('flags copies that disagree on timing and keeps the first', () => {
    const warnings: TraceWarning[] = [];
    const [merged] = dedupe([makeSpan('a', { sources: ['jaeger'] }), makeSpan('a', { sources: ['zipkin'], durationUs: 250 })], warnings);
    expect(merged!.durationUs).toBe(100);
    expect(warnings.map((w) => w.code)).toEqual(['CONFLICTING_DUPLICATE']);
  });

  it('flags a span id repeated inside one backend', () => {
    const warnings: TraceWarning[] = [];
    const out = dedupe([makeSpan('a'), makeSpan('a')], warnings);
    expect(out).toHaveLength(1);
    expect(warnings.map((w) => w.code)).toEqual(['DUPLICATE_SPAN_ID']);
  });

  it('keeps a Zipkin shared client/server pair as two spans', () => {
    const warnings: TraceWarning[] = [];
    const client = makeSpan('a', { kind: 'CLIENT', service: 'web' });
    const server = makeSpan('a', { kind: 'SERVER', service: 'api', isSharedServer: true });
    expect(dedupe([client, server], warnings)).toHaveLength(2);
  });

  it.each([
    { description: 'client first', order: ['CLIENT', 'SERVER'] as const },
    { description: 'server first', order: ['SERVER', 'CLIENT'] as const },
  ])('treats an unflagged CLIENT/SERVER pair with one id as shared ($description)', ({ order }) => {
    const warnings: TraceWarning[] = [];
    const out = dedupe(
      order.map((kind) => makeSpan('a', { kind, service: kind === 'CLIENT' ? 'web' : 'api' })),
      warnings,
    );
    expect(out).toHaveLength(2);
    const server = out.find((s) => s.kind === 'SERVER')!;
    const client = out.find((s) => s.kind === 'CLIENT')!;
    expect(server.isSharedServer).toBe(true);
    expect(client.isSharedServer).toBe(false);
  });

  it('folds the server halves of a shared pair reported by two backends', () => {
    const warnings: TraceWarning[] = [];
    const out = dedupe(
      [
        makeSpan('a', { kind: 'CLIENT', sources: ['zipkin'] }),
        makeSpan('a', { kind: 'SERVER', isSharedServer: true, sources: ['zipkin'] }),
        makeSpan('a', { kind: 'SERVER', isSharedServer: true, sources: ['es'] }),
      ],
      warnings,
    );
    expect(out).toHaveLength(2);
    expect(out.find((s) => s.isSharedServer)!.sources).toEqual(['zipkin', 'es']);
  });

  it('fills a missing kind and status from a later copy', () => {
    const warnings: TraceWarning[] = [];
    const [merged] = dedupe(
      [makeSpan('a', { sources: ['x'] }), makeSpan('a', { sources: ['y'], kind: 'SERVER', status: { code: 'ERROR', message: 'boom' } })],
      warnings,
    );
    expect(merged!.kind).toBe('SERVER');
    expect(merged!.status).toEqual({ code: 'ERROR', message: 'boom' });
  });
});
