import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKEND_TAG, traceToJaeger } from '../../../src/formats/jaeger-json/from-model.js';
import { mapJaegerTrace } from '../../../src/formats/jaeger-json/to-model.js';
import type { JaegerTrace } from '../../../src/formats/jaeger-json/wire.js';
import { intAttr, newSpan, parseSpanId, parseTraceId, type Span } from '../../../src/model/index.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);

/** Every v1 trace object of the public and recorded Jaeger fixtures (single traces and {data} envelopes). */
function fixtureTraces(): Array<{ name: string; trace: JaegerTrace }> {
  const out: Array<{ name: string; trace: JaegerTrace }> = [];
  for (const folder of ['public/jaeger/', 'recorded/jaeger/']) {
    for (const file of readdirSync(new URL(folder, FIXTURES))) {
      if (!file.endsWith('.json') || file.endsWith('.expected.json')) continue;
      const json = JSON.parse(readFileSync(new URL(folder + file, FIXTURES), 'utf8'));
      if (Array.isArray(json.spans)) out.push({ name: folder + file, trace: json });
      else if (Array.isArray(json.data) && json.data.every((t: unknown) => typeof t === 'object' && t !== null && 'spans' in t)) {
        for (const [i, trace] of (json.data as JaegerTrace[]).entries()) out.push({ name: `${folder}${file}[${i}]`, trace });
      }
    }
  }
  return out;
}

/** Round trip: to-model → from-model → to-model. Span warnings are written as Jaeger span warnings and read back first. */
function roundTrip(spans: Span[]): Span[] {
  const traceId = spans[0]!.traceId;
  const written = traceToJaeger({ traceId, spans: spans.filter((s) => s.traceId === traceId), warnings: [] });
  return mapJaegerTrace(JSON.parse(JSON.stringify(written)), 'fixture').spans;
}

describe('traceToJaeger', () => {
  const traces = fixtureTraces();
  it('finds the fixtures', () => expect(traces.length).toBeGreaterThan(5));

  it.each(traces.map((t) => [t.name, t.trace] as const))('round-trips %s exactly', (_, trace) => {
    const first = mapJaegerTrace(trace, 'fixture').spans;
    if (first.length === 0) return;
    const byTrace = new Map<string, Span[]>();
    for (const span of first) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
    for (const spans of byTrace.values()) expect(roundTrip(spans)).toEqual(spans);
  });

  it('writes synthetic tags, references, logs, processes and a 16-hex id for a 64-bit trace', () => {
    const base = { traceId: parseTraceId('aa'), name: 'op', startTimeUs: 10, durationUs: 5 };
    const root = newSpan({ ...base, spanId: parseSpanId('0000000000000001'), service: 'a', kind: 'SERVER', sources: ['jaeger', 'zipkin'] });
    const child = newSpan({
      ...base,
      spanId: parseSpanId('0000000000000002'),
      parentSpanId: parseSpanId('0000000000000001'),
      service: 'b',
      scope: { name: 'lib', version: '1' },
      status: { code: 'ERROR', message: 'boom' },
      attributes: [intAttr('big', '9007199254740993'), { key: 'list', type: 'ARRAY', value: [1, 2] }],
      events: [{ name: 'retry', timeUs: 12, attributes: [] }],
      links: [{ traceId: base.traceId, spanId: parseSpanId('0000000000000009'), refType: null, attributes: [] }],
    });
    const out = traceToJaeger({ traceId: base.traceId, spans: [root, child], warnings: [] }, { backendTag: true });
    expect(out.traceID).toBe('00000000000000aa');
    expect(out.processes).toEqual({ p1: { serviceName: 'a', tags: [] }, p2: { serviceName: 'b', tags: [] } });
    expect(out.spans![0]!.tags).toEqual([
      { key: 'span.kind', type: 'string', value: 'server' },
      { key: BACKEND_TAG, type: 'string', value: 'jaeger,zipkin' },
    ]);
    expect(out.spans![1]!.references).toEqual([
      { refType: 'CHILD_OF', traceID: '00000000000000aa', spanID: '0000000000000001' },
      { refType: 'FOLLOWS_FROM', traceID: '00000000000000aa', spanID: '0000000000000009' },
    ]);
    expect(out.spans![1]!.tags!.map((t) => [t.key, t.type, t.value])).toEqual([
      ['otel.scope.name', 'string', 'lib'],
      ['otel.scope.version', 'string', '1'],
      ['big', 'int64', '9007199254740993'],
      ['list', 'string', '[1,2]'],
      ['otel.status_code', 'string', 'ERROR'],
      ['error', 'bool', true],
      ['otel.status_description', 'string', 'boom'],
      [BACKEND_TAG, 'string', ''],
    ]);
    expect(out.spans![1]!.logs).toEqual([{ timestamp: 12, fields: [{ key: 'event', type: 'string', value: 'retry' }] }]);
  });

  it('sorts span and process tags by key and log fields with event first, as Jaeger answers without raw=true', () => {
    const span = newSpan({
      traceId: parseTraceId('00000000000000aa'),
      spanId: parseSpanId('0000000000000001'),
      name: 'op',
      startTimeUs: 10,
      durationUs: 5,
      service: 'a',
      kind: 'SERVER',
      resource: [intAttr('z.pid', 7), intAttr('a.pid', 1)],
      scope: { name: 'lib', version: null },
      status: { code: 'ERROR', message: null },
      attributes: [intAttr('http.status_code', 500), intAttr('a', 1)],
      events: [{ name: 'retry', timeUs: 12, attributes: [intAttr('b', 2), intAttr('attempt', 1)] }],
    });
    const trace = { traceId: span.traceId, spans: [span], warnings: [] };
    const sorted = traceToJaeger(trace, { sortTags: true, backendTag: true });
    expect(sorted.spans![0]!.tags!.map((t) => t.key)).toEqual([
      'a',
      'error',
      'http.status_code',
      'otel.scope.name',
      'otel.status_code',
      'span.kind',
      BACKEND_TAG,
    ]);
    expect(sorted.spans![0]!.logs![0]!.fields!.map((f) => f.key)).toEqual(['event', 'attempt', 'b']);
    expect(sorted.processes!.p1!.tags!.map((t) => t.key)).toEqual(['a.pid', 'z.pid']);
    // Without it, the translator's order (Jaeger's raw=true answer).
    const raw = traceToJaeger(trace);
    expect(raw.spans![0]!.tags!.map((t) => t.key)).toEqual(['otel.scope.name', 'http.status_code', 'a', 'span.kind', 'otel.status_code', 'error']);
    expect(raw.spans![0]!.logs![0]!.fields!.map((f) => f.key)).toEqual(['event', 'b', 'attempt']);
  });
});
