import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapZipkinDocs, zipkinKindsOf, zipkinStoredService } from '../../../src/formats/es-zipkin/to-model.js';
import type { ZipkinEsSpan } from '../../../src/formats/es-zipkin/wire.js';
import { parseJsonExact } from '../../../src/formats/shared/exact-json.js';
import { zipkinSpansToSpans } from '../../../src/formats/zipkin-v2/to-model.js';
import { comparable } from '../comparable-spans.js';
import { expectGolden } from '../../support/golden.js';

const FIXTURES = new URL('../../fixtures/elasticsearch/', import.meta.url);
/** Read exactly, as the client does. */
const readJson = (path: string): any => parseJsonExact(readFileSync(new URL(path, FIXTURES), 'utf8'));

describe('Zipkin span documents recorded from Elasticsearch (written by Zipkin 3.6.1)', () => {
  it.each([
    {
      description: 'a CLIENT span and its shared SERVER half, both endpoints (IPv4, IPv6, ports), annotations, names lower-cased by Zipkin',
      fixture: 'rpc-client-and-shared-server',
    },
    {
      description: 'a 64-bit trace id kept as 16 hex; an error tag with a message; error=false beside otel.status_code=ERROR',
      fixture: 'error-tag-64-bit-trace-id',
    },
    { description: 'a local span: no kind but a span.kind tag, debug, otel.scope.* tags', fixture: 'local-span-debug-and-kind-tag' },
    { description: 'a span without timestamp or duration (no timestamp_millis either)', fixture: 'span-without-timestamp' },
  ])('$description', async ({ fixture }) => {
    await expectGolden(mapZipkinDocs(readJson(`zipkin/${fixture}.json`), 'fixture'), new URL(`zipkin/${fixture}.expected.json`, FIXTURES));
  });

  it.each(['rpc-client-and-shared-server', 'error-tag-64-bit-trace-id', 'local-span-debug-and-kind-tag', 'span-without-timestamp'])(
    'maps %s to the spans Zipkin’s own /api/v2/trace answers',
    (fixture) => {
      const fromEs = mapZipkinDocs(readJson(`zipkin/${fixture}.json`), 'fixture').spans;
      expect(comparable(fromEs)).toEqual(comparable(zipkinSpansToSpans(readJson(`zipkin/${fixture}.api.json`), 'fixture')));
    },
  );
});

describe('stored names → canonical', () => {
  it.each([
    { stored: null, expected: 'unknown_service' },
    { stored: '', expected: 'unknown_service' },
    { stored: 'OTLPResourceNoServiceName', expected: 'OTLPResourceNoServiceName' },
  ])('service $stored → $expected', ({ stored, expected }) => {
    expect(zipkinStoredService(stored)).toBe(expected);
  });

  it.each<{ description: string; kind: string | null; tags: Record<string, number>; expected: string[] }>([
    { description: 'a stored kind wins over any span.kind tag', kind: 'SERVER', tags: { internal: 3, none: 0 }, expected: ['SERVER'] },
    { description: 'an unknown stored kind is UNSPECIFIED', kind: 'WEIRD', tags: {}, expected: ['UNSPECIFIED'] },
    {
      description: 'no kind: the span.kind tags say which kinds',
      kind: null,
      tags: { internal: 2, client: 0, none: 1 },
      expected: ['INTERNAL', 'UNSPECIFIED'],
    },
    { description: 'no kind and no tag: UNSPECIFIED', kind: null, tags: { internal: 0, none: 4 }, expected: ['UNSPECIFIED'] },
  ])('zipkin operation kinds: $description', ({ kind, tags, expected }) => {
    expect(zipkinKindsOf(kind, tags)).toEqual(expected);
  });
});

describe('documents with integers beyond 2^53, read as the client reads them (parseJsonExact)', () => {
  it('Zipkin: a number tag keeps its digits; µs times beyond 2^53 become 0 with a warning', () => {
    const doc = parseJsonExact(
      '{"traceId":"00000000000000000000000000000a64","id":"0000000000000003","name":"broken clock","timestamp":99999999999999999,' +
        '"timestamp_millis":99999999999999,"duration":18446744073709551615,"localEndpoint":{"serviceName":"orders"},' +
        '"tags":{"order.id":"9223372036854775807","lax":-9223372036854775808}}',
    );
    const { spans } = mapZipkinDocs([doc as ZipkinEsSpan], 'fixture');
    expect(spans[0]!.attributes).toEqual([
      { key: 'order.id', type: 'STRING', value: '9223372036854775807' },
      { key: 'lax', type: 'STRING', value: '-9223372036854775808' },
    ]);
    expect(spans[0]).toMatchObject({ startTimeUs: 0, durationUs: 0 });
    expect(spans[0]!.warnings).toEqual([
      "tag 'lax' is a number, not a string; kept as text",
      'timestamp 99999999999999999 is beyond 2^53 µs; 0 used',
      'duration 18446744073709551615 is beyond 2^53 µs; 0 used',
    ]);
  });
});
