import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jaegerResponseToTraces, jaegerTraceToSpans, mapJaegerTrace } from '../../../src/formats/jaeger-json/to-model.js';
import type { JaegerKeyValue, JaegerSpan, JaegerTrace } from '../../../src/formats/jaeger-json/wire.js';
import { otlpToSpans } from '../../../src/formats/otlp-json/to-model.js';
import type { Span } from '../../../src/model/index.js';
import { expectGolden } from '../../support/golden.js';
import type { WirePatch } from '../../support/wire-patch.js';

const PUBLIC = new URL('../../fixtures/public/', import.meta.url);
const readText = (path: string): string => readFileSync(new URL(path, PUBLIC), 'utf8');
const readJson = (path: string): any => JSON.parse(readText(path));

/** Attribute order differs between Jaeger's (sorted) v1 tags and OTLP; compare as sets. */
function sortedAttributes(spans: Span[]): Array<Omit<Span, 'wireFormat'>> {
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  // The format a copy was read from is provenance, not content.
  return spans.map(({ wireFormat: _format, ...s }) => ({ ...s, attributes: [...s.attributes].sort(byKey), resource: [...s.resource].sort(byKey) }));
}

describe('Jaeger v1 fixtures from public repositories', () => {
  it.each([
    {
      description: 'jaeger ui_01: every tag type, >2^53 int64 as text, references to other traces, span and trace warnings',
      fixture: 'every-tag-type-references-warnings',
    },
    { description: 'jaeger-ui statistics trace: a bare trace with 64-bit ids, flags and span.kind tags', fixture: 'bare-trace-producer-and-clients' },
  ])('$description', async ({ fixture }) => {
    await expectGolden(mapJaegerTrace(readJson(`jaeger/${fixture}.json`), 'fixture'), new URL(`jaeger/${fixture}.expected.json`, PUBLIC));
  });

  it('maps the {data, errors} envelope of Jaeger’s OTLP→v1 translation test', async () => {
    const fixture = 'envelope-otlp-translated-server-span';
    await expectGolden(jaegerResponseToTraces(readJson(`jaeger/${fixture}.json`), 'fixture'), new URL(`jaeger/${fixture}.expected.json`, PUBLIC));
  });

  it('maps Jaeger’s v1 output to the same spans as the OTLP input it was translated from', () => {
    const fromV1 = jaegerResponseToTraces(readJson('jaeger/envelope-otlp-translated-server-span.json'), 'jaeger').traces.flatMap((t) => t.spans);
    const fromOtlp = otlpToSpans(readJson('otlp/duplicated-server-span.json'), 'jaeger');
    expect(fromV1.map((s) => s.wireFormat)).toEqual(['jaeger-json', 'jaeger-json']);
    expect(sortedAttributes(fromV1)).toEqual(sortedAttributes(fromOtlp));
  });

  it('maps a jaeger-ui download (inline processes, otel.library.* tags) to the same spans as the OTLP lines it came from', () => {
    const download = readJson('jaeger/ui-transformed-download-library-tags.json');
    const fromV1 = download.data.flatMap((trace: JaegerTrace) => jaegerTraceToSpans(trace, 'file'));
    const lines = readText('otlp/json-lines-sub-microsecond-ends.jsonl').trim().split('\n');
    const fromOtlp = lines.flatMap((line) => otlpToSpans(JSON.parse(line), 'file'));
    expect(sortedAttributes(fromV1)).toEqual(sortedAttributes(fromOtlp));
  });

  it('skips spans whose ids are not hex and reports each in the trace warnings', () => {
    const mapped = mapJaegerTrace(readJson('jaeger/non-hex-ids.json'), 'file');
    expect(mapped.traceId).toBeNull();
    expect(mapped.spans).toEqual([]);
    expect(mapped.warnings).toHaveLength(11);
    expect(mapped.warnings[0]).toBe("skipped span 'op1': traceID 'trace-123' is not 1–32 hex digits");
  });
});

const TRACE_ID = '83a9efd15c1c98a977e0711cc93ee28b';

function trace(span: WirePatch<JaegerSpan>, processTags: JaegerKeyValue[] = []): JaegerTrace {
  return {
    traceID: TRACE_ID,
    spans: [
      {
        traceID: TRACE_ID,
        spanID: 'e127af99e3b3e074',
        operationName: 'GET /x',
        references: [],
        startTime: 1706678909209712,
        duration: 123,
        tags: [],
        logs: [],
        processID: 'p1',
        warnings: null,
        ...span,
      } as JaegerSpan,
    ],
    processes: { p1: { serviceName: 'users', tags: processTags } },
    warnings: null,
  };
}

function one(span: WirePatch<JaegerSpan>, processTags?: JaegerKeyValue[]): Span {
  const mapped = mapJaegerTrace(trace(span, processTags), 'jaeger-eu');
  expect(mapped.warnings).toEqual([]);
  expect(mapped.spans).toHaveLength(1);
  return mapped.spans[0]!;
}

const s = (key: string, value: string): JaegerKeyValue => ({ key, type: 'string', value });

describe('ids and references', () => {
  it('left-pads 16-hex trace ids and lowers upper-case ids', () => {
    const span = one({ traceID: '77E0711CC93EE28B', spanID: 'E127AF99E3B3E074' });
    expect(span.traceId).toBe('000000000000000077e0711cc93ee28b');
    expect(span.spanId).toBe('e127af99e3b3e074');
  });

  it.each([
    {
      description: 'the first same-trace CHILD_OF is the parent; a CHILD_OF into another trace is a link',
      references: [
        { refType: 'CHILD_OF', traceID: 'ff', spanID: '00000000000000ff' },
        { refType: 'CHILD_OF', traceID: TRACE_ID, spanID: '909541b92cf05311' },
        { refType: 'CHILD_OF', traceID: TRACE_ID, spanID: '909541b92cf05312' },
      ],
      parent: '909541b92cf05311',
      links: [
        { refType: 'CHILD_OF', traceId: '000000000000000000000000000000ff', spanId: '00000000000000ff', attributes: [] },
        { refType: 'CHILD_OF', traceId: TRACE_ID, spanId: '909541b92cf05312', attributes: [] },
      ],
    },
    {
      description: 'FOLLOWS_FROM is the parent when no same-trace CHILD_OF exists',
      references: [{ refType: 'FOLLOWS_FROM', traceID: TRACE_ID, spanID: '909541b92cf05311' }],
      parent: '909541b92cf05311',
      links: [],
    },
    {
      description: 'CHILD_OF wins over an earlier FOLLOWS_FROM, which stays a link',
      references: [
        { refType: 'FOLLOWS_FROM', traceID: TRACE_ID, spanID: '0000000000000001' },
        { refType: 'CHILD_OF', traceID: TRACE_ID, spanID: '0000000000000002' },
      ],
      parent: '0000000000000002',
      links: [{ refType: 'FOLLOWS_FROM', traceId: TRACE_ID, spanId: '0000000000000001', attributes: [] }],
    },
    {
      description: 'a 16-hex reference trace id matches the span’s 32-hex trace id with zero high half',
      traceID: '00000000000000000000000000000abc',
      references: [{ refType: 'CHILD_OF', traceID: '0000000000000abc', spanID: '0000000000000002' }],
      parent: '0000000000000002',
      links: [],
    },
  ])('$description', ({ references, parent, links, traceID }) => {
    const span = one({ references, ...(traceID ? { traceID } : {}) });
    expect(span.parentSpanId).toBe(parent);
    expect(span.links).toEqual(links);
  });

  it('falls back to the deprecated parentSpanID field when no reference names a parent', () => {
    expect(one({ parentSpanID: '909541b92cf05311' }).parentSpanId).toBe('909541b92cf05311');
    expect(one({ parentSpanID: '0000000000000000' }).parentSpanId).toBeNull();
  });

  it('drops a reference with an invalid span id and says so', () => {
    const span = mapJaegerTrace(trace({ references: [{ refType: 'CHILD_OF', traceID: TRACE_ID, spanID: 'nope' }] }), 'f').spans[0]!;
    expect(span.parentSpanId).toBeNull();
    expect(span.warnings).toEqual([`dropped a reference with invalid ids (traceID '${TRACE_ID}', spanID 'nope')`]);
  });
});

describe('synthetic tags', () => {
  it.each([
    { description: 'client', value: 'client', want: 'CLIENT' },
    { description: 'server', value: 'server', want: 'SERVER' },
    { description: 'producer', value: 'producer', want: 'PRODUCER' },
    { description: 'consumer', value: 'consumer', want: 'CONSUMER' },
    { description: 'internal', value: 'internal', want: 'INTERNAL' },
    { description: 'upper-case SERVER', value: 'SERVER', want: 'SERVER' },
  ])('span.kind=$description sets the kind and leaves the attributes', ({ value, want }) => {
    const span = one({ tags: [s('span.kind', value), s('http.method', 'GET')] });
    expect(span.kind).toBe(want);
    expect(span.attributes).toEqual([{ key: 'http.method', type: 'STRING', value: 'GET' }]);
  });

  it('keeps an unknown span.kind value as an attribute and warns', () => {
    const span = mapJaegerTrace(trace({ tags: [s('span.kind', 'rpc')] }), 'f').spans[0]!;
    expect(span.kind).toBe('UNSPECIFIED');
    expect(span.attributes).toEqual([{ key: 'span.kind', type: 'STRING', value: 'rpc' }]);
    expect(span.warnings).toEqual(["span.kind tag 'rpc' is not client, server, producer, consumer or internal; kept as an attribute"]);
  });

  it.each([
    { description: 'no status tags → UNSET', tags: [], status: { code: 'UNSET', message: null }, left: [] },
    {
      description: 'error=true (bool) → ERROR',
      tags: [{ key: 'error', type: 'bool', value: true }],
      status: { code: 'ERROR', message: null },
      left: [],
    },
    { description: 'error="true" (string) → ERROR', tags: [s('error', 'true')], status: { code: 'ERROR', message: null }, left: [] },
    {
      description: 'error with other text → ERROR with that message',
      tags: [s('error', 'connection refused')],
      status: { code: 'ERROR', message: 'connection refused' },
      left: [],
    },
    {
      description: 'error=false stays an attribute, status UNSET',
      tags: [{ key: 'error', type: 'bool', value: false }],
      status: { code: 'UNSET', message: null },
      left: [{ key: 'error', type: 'BOOL', value: false }],
    },
    {
      description: 'Jaeger’s rendering of OTLP ERROR: error=true, otel.status_code=ERROR, otel.status_description',
      tags: [{ key: 'error', type: 'bool', value: true }, s('otel.status_code', 'ERROR'), s('otel.status_description', 'deadline exceeded')],
      status: { code: 'ERROR', message: 'deadline exceeded' },
      left: [],
    },
    { description: 'otel.status_code=OK → OK', tags: [s('otel.status_code', 'OK')], status: { code: 'OK', message: null }, left: [] },
    {
      description: 'otel.status_description without a status stays an attribute',
      tags: [s('otel.status_description', 'orphan')],
      status: { code: 'UNSET', message: null },
      left: [{ key: 'otel.status_description', type: 'STRING', value: 'orphan' }],
    },
  ])('$description', ({ tags, status, left }) => {
    const span = one({ tags: tags as JaegerKeyValue[] });
    expect(span.status).toEqual(status);
    expect(span.attributes).toEqual(left);
  });

  it('lets a true error tag win over otel.status_code=OK, with a warning', () => {
    const span = mapJaegerTrace(trace({ tags: [{ key: 'error', type: 'bool', value: true }, s('otel.status_code', 'OK')] }), 'f').spans[0]!;
    expect(span.status).toEqual({ code: 'ERROR', message: null });
    expect(span.warnings).toEqual(['the error tag says ERROR but otel.status_code says OK; ERROR kept']);
  });

  it.each([
    { description: 'otel.scope.*', tags: [s('otel.scope.name', 'my-lib'), s('otel.scope.version', '2.1')], want: { name: 'my-lib', version: '2.1' } },
    {
      description: 'the older otel.library.*',
      tags: [s('otel.library.name', 'widgets'), s('otel.library.version', '1.2.3')],
      want: { name: 'widgets', version: '1.2.3' },
    },
    { description: 'a name without version', tags: [s('otel.scope.name', 'my-lib')], want: { name: 'my-lib', version: null } },
  ])('reads the scope from $description and removes the tags', ({ tags, want }) => {
    const span = one({ tags });
    expect(span.scope).toEqual(want);
    expect(span.attributes).toEqual([]);
  });

  it('keeps w3c.tracestate as an attribute (the model has no trace-state field)', () => {
    expect(one({ tags: [s('w3c.tracestate', 'rojo=1')] }).attributes).toEqual([{ key: 'w3c.tracestate', type: 'STRING', value: 'rojo=1' }]);
  });
});

describe('tag types', () => {
  it.each([
    { description: 'int64 number', tag: { type: 'int64', value: 200 }, want: { type: 'INT', value: 200 } },
    {
      description: 'keeps int64 beyond 2^53 as exact text',
      tag: { type: 'int64', value: '9223372036854775222' },
      want: { type: 'INT', value: '9223372036854775222' },
    },
    { description: 'int64 as small decimal text becomes a number', tag: { type: 'int64', value: '42' }, want: { type: 'INT', value: 42 } },
    { description: 'float64', tag: { type: 'float64', value: 72.5 }, want: { type: 'DOUBLE', value: 72.5 } },
    { description: 'binary stays base64', tag: { type: 'binary', value: 'AAAwOQ==' }, want: { type: 'BYTES', value: 'AAAwOQ==' } },
    { description: 'bool written as text (jaeger-ui fixtures)', tag: { type: 'bool', value: 'false' }, want: { type: 'BOOL', value: false } },
    { description: 'missing type inferred from a number', tag: { value: 3 }, want: { type: 'INT', value: 3 } },
    { description: 'missing type inferred from a fraction', tag: { value: 0.5 }, want: { type: 'DOUBLE', value: 0.5 } },
    {
      description: 'OTLP arrays arrive as JSON text and stay text',
      tag: { type: 'string', value: '["a","b"]' },
      want: { type: 'STRING', value: '["a","b"]' },
    },
  ])('$description', ({ tag, want }) => {
    expect(one({ tags: [{ key: 'k', ...tag }] }).attributes).toEqual([{ key: 'k', ...want }]);
  });

  it.each([
    {
      description: 'int64 that is not an integer',
      tag: { type: 'int64', value: 'abc' },
      warning: "tag 'k' has type 'int64' but value 'abc' (expected an integer); kept as text",
    },
    {
      description: 'an unknown type',
      tag: { type: 'uuid', value: 'x' },
      warning: "tag 'k' has type 'uuid' but value 'x' (expected one of string, bool, int64, float64, binary); kept as text",
    },
  ])('keeps $description as text and warns', ({ tag, warning }) => {
    const span = mapJaegerTrace(trace({ tags: [{ key: 'k', ...tag }] }), 'f').spans[0]!;
    expect(span.attributes).toEqual([{ key: 'k', type: 'STRING', value: tag.value }]);
    expect(span.warnings).toEqual([warning]);
  });
});

describe('processes, logs and times', () => {
  it('maps the process: serviceName → service, typed tags → resource', () => {
    const span = one({}, [s('host.name', 'h1'), { key: 'process.pid', type: 'int64', value: 7 }]);
    expect(span.service).toBe('users');
    expect(span.resource).toEqual([
      { key: 'host.name', type: 'STRING', value: 'h1' },
      { key: 'process.pid', type: 'INT', value: 7 },
    ]);
  });

  it.each([
    {
      description: 'an unknown processID',
      patch: { processID: 'p9' },
      processes: undefined,
      warning: "process 'p9' is not in the trace's processes; service set to 'unknown_service'",
    },
    {
      description: 'Jaeger’s OTLPResourceNoServiceName',
      patch: {},
      processes: { p1: { serviceName: 'OTLPResourceNoServiceName', tags: [] } },
      warning: "resource has no service.name; service set to 'unknown_service'",
    },
  ])('uses unknown_service for $description and warns', ({ patch, processes, warning }) => {
    const t = trace(patch);
    if (processes) t.processes = processes;
    const span = mapJaegerTrace(t, 'f').spans[0]!;
    expect(span.service).toBe('unknown_service');
    expect(span.warnings).toEqual([warning]);
  });

  it('turns logs into events named by their event field, else unnamed (as OTel reads them; an OTLP event named "" has no event field)', () => {
    const span = one({
      logs: [
        { timestamp: 1706678909209800, fields: [s('event', 'exception'), s('exception.message', 'boom')] },
        { timestamp: 1706678909209810, fields: [s('message', 'plain OpenTracing log')] },
      ],
    });
    expect(span.events).toEqual([
      { name: 'exception', timeUs: 1706678909209800, attributes: [{ key: 'exception.message', type: 'STRING', value: 'boom' }] },
      { name: '', timeUs: 1706678909209810, attributes: [{ key: 'message', type: 'STRING', value: 'plain OpenTracing log' }] },
    ]);
  });

  it.each([
    {
      description: 'a missing startTime',
      patch: { startTime: undefined },
      field: 'startTimeUs',
      warning: 'startTime missing is not a microsecond count; 0 used',
    },
    { description: 'a zero startTime', patch: { startTime: 0 }, field: 'startTimeUs', warning: 'startTime is 0 (unset)' },
    { description: 'a negative duration', patch: { duration: -5 }, field: 'durationUs', warning: 'duration -5 is not a microsecond count; 0 used' },
    {
      description: 'a log without timestamp',
      patch: { logs: [{ fields: [s('event', 'x')] }] },
      field: undefined,
      warning: "log 'x' timestamp missing is not a microsecond count; 0 used",
    },
  ])('uses 0 and warns for $description', ({ patch, field, warning }) => {
    const span = mapJaegerTrace(trace(patch as Partial<JaegerSpan>), 'f').spans[0]!;
    if (field) expect(span[field as 'startTimeUs' | 'durationUs']).toBe(0);
    expect(span.warnings).toEqual([warning]);
  });

  it('accepts a zero duration (a sub-microsecond span) without a warning', () => {
    expect(one({ duration: 0 }).durationUs).toBe(0);
  });

  it('puts Jaeger’s own span warnings before mapping warnings and stamps the source', () => {
    const span = mapJaegerTrace(trace({ warnings: ['clock skew adjusted'], duration: undefined }), 'jaeger-eu').spans[0]!;
    expect(span.warnings).toEqual(['clock skew adjusted', 'duration missing is not a microsecond count; 0 used']);
    expect(span.sources).toEqual(['jaeger-eu']);
  });
});

describe('envelope', () => {
  it('passes per-trace errors of a multi-get through and maps the found traces', () => {
    const response = {
      data: [trace({})],
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ msg: 'trace not found', traceID: '0000000000000abc' }],
    };
    const mapped = jaegerResponseToTraces(response, 'jaeger-eu');
    expect(mapped.errors).toEqual([{ msg: 'trace not found', traceID: '0000000000000abc' }]);
    expect(mapped.traces.map((t) => [t.traceId, t.spans.length])).toEqual([[TRACE_ID, 1]]);
  });

  it('maps an error envelope with data null to no traces', () => {
    const mapped = jaegerResponseToTraces({ data: null, errors: [{ code: 404, msg: 'trace not found' }] }, 'j');
    expect(mapped).toEqual({ traces: [], errors: [{ code: 404, msg: 'trace not found' }] });
  });
});
