import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportFormatError, parseTraceFile } from '../../../src/backends/memory/import-file.js';
import { expectJaegerInt64Spans, expectOtlpInt64Spans, expectZipkinInt64Spans, readInt64Fixture } from '../int64-expectations.js';

const PUBLIC = new URL('../../fixtures/public/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, PUBLIC), 'utf8');
const json = (path: string): any => JSON.parse(read(path));

describe('parseTraceFile detects the format of real exported files', () => {
  it.each([
    {
      description: 'a Jaeger {data, errors} envelope',
      text: () => read('jaeger/envelope-otlp-translated-server-span.json'),
      format: 'jaeger',
      spans: 2,
    },
    { description: 'a bare Jaeger trace object', text: () => read('jaeger/every-tag-type-references-warnings.json'), format: 'jaeger', spans: 5 },
    {
      description: 'a jaeger-ui download of transformed traces',
      text: () => read('jaeger/ui-transformed-download-library-tags.json'),
      format: 'jaeger',
      spans: 4,
    },
    {
      description: 'an array of Jaeger traces',
      text: () => JSON.stringify([json('jaeger/every-tag-type-references-warnings.json'), json('jaeger/bare-trace-producer-and-clients.json')]),
      format: 'jaeger',
      spans: 8,
    },
    {
      description: 'Jaeger {"data": trace} (one trace, not a list)',
      text: () => JSON.stringify({ data: json('jaeger/bare-trace-producer-and-clients.json') }),
      format: 'jaeger',
      spans: 3,
    },
    { description: 'a Zipkin v2 span array', text: () => read('zipkin/yelp-shared-spans.json'), format: 'zipkin', spans: 16 },
    {
      description: 'a Zipkin /api/v2/traces answer (array of arrays)',
      text: () => JSON.stringify([json('zipkin/yelp-shared-spans.json'), json('zipkin/skewed-shared-rpc.json')]),
      format: 'zipkin',
      spans: 20,
    },
    { description: 'a single Zipkin span object', text: () => read('zipkin/client-span-both-endpoints.json'), format: 'zipkin', spans: 1 },
    { description: 'an OTLP/JSON document', text: () => read('otlp/uppercase-ids-scope-attributes.json'), format: 'otlp', spans: 1 },
    { description: 'OTLP/JSON lines', text: () => read('otlp/json-lines-sub-microsecond-ends.jsonl'), format: 'otlp', spans: 4 },
    { description: 'a Jaeger api_v3 {"result": …} answer', text: () => read('otlp/apiv3-get-trace-error-status.json'), format: 'otlp', spans: 1 },
    {
      description: 'an array of OTLP documents',
      text: () => JSON.stringify([json('otlp/duplicated-server-span.json'), json('otlp/uppercase-ids-scope-attributes.json')]),
      format: 'otlp',
      spans: 3,
    },
  ])('reads $description', ({ text, format, spans }) => {
    const parsed = parseTraceFile(text(), 'upload-1');
    expect(parsed.format).toBe(format);
    expect(parsed.spans).toHaveLength(spans);
    expect(parsed.spans.every((s) => s.sources.length === 1 && s.sources[0] === 'upload-1')).toBe(true);
  });

  it('keeps sub-microsecond precision from an OTLP JSON-lines file', () => {
    const { spans } = parseTraceFile(read('otlp/json-lines-sub-microsecond-ends.jsonl'), 'f');
    // endTimeUnixNano 1711138247024460625 − start 1711138246978000000 = 46460625 ns.
    expect(spans.find((s) => s.spanId === '26f5ef9dbb885479')).toMatchObject({
      startTimeUs: 1711138246978000,
      durationUs: 46460,
      parentSpanId: '49b8e9efa1e8a3b1',
    });
    expect(spans.find((s) => s.spanId === 'eff3153be6b1fb93')!.parentSpanId).toBeNull();
  });

  it('accepts a byte-order mark and Windows line ends', () => {
    const lines = read('otlp/json-lines-sub-microsecond-ends.jsonl').trim().split('\n').join('\r\n');
    expect(parseTraceFile(`\uFEFF${lines}\r\n`, 'f').spans).toHaveLength(4);
  });

  it('labels document-level warnings with their trace', () => {
    const parsed = parseTraceFile(read('jaeger/every-tag-type-references-warnings.json'), 'f');
    expect(parsed.warnings).toEqual(['trace 00000000000000000000000000000001: some trace warning']);
  });

  it('reports spans it had to skip, and that nothing was left', () => {
    const parsed = parseTraceFile(read('jaeger/non-hex-ids.json'), 'f');
    expect(parsed.spans).toEqual([]);
    expect(parsed.warnings).toHaveLength(12);
    expect(parsed.warnings[0]).toBe("trace 'trace-123': skipped span 'op1': traceID 'trace-123' is not 1–32 hex digits");
    expect(parsed.warnings.at(-1)).toBe('the file holds no spans');
  });

  it.each([
    { description: 'an empty Jaeger download', text: '{"data":[]}', format: 'jaeger' },
    { description: 'an empty Zipkin answer', text: '[]', format: 'zipkin' },
    { description: 'an OTLP document without spans', text: '{"resourceSpans":[]}', format: 'otlp' },
  ])('returns no spans and a warning for $description', ({ text, format }) => {
    expect(parseTraceFile(text, 'f')).toEqual({ format, spans: [], warnings: ['the file holds no spans'] });
  });
});

describe('parseTraceFile rejects what it cannot read with ImportFormatError', () => {
  it.each([
    { description: 'an empty file', text: '  \n', received: 'nothing' },
    { description: 'text that is not JSON', text: 'traceId,spanId\n1,2', received: 'text that is not JSON' },
    { description: 'a JSON number', text: '42', received: 'the number 42' },
    { description: 'an object of another kind', text: '{"hits":{"total":0}}', received: 'an object with keys hits' },
    { description: 'an array of strings', text: '["a","b"]', received: "the string 'a'" },
    { description: 'Zipkin v1 JSON', text: '[{"traceId":"1","id":"1","binaryAnnotations":[]}]', received: 'Zipkin v1 JSON' },
    {
      description: 'a Jaeger error response',
      text: '{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}',
      received: 'a Jaeger error response',
    },
    {
      description: 'a Jaeger api_v3 error response',
      text: '{"error":{"httpCode":404,"message":"No traces found"}}',
      received: 'a Jaeger api_v3 error response',
    },
    { description: 'a Zipkin array with a non-span element', text: '[{"traceId":"1","id":"1"},{"name":"x"}]', received: 'an object with keys name' },
    { description: 'JSON lines with a broken line', text: '{"resourceSpans":[]}\n{"resourceSpans":[\n', received: 'JSON lines with a bad line' },
    { description: 'JSON lines that are not OTLP', text: '{"a":1}\n{"b":2}', received: 'an object with keys a' },
  ])('$description', ({ text, received }) => {
    let caught: unknown;
    try {
      parseTraceFile(text, 'f');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImportFormatError);
    expect((caught as ImportFormatError).name).toBe('ImportFormatError');
    expect((caught as ImportFormatError).received).toBe(received);
  });

  it('says what was expected and what arrived', () => {
    expect(() => parseTraceFile('{"hits":{"total":0}}', 'f')).toThrow(
      'unrecognised trace file: expected Jaeger JSON ({"data":[trace…]} or a trace with "spans"), Zipkin v2 JSON (an array of spans or of traces) or OTLP/JSON ({"resourceSpans":…}, one per line allowed), got an object with keys hits',
    );
  });
});

describe('parseTraceFile keeps integers beyond 2^53 exact', () => {
  it.each([
    {
      description: 'a Jaeger JSON file: int64 tags, log fields, process tags',
      fixture: 'jaeger-v1-int64-tags-beyond-2-53',
      format: 'jaeger',
      check: expectJaegerInt64Spans,
    },
    {
      description: 'a Zipkin v2 JSON file: number tags as their exact digits',
      fixture: 'zipkin-v2-number-tags-beyond-2-53',
      format: 'zipkin',
      check: expectZipkinInt64Spans,
    },
    {
      description: 'an OTLP/JSON file: intValue numbers, nested ones, ns times',
      fixture: 'otlp-int-values-beyond-2-53',
      format: 'otlp',
      check: expectOtlpInt64Spans,
    },
  ] as const)('in $description', ({ fixture, format, check }) => {
    const parsed = parseTraceFile(readInt64Fixture(fixture), 'f');
    expect(parsed.format).toBe(format);
    check(parsed.spans);
  });

  it('in OTLP/JSON lines, one document per line', () => {
    // Newlines and indentation removed by hand: JSON.stringify(JSON.parse(…)) would round the numbers first.
    const oneLine = readInt64Fixture('otlp-int-values-beyond-2-53').replace(/\n\s*/g, '');
    const parsed = parseTraceFile(`${oneLine}\n{"resourceSpans":[]}\n`, 'f');
    expect(parsed.format).toBe('otlp');
    expectOtlpInt64Spans(parsed.spans);
  });
});
