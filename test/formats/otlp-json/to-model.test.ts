import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapOtlpTraces, otlpToSpans } from '../../../src/formats/otlp-json/to-model.js';
import type { OtlpAnyValue, OtlpKeyValue, OtlpSpan, OtlpTracesData } from '../../../src/formats/otlp-json/wire.js';
import type { Span } from '../../../src/model/index.js';
import { expectGolden } from '../../support/golden.js';
import type { WirePatch } from '../../support/wire-patch.js';

const FIXTURES = new URL('../../fixtures/public/otlp/', import.meta.url);
const readJson = (name: string): any => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

describe('OTLP/JSON fixtures from public repositories', () => {
  it.each([
    { description: 'opentelemetry-proto example: upper-case hex ids, scope version and scope attributes', fixture: 'uppercase-ids-scope-attributes' },
    { description: 'jaeger-ui: a resource without service.name becomes unknown_service with a warning', fixture: 'resource-without-service-name' },
    { description: 'Jaeger api_v3 GetTrace snapshot: ERROR status, empty resource and scope, no times', fixture: 'apiv3-get-trace-error-status' },
  ])('$description', async ({ fixture }) => {
    const input = readJson(`${fixture}.json`);
    // api_v3 wraps TracesData in {"result": …}; unwrapping is the adapter's job.
    const doc = (input.result ?? input) as OtlpTracesData;
    await expectGolden(mapOtlpTraces(doc, 'fixture'), new URL(`${fixture}.expected.json`, FIXTURES));
  });

  it('maps both copies of the duplicated span Jaeger uses for its v1 translation test', () => {
    const spans = otlpToSpans(readJson('duplicated-server-span.json'), 'jaeger-eu');
    expect(spans).toHaveLength(2);
    expect(spans[0]).toEqual(spans[1]);
    expect(spans[0]).toMatchObject({
      traceId: '83a9efd15c1c98a977e0711cc93ee28b',
      spanId: 'e127af99e3b3e074',
      parentSpanId: '909541b92cf05311',
      kind: 'SERVER',
      service: 'telemetrygen',
      scope: { name: 'telemetrygen', version: null },
      startTimeUs: 1706678909209712,
      durationUs: 123,
      status: { code: 'UNSET', message: null },
      attributes: [
        { key: 'net.peer.ip', type: 'STRING', value: '1.2.3.4' },
        { key: 'peer.service', type: 'STRING', value: 'telemetrygen-client' },
      ],
      sources: ['jaeger-eu'],
      warnings: [],
    });
  });
});

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

const BASE: OtlpSpan = {
  traceId: TRACE,
  spanId: SPAN,
  name: 'GET /users',
  kind: 2,
  startTimeUnixNano: '1700000000123456789',
  endTimeUnixNano: '1700000000124456789',
};

function doc(span: OtlpSpan, resource: OtlpKeyValue[] = [str('service.name', 'users')]): OtlpTracesData {
  return { resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: 'lib', version: '1.0' }, spans: [span] }] }] };
}

/** Maps one span (BASE overridden by `fields`) and returns it. */
function one(fields: WirePatch<OtlpSpan>, resource?: OtlpKeyValue[]): Span {
  const { spans, warnings } = mapOtlpTraces(doc({ ...BASE, ...fields } as OtlpSpan, resource), 'otlp-file');
  expect(warnings).toEqual([]);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

function str(key: string, value: string): OtlpKeyValue {
  return { key, value: { stringValue: value } };
}

function attr(key: string, value: OtlpAnyValue): OtlpKeyValue {
  return { key, value };
}

describe('ids', () => {
  it.each([
    { description: 'keeps lower-case hex ids', traceId: TRACE, spanId: SPAN, wantTrace: TRACE, wantSpan: SPAN },
    { description: 'lowers upper-case hex ids', traceId: TRACE.toUpperCase(), spanId: SPAN.toUpperCase(), wantTrace: TRACE, wantSpan: SPAN },
    {
      description: 'decodes base64 ids (proto3 canonical JSON)',
      traceId: 'W47/95gDgQPSabYzgT/GDA==',
      spanId: '7uGbfsPBsXQ=',
      wantTrace: TRACE,
      wantSpan: SPAN,
    },
    {
      description: 'decodes unpadded URL-safe base64',
      traceId: '_-7dzLuqmYh3ZlVEMyIRAA',
      spanId: '7uGbfsPBsXQ',
      wantTrace: 'ffeeddccbbaa99887766554433221100',
      wantSpan: SPAN,
    },
    {
      description: 'left-pads a 64-bit hex trace id',
      traceId: '77e0711cc93ee28b',
      spanId: SPAN,
      wantTrace: '000000000000000077e0711cc93ee28b',
      wantSpan: SPAN,
    },
  ])('$description', ({ traceId, spanId, wantTrace, wantSpan }) => {
    const span = one({ traceId, spanId });
    expect(span.traceId).toBe(wantTrace);
    expect(span.spanId).toBe(wantSpan);
  });

  it.each([
    { description: 'an empty parentSpanId means a root', parentSpanId: '', want: null },
    { description: 'an absent parentSpanId means a root', parentSpanId: undefined, want: null },
    { description: 'an all-zero parentSpanId means a root', parentSpanId: '0000000000000000', want: null },
    { description: 'an upper-case parentSpanId is lowered', parentSpanId: 'EEE19B7EC3C1B173', want: 'eee19b7ec3c1b173' },
    { description: 'a base64 parentSpanId is decoded', parentSpanId: '7uGbfsPBsXM=', want: 'eee19b7ec3c1b173' },
  ])('$description', ({ parentSpanId, want }) => {
    expect(one({ parentSpanId }).parentSpanId).toBe(want);
  });

  it('treats an unreadable parentSpanId as a root and says so', () => {
    const { spans } = mapOtlpTraces(doc({ ...BASE, parentSpanId: 'not-an-id' }), 'f');
    expect(spans[0]!.parentSpanId).toBeNull();
    expect(spans[0]!.warnings).toEqual(["parentSpanId 'not-an-id' is not a valid span id; treated as a root"]);
  });

  it.each([
    {
      description: 'an invalid trace id',
      fields: { traceId: 'zz' },
      want: "skipped span 'GET /users': traceId 'zz' is not a valid id (expected hex or base64)",
    },
    {
      description: 'an all-zero trace id',
      fields: { traceId: '0'.repeat(32) },
      want: `skipped span 'GET /users': traceId '${'0'.repeat(32)}' is not a valid id (expected hex or base64)`,
    },
    {
      description: 'a missing span id',
      fields: { spanId: undefined },
      want: "skipped span 'GET /users': spanId missing is not a valid id (expected hex or base64)",
    },
  ])('skips a span with $description and reports it in the document warnings', ({ fields, want }) => {
    const { spans, warnings } = mapOtlpTraces(doc({ ...BASE, ...fields } as OtlpSpan), 'f');
    expect(spans).toEqual([]);
    expect(warnings).toEqual([want]);
  });
});

describe('times', () => {
  it('converts ns strings to µs without losing precision', () => {
    const span = one({ startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '1700000000124456789' });
    expect(span.startTimeUs).toBe(1700000000123456);
    expect(span.durationUs).toBe(1000);
  });

  it.each([
    { description: 'truncates the ns difference like Jaeger (999 ns → 0 µs)', start: '1700000000123456789', end: '1700000000123457788', want: 0 },
    { description: 'truncates the ns difference like Jaeger (1001 ns → 1 µs)', start: '1700000000123456999', end: '1700000000123458000', want: 1 },
    { description: 'keeps whole-µs durations exact', start: '1706678909209712000', end: '1706678909209835000', want: 123 },
  ])('$description', ({ start, end, want }) => {
    expect(one({ startTimeUnixNano: start, endTimeUnixNano: end }).durationUs).toBe(want);
  });

  it('accepts ns as JSON numbers when they fit a double exactly', () => {
    const span = one({ startTimeUnixNano: 1_700_000_000_000_000, endTimeUnixNano: 1_700_000_001_000_000 });
    expect(span.startTimeUs).toBe(1_700_000_000_000);
    expect(span.durationUs).toBe(1_000);
  });

  it.each([
    {
      description: 'a missing end time',
      fields: { endTimeUnixNano: undefined },
      start: 1700000000123456,
      warnings: ['endTimeUnixNano is missing; 0 used'],
    },
    {
      description: 'an end before the start',
      fields: { endTimeUnixNano: '1700000000000000000' },
      start: 1700000000123456,
      warnings: ['endTimeUnixNano is before startTimeUnixNano; duration set to 0'],
    },
    { description: 'a zero start time', fields: { startTimeUnixNano: '0' }, start: 0, warnings: ['startTimeUnixNano is 0 (unset); 0 used'] },
    {
      description: 'a start time that is not a number',
      fields: { startTimeUnixNano: '2024-01-01' },
      start: 0,
      warnings: ["startTimeUnixNano '2024-01-01' is not a nanosecond count; 0 used"],
    },
  ])('gives duration 0 and a warning for $description', ({ fields, start, warnings }) => {
    const { spans } = mapOtlpTraces(doc({ ...BASE, ...fields } as OtlpSpan), 'f');
    expect(spans[0]!.startTimeUs).toBe(start);
    expect(spans[0]!.durationUs).toBe(0);
    expect(spans[0]!.warnings).toEqual(warnings);
  });
});

describe('kind and status', () => {
  it.each([
    { description: 'integer 1', kind: 1, want: 'INTERNAL' },
    { description: 'integer 3', kind: 3, want: 'CLIENT' },
    { description: 'integer 4', kind: 4, want: 'PRODUCER' },
    { description: 'integer 5', kind: 5, want: 'CONSUMER' },
    { description: 'integer 0', kind: 0, want: 'UNSPECIFIED' },
    { description: 'absent', kind: undefined, want: 'UNSPECIFIED' },
    { description: 'the enum name SPAN_KIND_SERVER', kind: 'SPAN_KIND_SERVER', want: 'SERVER' },
    { description: 'the enum name SPAN_KIND_CONSUMER', kind: 'SPAN_KIND_CONSUMER', want: 'CONSUMER' },
  ])('reads kind $description', ({ kind, want }) => {
    expect(one({ kind }).kind).toBe(want);
  });

  it('warns about an unknown kind and leaves it UNSPECIFIED', () => {
    const span = mapOtlpTraces(doc({ ...BASE, kind: 9 }), 'f').spans[0]!;
    expect(span.kind).toBe('UNSPECIFIED');
    expect(span.warnings).toEqual(['unknown span kind 9 (expected 0–5 or SPAN_KIND_*); kind set to UNSPECIFIED']);
  });

  it.each([
    { description: 'an empty status is UNSET', status: {}, want: { code: 'UNSET', message: null } },
    { description: 'code 1 is OK', status: { code: 1 }, want: { code: 'OK', message: null } },
    { description: 'code 2 with a message is ERROR', status: { code: 2, message: 'boom' }, want: { code: 'ERROR', message: 'boom' } },
    {
      description: 'STATUS_CODE_ERROR is ERROR',
      status: { code: 'STATUS_CODE_ERROR', message: 'timeout' },
      want: { code: 'ERROR', message: 'timeout' },
    },
    { description: 'an empty message is null', status: { code: 2, message: '' }, want: { code: 'ERROR', message: null } },
  ])('$description', ({ status, want }) => {
    expect(one({ status }).status).toEqual(want);
  });
});

describe('attributes', () => {
  it.each([
    { description: 'stringValue → STRING', value: { stringValue: 'x' }, want: { type: 'STRING', value: 'x' } },
    { description: 'boolValue → BOOL', value: { boolValue: false }, want: { type: 'BOOL', value: false } },
    { description: 'intValue as decimal text → INT number', value: { intValue: '200' }, want: { type: 'INT', value: 200 } },
    { description: 'intValue as a JSON number → INT number', value: { intValue: 42 }, want: { type: 'INT', value: 42 } },
    { description: 'negative intValue', value: { intValue: '-7' }, want: { type: 'INT', value: -7 } },
    {
      description: 'keeps int64 beyond 2^53 as exact text',
      value: { intValue: '9007199254740993' },
      want: { type: 'INT', value: '9007199254740993' },
    },
    {
      description: 'keeps the int64 maximum as exact text',
      value: { intValue: '9223372036854775807' },
      want: { type: 'INT', value: '9223372036854775807' },
    },
    { description: 'doubleValue → DOUBLE', value: { doubleValue: 0.25 }, want: { type: 'DOUBLE', value: 0.25 } },
    { description: 'non-finite doubleValue stays text', value: { doubleValue: 'NaN' }, want: { type: 'DOUBLE', value: 'NaN' } },
    { description: 'bytesValue → BYTES base64', value: { bytesValue: 'AAAwOQ==' }, want: { type: 'BYTES', value: 'AAAwOQ==' } },
    {
      description: 'arrayValue → ARRAY of plain values',
      value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '9223372036854775807' }, { boolValue: true }] } },
      want: { type: 'ARRAY', value: ['a', '9223372036854775807', true] },
    },
    {
      description: 'kvlistValue → MAP, nested',
      value: { kvlistValue: { values: [str('k', 'v'), attr('n', { kvlistValue: { values: [attr('d', { doubleValue: 1.5 })] } })] } },
      want: { type: 'MAP', value: { k: 'v', n: { d: 1.5 } } },
    },
    { description: 'an empty AnyValue → empty STRING', value: {}, want: { type: 'STRING', value: '' } },
  ])('$description', ({ value, want }) => {
    expect(one({ attributes: [attr('a', value as OtlpAnyValue)] }).attributes).toEqual([{ key: 'a', ...want }]);
  });

  it('warns when a JSON-number intValue is already beyond 2^53', () => {
    const span = mapOtlpTraces(doc({ ...BASE, attributes: [attr('big', { intValue: 2 ** 60 })] }), 'f').spans[0]!;
    expect(span.attributes).toEqual([{ key: 'big', type: 'INT', value: 2 ** 60 }]);
    expect(span.warnings).toEqual([
      `attribute 'big': intValue ${2 ** 60} was written as a JSON number beyond ±2^53, so its exact value may already be lost`,
    ]);
  });

  it('moves service.name out of the resource and keeps the other resource attributes', () => {
    const span = one({}, [str('host.name', 'h1'), str('service.name', 'users'), attr('process.pid', { intValue: '42' })]);
    expect(span.service).toBe('users');
    expect(span.resource).toEqual([
      { key: 'host.name', type: 'STRING', value: 'h1' },
      { key: 'process.pid', type: 'INT', value: 42 },
    ]);
    expect(span.scope).toEqual({ name: 'lib', version: '1.0' });
  });

  it('moves Jaeger api_v3 @jaeger@warnings into span warnings', () => {
    const warnings = attr('@jaeger@warnings', { arrayValue: { values: [{ stringValue: 'clock skew adjustment disabled' }] } });
    const span = one({ attributes: [str('http.method', 'GET'), warnings] });
    expect(span.attributes).toEqual([{ key: 'http.method', type: 'STRING', value: 'GET' }]);
    expect(span.warnings).toEqual(['clock skew adjustment disabled']);
  });

  it('keeps traceState as the w3c.tracestate attribute, as Jaeger v1 shows it', () => {
    expect(one({ traceState: 'rojo=00f067aa0ba902b7' }).attributes).toEqual([
      { key: 'w3c.tracestate', type: 'STRING', value: 'rojo=00f067aa0ba902b7' },
    ]);
  });
});

describe('events and links', () => {
  it('maps events with their ns times and typed attributes', () => {
    const span = one({
      events: [
        { name: 'exception', timeUnixNano: '1700000000123999999', attributes: [str('exception.type', 'Boom'), attr('retry', { intValue: '2' })] },
        { name: 'done', timeUnixNano: '1700000000124000000' },
      ],
    });
    expect(span.events).toEqual([
      {
        name: 'exception',
        timeUs: 1700000000123999,
        attributes: [
          { key: 'exception.type', type: 'STRING', value: 'Boom' },
          { key: 'retry', type: 'INT', value: 2 },
        ],
      },
      { name: 'done', timeUs: 1700000000124000, attributes: [] },
    ]);
  });

  it('maps links with attributes, and reads the Collector’s opentracing.ref_type as refType', () => {
    const span = one({
      links: [
        { traceId: 'AABBCCDDEEFF00112233445566778899', spanId: '0102030405060708', attributes: [str('link.reason', 'batch')] },
        { traceId: TRACE, spanId: 'eee19b7ec3c1b170', attributes: [str('opentracing.ref_type', 'follows_from')] },
      ],
    });
    expect(span.links).toEqual([
      {
        traceId: 'aabbccddeeff00112233445566778899',
        spanId: '0102030405060708',
        refType: null,
        attributes: [{ key: 'link.reason', type: 'STRING', value: 'batch' }],
      },
      { traceId: TRACE, spanId: 'eee19b7ec3c1b170', refType: 'FOLLOWS_FROM', attributes: [] },
    ]);
  });

  it('drops a link with an invalid id and says so', () => {
    const span = mapOtlpTraces(doc({ ...BASE, links: [{ traceId: TRACE, spanId: '' }] }), 'f').spans[0]!;
    expect(span.links).toEqual([]);
    expect(span.warnings).toEqual([`dropped a link with invalid ids (traceId '${TRACE}', spanId '')`]);
  });
});

describe('document structure', () => {
  it('reads the pre-1.0 instrumentationLibrarySpans level', () => {
    const legacy = {
      resourceSpans: [
        {
          resource: { attributes: [str('service.name', 'old')] },
          instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'io.old', version: '0.9' }, spans: [BASE] }],
        },
      ],
    };
    const [span] = otlpToSpans(legacy, 'f');
    expect(span).toMatchObject({ service: 'old', scope: { name: 'io.old', version: '0.9' }, spanId: SPAN });
  });

  it('stamps every span with the source and keeps spans of several resources apart', () => {
    const two: OtlpTracesData = {
      resourceSpans: [
        { resource: { attributes: [str('service.name', 'a')] }, scopeSpans: [{ spans: [BASE] }] },
        { resource: { attributes: [str('service.name', 'b')] }, scopeSpans: [{ spans: [{ ...BASE, spanId: '0000000000000001' }] }] },
      ],
    };
    const spans = otlpToSpans(two, 'jaeger-v3');
    expect(spans.map((s) => [s.service, s.spanId, s.sources, s.scope])).toEqual([
      ['a', SPAN, ['jaeger-v3'], null],
      ['b', '0000000000000001', ['jaeger-v3'], null],
    ]);
  });

  it('gives each span its own resource objects', () => {
    const shared: OtlpTracesData = {
      resourceSpans: [
        {
          resource: { attributes: [str('service.name', 'a'), attr('tags', { arrayValue: { values: [{ stringValue: 'x' }] } })] },
          scopeSpans: [{ spans: [BASE, BASE] }],
        },
      ],
    };
    const [first, second] = otlpToSpans(shared, 'f');
    (first!.resource[0]!.value as string[]).push('mutated');
    expect(second!.resource[0]!.value).toEqual(['x']);
  });

  it('returns no spans for an empty document', () => {
    expect(mapOtlpTraces({}, 'f')).toEqual({ spans: [], warnings: [] });
  });
});
