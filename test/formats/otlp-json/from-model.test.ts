import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKEND_ATTRIBUTE, tracesToOtlp } from '../../../src/formats/otlp-json/from-model.js';
import { otlpToSpans } from '../../../src/formats/otlp-json/to-model.js';
import type { OtlpTracesData } from '../../../src/formats/otlp-json/wire.js';
import { parseJsonExact } from '../../../src/formats/shared/index.js';
import { doubleAttr, groupSpansByTrace, intAttr, newSpan, parseSpanId, parseTraceId, stringAttr, type Span } from '../../../src/model/index.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);

/** Every file under test/fixtures holding OTLP/JSON TracesData: bare, in api_v3's {"result": …}, or one per line (.jsonl). */
function otlpFixtures(): Array<[string, OtlpTracesData]> {
  const out: Array<[string, OtlpTracesData]> = [];
  const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    if (file.endsWith('.expected.json') || !(file.endsWith('.json') || file.endsWith('.jsonl'))) continue;
    const text = readFileSync(new URL(file, FIXTURES), 'utf8');
    const documents = file.endsWith('.jsonl') ? text.split('\n').filter((line) => line.trim() !== '') : [text];
    for (const [i, document] of documents.entries()) {
      const json = parseJsonExact(document) as { resourceSpans?: unknown; result?: { resourceSpans?: unknown } } | null;
      const data = json?.result ?? json;
      if (data !== null && typeof data === 'object' && Array.isArray(data.resourceSpans)) {
        out.push([documents.length > 1 ? `${file}:${i + 1}` : file, data as OtlpTracesData]);
      }
    }
  }
  return out;
}

/** to-model → from-model → to-model, one trace at a time as the api_v3 routes write them. */
function roundTrip(spans: Span[]): Span[] {
  const traces = [...groupSpansByTrace(spans).values()].map((group) => ({ spans: group, warnings: [] }));
  return otlpToSpans(JSON.parse(JSON.stringify(tracesToOtlp(traces))), 'fixture');
}

describe('tracesToOtlp', () => {
  const fixtures = otlpFixtures();
  it('finds the OTLP fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(20));

  it.each(fixtures)('round-trips %s through to-model → from-model → to-model exactly', (_, data) => {
    const first = otlpToSpans(data, 'fixture');
    expect(first.length).toBeGreaterThan(0);
    // An unknown start (0: missing, or beyond 2^53 µs) can only be left out, which the reader reports again.
    const unknownTime = ['startTimeUnixNano is missing; 0 used', 'endTimeUnixNano is missing; 0 used'];
    const expected = [...groupSpansByTrace(first).values()]
      .flat()
      .map((span) => (span.startTimeUs === 0 ? { ...span, warnings: [...new Set([...span.warnings, ...unknownTime])] } : span));
    expect(roundTrip(first)).toEqual(expected);
  });

  it('writes the fields as Jaeger api_v3 does: hex ids, ns strings, integer enums, status always present', () => {
    const traceId = parseTraceId('aa');
    const root = newSpan({
      traceId,
      spanId: parseSpanId('0000000000000001'),
      name: 'GET /',
      startTimeUs: 1_700_000_000_000_001,
      durationUs: 5,
      service: 'web',
      resource: [stringAttr('host.name', 'h1')],
      kind: 'SERVER',
      sources: ['jaeger', 'zipkin'],
    });
    const child = newSpan({
      traceId,
      spanId: parseSpanId('0000000000000002'),
      parentSpanId: root.spanId,
      name: 'db',
      startTimeUs: 1_700_000_000_000_002,
      durationUs: 1,
      service: 'web',
      resource: [stringAttr('host.name', 'h1')],
      scope: { name: 'lib', version: null },
      status: { code: 'ERROR', message: 'boom' },
      attributes: [intAttr('big', '9007199254740993'), doubleAttr('nan', Number.NaN), { key: 'm', type: 'MAP', value: { a: [1, 1.5, null] } }],
      events: [{ name: 'retry', timeUs: 1_700_000_000_000_002, attributes: [] }],
      links: [{ traceId, spanId: root.spanId, refType: 'FOLLOWS_FROM', attributes: [stringAttr('w3c.tracestate', 'k=v')] }],
      warnings: ['odd'],
    });
    const out = tracesToOtlp([{ spans: [root, child], warnings: [{ code: 'ORPHAN_SPAN', message: 'merge note', spanId: child.spanId }] }], {
      backendAttribute: true,
    });
    expect(out.resourceSpans).toHaveLength(1);
    const [resource] = out.resourceSpans!;
    expect(resource!.resource).toEqual({
      attributes: [
        { key: 'host.name', value: { stringValue: 'h1' } },
        { key: 'service.name', value: { stringValue: 'web' } },
      ],
    });
    expect(resource!.scopeSpans!.map((s) => s.scope)).toEqual([{}, { name: 'lib' }]);
    expect(resource!.scopeSpans![0]!.spans).toEqual([
      {
        traceId: '000000000000000000000000000000aa',
        spanId: '0000000000000001',
        name: 'GET /',
        kind: 2,
        startTimeUnixNano: '1700000000000001000',
        endTimeUnixNano: '1700000000000006000',
        attributes: [{ key: BACKEND_ATTRIBUTE, value: { stringValue: 'jaeger,zipkin' } }],
        status: {},
      },
    ]);
    expect(resource!.scopeSpans![1]!.spans).toEqual([
      {
        traceId: '000000000000000000000000000000aa',
        spanId: '0000000000000002',
        parentSpanId: '0000000000000001',
        name: 'db',
        startTimeUnixNano: '1700000000000002000',
        endTimeUnixNano: '1700000000000003000',
        attributes: [
          { key: 'big', value: { intValue: '9007199254740993' } },
          { key: 'nan', value: { doubleValue: 'NaN' } },
          {
            key: 'm',
            value: { kvlistValue: { values: [{ key: 'a', value: { arrayValue: { values: [{ intValue: '1' }, { doubleValue: 1.5 }, {}] } } }] } },
          },
          { key: BACKEND_ATTRIBUTE, value: { stringValue: '' } },
          { key: '@jaeger@warnings', value: { arrayValue: { values: [{ stringValue: 'odd' }, { stringValue: 'merge note' }] } } },
        ],
        events: [{ timeUnixNano: '1700000000000002000', name: 'retry' }],
        links: [
          {
            traceId: '000000000000000000000000000000aa',
            spanId: '0000000000000001',
            traceState: 'k=v',
            attributes: [{ key: 'opentracing.ref_type', value: { stringValue: 'follows_from' } }],
          },
        ],
        status: { message: 'boom', code: 2 },
      },
    ]);
  });

  it('sorts attributes by key and events by name as Jaeger’s SortCollections adjuster does, when asked', () => {
    const span = newSpan({
      traceId: parseTraceId('1'),
      spanId: parseSpanId('0000000000000001'),
      name: 'op',
      startTimeUs: 1,
      durationUs: 1,
      service: 'svc',
      resource: [stringAttr('z.res', 'z'), stringAttr('a.res', 'a')],
      attributes: [stringAttr('b', '1'), stringAttr('a', '2')],
      events: [
        { name: 'second', timeUs: 1, attributes: [stringAttr('y', '1'), stringAttr('x', '2')] },
        { name: 'first', timeUs: 2, attributes: [] },
      ],
    });
    const keys = (list: any[] | undefined) => list!.map((kv) => kv.key);
    const [plain, sortedOut] = [
      tracesToOtlp([{ spans: [span], warnings: [] }]),
      tracesToOtlp([{ spans: [span], warnings: [] }], { sortCollections: true }),
    ];
    expect(keys(plain.resourceSpans![0]!.resource!.attributes)).toEqual(['service.name', 'z.res', 'a.res']);
    expect(keys(sortedOut.resourceSpans![0]!.resource!.attributes)).toEqual(['a.res', 'service.name', 'z.res']);
    const [a, b] = [plain.resourceSpans![0]!.scopeSpans![0]!.spans![0]!, sortedOut.resourceSpans![0]!.scopeSpans![0]!.spans![0]!];
    expect([keys(a.attributes), a.events!.map((e) => e.name), keys(a.events![0]!.attributes)]).toEqual([
      ['b', 'a'],
      ['second', 'first'],
      ['y', 'x'],
    ]);
    expect([keys(b.attributes), b.events!.map((e) => e.name), keys(b.events![1]!.attributes)]).toEqual([
      ['a', 'b'],
      ['first', 'second'],
      ['x', 'y'],
    ]);
  });

  it('writes one resourceSpans per distinct service and resource, trace after trace', () => {
    const span = (trace: string, id: string, service: string) =>
      newSpan({ traceId: parseTraceId(trace), spanId: parseSpanId(id), name: 'op', startTimeUs: 1, durationUs: 1, service });
    const out = tracesToOtlp([
      { spans: [span('1', '0000000000000001', 'a'), span('1', '0000000000000002', 'b'), span('1', '0000000000000003', 'a')], warnings: [] },
      { spans: [span('2', '0000000000000004', 'a')], warnings: [] },
    ]);
    expect(
      out.resourceSpans!.map((r) => [
        r.resource!.attributes!.find((a) => a.key === 'service.name')!.value!.stringValue,
        r.scopeSpans![0]!.spans!.map((s) => s.spanId),
      ]),
    ).toEqual([
      ['a', ['0000000000000001', '0000000000000003']],
      ['b', ['0000000000000002']],
      ['a', ['0000000000000004']],
    ]);
  });
});
