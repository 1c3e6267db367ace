import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spansToZipkinSpans, spanToZipkinSpan } from '../../../src/formats/zipkin-v2/from-model.js';
import { zipkinSpansToSpans } from '../../../src/formats/zipkin-v2/to-model.js';
import type { ZipkinSpan } from '../../../src/formats/zipkin-v2/wire.js';
import { doubleAttr, intAttr, parseTraceId, type Span, stringAttr } from '../../../src/model/index.js';
import { makeSpan } from '../../support/make-span.js';

const FIXTURES = new URL('../../fixtures/public/zipkin/', import.meta.url);
const INPUTS = readdirSync(FIXTURES).filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'));
const readSpans = (name: string): ZipkinSpan[] => {
  const input = JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
  return Array.isArray(input) ? input : [input];
};

describe('canonical → Zipkin v2', () => {
  it.each(INPUTS)('round-trips %s through to-model → from-model → to-model unchanged', (name) => {
    // Tags come back sorted by key, as Zipkin itself keeps them; a hand-written fixture's order is not kept.
    const byKey = (spans: Span[]) => spans.map((s) => ({ ...s, attributes: [...s.attributes].sort((a, b) => (a.key < b.key ? -1 : 1)) }));
    const first = zipkinSpansToSpans(readSpans(name), 'zipkin');
    const second = zipkinSpansToSpans(spansToZipkinSpans(first), 'zipkin');
    expect(byKey(second)).toEqual(byKey(first));
  });

  it('writes every field of a client span as Zipkin writes it', () => {
    const [wire] = readSpans('client-span-both-endpoints.json');
    const [span] = zipkinSpansToSpans([wire!], 'zipkin');
    const out = spanToZipkinSpan(span!);
    expect(out.traceId).toBe(wire!.traceId);
    expect(out.id).toBe(wire!.id);
    expect(out.parentId).toBe(wire!.parentId);
    expect(out.kind).toBe(wire!.kind);
    expect(out.name).toBe(wire!.name);
    expect(out.timestamp).toBe(wire!.timestamp);
    expect(out.duration).toBe(wire!.duration);
    expect(out.localEndpoint).toEqual(wire!.localEndpoint);
    expect(out.remoteEndpoint).toEqual(wire!.remoteEndpoint);
    expect(out.annotations).toEqual(wire!.annotations);
    expect(out.tags).toEqual(wire!.tags);
  });

  it('writes a 64-bit trace id as 16 hex digits, debug and shared flags, and leaves out an unknown duration', () => {
    const out = spanToZipkinSpan(
      makeSpan('2', {
        traceId: parseTraceId('00000000000000000000000000000abc'),
        kind: 'SERVER',
        isSharedServer: true,
        isDurationKnown: false,
        durationUs: 0,
        attributes: [{ key: 'zipkin.debug', type: 'BOOL', value: true }],
      }),
    );
    expect(out.traceId).toBe('0000000000000abc');
    expect(out.debug).toBe(true);
    expect(out.shared).toBe(true);
    expect('duration' in out).toBe(false);
  });

  it('writes status, scope, INTERNAL kind, typed attributes and event attributes as OTel exporters do', () => {
    const out = spanToZipkinSpan(
      makeSpan('3', {
        kind: 'INTERNAL',
        status: { code: 'ERROR', message: 'boom' },
        scope: { name: 'lib', version: '1.2' },
        attributes: [
          intAttr('big', '9007199254740993'),
          doubleAttr('ratio', 0.5),
          { key: 'list', type: 'ARRAY', value: [1, 'a'] },
          { key: 'map', type: 'MAP', value: { a: 1 } },
          stringAttr('net.host.ip', '::1'),
          intAttr('net.host.port', 8080),
        ],
        events: [{ name: 'retry', timeUs: 5, attributes: [intAttr('attempt', 2)] }],
      }),
      { sourceTag: 'tracegate.backend' },
    );
    expect(out.kind).toBeUndefined();
    expect(out.localEndpoint).toEqual({ serviceName: 'svc', ipv6: '::1', port: 8080 });
    expect(out.tags).toEqual({
      big: '9007199254740993',
      ratio: '0.5',
      list: '[1,"a"]',
      map: '{"a":1}',
      'span.kind': 'internal',
      'otel.scope.name': 'lib',
      'otel.scope.version': '1.2',
      error: 'boom',
      'tracegate.backend': 'b1',
    });
    // Keys sorted, as Zipkin's Span keeps its tags (a TreeMap).
    expect(Object.keys(out.tags!)).toEqual(Object.keys(out.tags!).sort());
    expect(out.annotations).toEqual([{ timestamp: 5, value: 'retry|{"attempt":2}|0' }]);
  });

  it.each([
    ['ERROR with a message: the error tag holds it', { code: 'ERROR', message: 'boom' }, { error: 'boom' }],
    ['ERROR without one: error=true, as Brave and the Collector write it', { code: 'ERROR', message: null }, { error: 'true' }],
    ['OK: otel.status_code, Zipkin having no tag of its own', { code: 'OK', message: null }, { 'otel.status_code': 'OK' }],
    ['UNSET: nothing', { code: 'UNSET', message: null }, undefined],
  ] as const)('writes status %s', (_, status, tags) => {
    expect(spanToZipkinSpan(makeSpan('1', { status: { ...status } })).tags).toEqual(tags);
  });
});
