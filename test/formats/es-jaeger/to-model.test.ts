import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapJaegerDocs, jaegerDocToV1, jaegerStoredService } from '../../../src/formats/es-jaeger/to-model.js';
import type { JaegerEsSpan } from '../../../src/formats/es-jaeger/wire.js';
import { jaegerResponseToTraces } from '../../../src/formats/jaeger-json/to-model.js';
import { otlpToSpans } from '../../../src/formats/otlp-json/to-model.js';
import { parseJsonExact } from '../../../src/formats/shared/exact-json.js';
import type { Span } from '../../../src/model/index.js';
import { comparable } from '../comparable-spans.js';
import { expectGolden } from '../../support/golden.js';

const FIXTURES = new URL('../../fixtures/elasticsearch/', import.meta.url);
/** Fixtures hold int64 values beyond 2^53 (Jaeger writes them as JSON numbers): read them exactly, as the client does. */
const readJson = (path: string): any => parseJsonExact(readFileSync(new URL(path, FIXTURES), 'utf8'));
const OPTIONS = { tagDotReplacement: '@' };

describe('Jaeger span documents recorded from Elasticsearch (written by Jaeger v2.13.0)', () => {
  it.each([
    {
      description:
        'a server span with every attribute type: int64 beyond 2^53, double, bool, binary (hex → base64), array and map as JSON text, trace state',
      fixture: 'server-span-every-attribute-type',
    },
    {
      description: 'a client span in ERROR with its message, an event with attributes and a link to another trace',
      fixture: 'client-error-with-event-and-link',
    },
    {
      description: 'an INTERNAL span under a 64-bit trace id, status UNSET, no tags but the synthetic ones',
      fixture: 'internal-span-64-bit-trace-id',
    },
    {
      description: 'PRODUCER and CONSUMER spans of a resource without attributes (OTLPResourceNoServiceName)',
      fixture: 'producer-consumer-without-service-name',
    },
    { description: 'tags_as_fields: typed values in `tag`/`process.tag` with @ for dots, binary kept in nested tags', fixture: 'tags-as-fields' },
    {
      description: 'the v1 writer (Jaeger v1.50.0): a 64-bit id as 16 hex, every value a string, otel.library.* scope tags',
      fixture: 'legacy-writer-64-bit-id-string-values',
    },
  ])('$description', async ({ fixture }) => {
    await expectGolden(mapJaegerDocs(readJson(`jaeger/${fixture}.json`), 'fixture', OPTIONS), new URL(`jaeger/${fixture}.expected.json`, FIXTURES));
  });

  it.each([
    'server-span-every-attribute-type',
    'client-error-with-event-and-link',
    'internal-span-64-bit-trace-id',
    'producer-consumer-without-service-name',
  ])('maps %s to the spans Jaeger’s own api_v3 answers for the same trace', (fixture) => {
    const fromEs = mapJaegerDocs(readJson(`jaeger/${fixture}.json`), 'fixture', OPTIONS).spans;
    const fromApi = otlpToSpans(readJson(`jaeger/${fixture}.api.json`).result, 'fixture');
    expect(comparable(fromEs)).toEqual(comparable(fromApi));
  });

  it('maps the v1 writer’s documents to the spans that Jaeger’s own v1 API answers for the same trace', () => {
    const fixture = 'legacy-writer-64-bit-id-string-values';
    const fromEs = mapJaegerDocs(readJson(`jaeger/${fixture}.json`), 'fixture', OPTIONS).spans;
    const fromApi = jaegerResponseToTraces(readJson(`jaeger/${fixture}.api.json`), 'fixture').traces.flatMap((t) => t.spans);
    expect(comparable(fromEs)).toEqual(comparable(fromApi));
  });
});

const TRACE = '5b8efff798038103d269b633813fc60c';

function jaegerDoc(fields: Partial<JaegerEsSpan>): JaegerEsSpan {
  return {
    traceID: TRACE,
    spanID: 'eee19b7ec3c1b174',
    operationName: 'op',
    references: null,
    startTime: 1_795_353_796_000_000,
    startTimeMillis: 1_795_353_796_000,
    duration: 10,
    tags: null,
    logs: null,
    process: { serviceName: 'svc', tags: null },
    ...fields,
  };
}

function oneJaeger(fields: Partial<JaegerEsSpan>, options = OPTIONS): Span {
  const { spans, warnings } = mapJaegerDocs([jaegerDoc(fields)], 'es', options);
  expect(warnings).toEqual([]);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

describe('Jaeger documents from older writers and odd data', () => {
  it.each([
    {
      description: 'string values of every type (writers before v2.7)',
      tag: { key: 'n', type: 'int64', value: '42' },
      expected: { key: 'n', type: 'INT', value: 42 },
    },
    { description: 'a bool stored as text', tag: { key: 'b', type: 'bool', value: 'true' }, expected: { key: 'b', type: 'BOOL', value: true } },
    { description: 'a float stored as text', tag: { key: 'f', type: 'float64', value: '1.5' }, expected: { key: 'f', type: 'DOUBLE', value: 1.5 } },
    {
      description: 'an int64 beyond 2^53 arriving as a bigint keeps its exact text',
      tag: { key: 'h', type: 'int64', value: 9223372036854775807n },
      expected: { key: 'h', type: 'INT', value: '9223372036854775807' },
    },
    {
      description: 'binary hex becomes base64',
      tag: { key: 'raw', type: 'binary', value: '0aff' },
      expected: { key: 'raw', type: 'BYTES', value: 'Cv8=' },
    },
  ])('reads $description', ({ tag, expected }) => {
    expect(oneJaeger({ tags: [tag] }).attributes).toEqual([expected]);
  });

  it('left-pads a 16-hex trace id (v1.16–v2.6) and an unpadded one (before v1.16) to the same trace', () => {
    expect(oneJaeger({ traceID: 'a1b2c3d4e5f60718' }).traceId).toBe('0000000000000000a1b2c3d4e5f60718');
    expect(oneJaeger({ traceID: '1b2c3d4e5f60718' }).traceId).toBe('000000000000000001b2c3d4e5f60718');
  });

  it('maps each span’s inline process by its own content, however many documents share it', () => {
    const process = (serviceName: string, tags: JaegerEsSpan['process']['tags']) => ({ serviceName, tags });
    const { spans, warnings } = mapJaegerDocs(
      [
        jaegerDoc({ spanID: '0000000000000001', process: process('a', [{ key: 'host', type: 'string', value: 'h1' }]) }),
        jaegerDoc({ spanID: '0000000000000002', process: process('a', [{ key: 'host', type: 'string', value: 'h2' }]) }),
        jaegerDoc({ spanID: '0000000000000003', process: process('a', [{ key: 'host', type: 'string', value: 'h1' }]) }),
        // Same text, another type: an int64 42 and a string "42" are different resources.
        jaegerDoc({ spanID: '0000000000000004', process: process('b', [{ key: 'n', type: 'int64', value: 42 }]) }),
        jaegerDoc({ spanID: '0000000000000005', process: process('b', [{ key: 'n', type: 'string', value: '42' }]) }),
        jaegerDoc({ spanID: '0000000000000006', process: process('', []) }),
      ],
      'es',
      OPTIONS,
    );
    expect(warnings).toEqual([]);
    expect(spans.map((s) => [s.service, s.resource])).toEqual([
      ['a', [{ key: 'host', type: 'STRING', value: 'h1' }]],
      ['a', [{ key: 'host', type: 'STRING', value: 'h2' }]],
      ['a', [{ key: 'host', type: 'STRING', value: 'h1' }]],
      ['b', [{ key: 'n', type: 'INT', value: 42 }]],
      ['b', [{ key: 'n', type: 'STRING', value: '42' }]],
      ['unknown_service', []],
    ]);
    expect(spans[5]!.warnings).toEqual(["resource has no service.name; service set to 'unknown_service'"]);
    // Each span owns its resource: changing one leaves the span that shares its process alone.
    spans[0]!.resource[0]!.value = 'changed';
    expect(spans[2]!.resource[0]!.value).toBe('h1');
  });

  it('takes the parent from parentSpanID when the references are null (older documents)', () => {
    expect(oneJaeger({ parentSpanID: '00f067aa0ba902b7', references: null }).parentSpanId).toBe('00f067aa0ba902b7');
  });

  it('reads tags_as_fields with a configured dot replacement, typing values by their JSON type', () => {
    const span = oneJaeger(
      {
        tag: { 'http#route': '/x', 'http#status_code': 404, ratio: 0.5, flag: false, big: -9223372036854775808n },
        process: { serviceName: 'svc', tags: null, tag: { 'host#name': 'h' } },
      },
      { tagDotReplacement: '#' },
    );
    expect(span.attributes).toEqual([
      { key: 'http.route', type: 'STRING', value: '/x' },
      { key: 'http.status_code', type: 'INT', value: 404 },
      { key: 'ratio', type: 'DOUBLE', value: 0.5 },
      { key: 'flag', type: 'BOOL', value: false },
      { key: 'big', type: 'INT', value: '-9223372036854775808' },
    ]);
    expect(span.resource).toEqual([{ key: 'host.name', type: 'STRING', value: 'h' }]);
  });

  it('reads span.kind and error from the tag object as the kind and status (what v2.13.0 writes by default)', () => {
    const span = oneJaeger({
      tag: { 'span@kind': 'client', error: true },
      tags: [{ key: 'otel.status_description', type: 'string', value: 'boom' }],
    });
    expect(span.kind).toBe('CLIENT');
    expect(span.status).toEqual({ code: 'ERROR', message: 'boom' });
    expect(span.attributes).toEqual([]);
  });

  it('keeps a binary tag that is not hex as text, with a warning on the span', () => {
    const { spans } = mapJaegerDocs([jaegerDoc({ tags: [{ key: 'raw', type: 'binary', value: 'xyz' }] })], 'es', OPTIONS);
    expect(spans[0]!.attributes).toEqual([{ key: 'raw', type: 'STRING', value: 'xyz' }]);
    expect(spans[0]!.warnings).toEqual(["tag 'raw' is binary but 'xyz' is not hex; kept as text"]);
  });

  it('keeps an object in the tag object as JSON text, with a warning on the span', () => {
    const { spans } = mapJaegerDocs([jaegerDoc({ tag: { nested: { a: 1 } } })], 'es', OPTIONS);
    expect(spans[0]!.attributes).toEqual([{ key: 'nested', type: 'STRING', value: '{"a":1}' }]);
    expect(spans[0]!.warnings).toHaveLength(1);
  });

  it('skips a document without a valid span id and reports it, keeping the others', () => {
    const { spans, warnings } = mapJaegerDocs([jaegerDoc({ spanID: 'not-hex' }), jaegerDoc({})], 'es', OPTIONS);
    expect(spans).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });

  it('drops nothing but index-only fields on the way to v1 JSON', () => {
    const v1 = jaegerDocToV1(jaegerDoc({ flags: 1, parentSpanID: '00f067aa0ba902b7' }), OPTIONS);
    expect(v1).toEqual({
      traceID: TRACE,
      spanID: 'eee19b7ec3c1b174',
      parentSpanID: '00f067aa0ba902b7',
      flags: 1,
      operationName: 'op',
      references: [],
      startTime: 1_795_353_796_000_000,
      duration: 10,
      tags: [],
      logs: [],
      process: { serviceName: 'svc', tags: [] },
    });
  });
});

describe('stored service names → canonical', () => {
  it.each([
    { stored: 'OTLPResourceNoServiceName', expected: 'unknown_service' },
    { stored: '', expected: 'unknown_service' },
    { stored: null, expected: 'unknown_service' },
    { stored: 'checkout', expected: 'checkout' },
  ])('service $stored → $expected', ({ stored, expected }) => {
    expect(jaegerStoredService(stored)).toBe(expected);
  });
});

describe('documents with integers beyond 2^53, read as the client reads them (parseJsonExact)', () => {
  it('Jaeger: exact tags and tags_as_fields values; µs times beyond 2^53 become 0 with a warning', () => {
    const doc = parseJsonExact(
      '{"traceID":"00000000000000000000000000000a64","spanID":"0000000000000003","operationName":"broken clock","references":[],"flags":1,' +
        '"startTime":99999999999999999,"startTimeMillis":99999999999999,"duration":18446744073709551615,' +
        '"tags":[{"key":"order.id","type":"int64","value":-9223372036854775808}],"tag":{"n":9223372036854775807,"odd":{"big":9007199254740993}},' +
        '"logs":[{"timestamp":12345678901234567890,"fields":[{"key":"event","type":"string","value":"late"}]}],"process":{"serviceName":"orders","tags":[]}}',
    );
    const { spans } = mapJaegerDocs([doc as JaegerEsSpan], 'fixture', OPTIONS);
    expect(spans[0]!.attributes).toEqual([
      { key: 'order.id', type: 'INT', value: '-9223372036854775808' },
      { key: 'n', type: 'INT', value: '9223372036854775807' },
      { key: 'odd', type: 'STRING', value: '{"big":9007199254740993}' },
    ]);
    expect(spans[0]).toMatchObject({ startTimeUs: 0, durationUs: 0 });
    expect(spans[0]!.events[0]!.timeUs).toBe(0);
    expect(spans[0]!.warnings).toEqual([
      `tag field 'odd' holds {"big":9007199254740993}, not a string, boolean or number; kept as JSON text`,
      'startTime 99999999999999999 is beyond 2^53 µs; 0 used',
      'duration 18446744073709551615 is beyond 2^53 µs; 0 used',
      "log 'late' timestamp 12345678901234567890 is beyond 2^53 µs; 0 used",
    ]);
  });
});

describe('what Jaeger’s own readers show differently from its stored documents', () => {
  it('reads the @jaeger@warnings tag (the sanitizer’s warnings, stored as JSON text) as span warnings, as Jaeger’s API shows them', () => {
    const span = oneJaeger({
      tags: [
        { key: '@jaeger@warnings', type: 'string', value: '["invalid span.kind","duration negative"]' },
        { key: 'k', type: 'string', value: 'v' },
      ],
    });
    expect(span.warnings).toEqual(['invalid span.kind', 'duration negative']);
    expect(span.attributes).toEqual([{ key: 'k', type: 'STRING', value: 'v' }]);
  });

  it('keeps a plain-text @jaeger@warnings tag as one warning', () => {
    expect(oneJaeger({ tags: [{ key: '@jaeger@warnings', type: 'string', value: 'clock skew' }] }).warnings).toEqual(['clock skew']);
  });

  it('leaves a log without an event field unnamed, as Jaeger’s reader does (an OTLP event named "")', () => {
    const span = oneJaeger({ logs: [{ timestamp: 1_700_000_000_000_100, fields: [{ key: 'k', type: 'string', value: 'v' }] }] });
    expect(span.events).toEqual([{ name: '', timeUs: 1_700_000_000_000_100, attributes: [{ key: 'k', type: 'STRING', value: 'v' }] }]);
  });
});
