import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapZipkinSpans, zipkinSpansToSpans } from '../../../src/formats/zipkin-v2/to-model.js';
import type { ZipkinSpan } from '../../../src/formats/zipkin-v2/wire.js';
import type { Span } from '../../../src/model/index.js';
import { expectGolden } from '../../support/golden.js';
import type { WirePatch } from '../../support/wire-patch.js';

const FIXTURES = new URL('../../fixtures/public/zipkin/', import.meta.url);
const readJson = (name: string): any => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

describe('Zipkin v2 fixtures from public repositories', () => {
  it.each([
    { description: 'zipkin benchmark span: 128-bit trace id, both endpoints, annotations and tags', fixture: 'client-span-both-endpoints' },
    { description: 'zipkin benchmark span: error tag with a non-ASCII message', fixture: 'error-tag-non-ascii' },
    { description: 'lens envoy.json: a lone shared SERVER span without a service name', fixture: 'shared-server-without-service' },
    { description: 'lens skew.json: a shared RPC across two hosts plus a local span', fixture: 'skewed-shared-rpc' },
    { description: 'lens messaging.json: PRODUCER→CONSUMER under a 128-bit id, remote IPv6 and an empty tag', fixture: 'messaging-128-bit' },
  ])('$description', async ({ fixture }) => {
    const input = readJson(`${fixture}.json`);
    // The benchmark files hold a single span object rather than a list.
    const spans = (Array.isArray(input) ? input : [input]) as ZipkinSpan[];
    await expectGolden(mapZipkinSpans(spans, 'fixture'), new URL(`${fixture}.expected.json`, FIXTURES));
  });

  it('maps all 16 spans of lens yelp.json, four of them shared servers, under one padded trace id', () => {
    const spans = zipkinSpansToSpans(readJson('yelp-shared-spans.json'), 'zipkin-us');
    expect(spans).toHaveLength(16);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set(['0000000000000000a03ee8fff1dcd9b9']));
    expect(spans.filter((s) => s.isSharedServer)).toHaveLength(4);
    expect(spans.filter((s) => s.isSharedServer).every((s) => s.kind === 'SERVER')).toBe(true);
    expect(spans.every((s) => s.sources.length === 1 && s.sources[0] === 'zipkin-us')).toBe(true);
  });
});

const BASE: ZipkinSpan = {
  traceId: '5af7183fb1d4cf5f',
  parentId: '0000000000000001',
  id: '0000000000000002',
  kind: 'CLIENT',
  name: 'get /api',
  timestamp: 1767225600050000,
  duration: 200000,
  localEndpoint: { serviceName: 'frontend', ipv4: '127.0.0.1' },
};

function one(fields: WirePatch<ZipkinSpan>): Span {
  const { spans, warnings } = mapZipkinSpans([{ ...BASE, ...fields } as ZipkinSpan], 'zipkin-eu');
  expect(warnings).toEqual([]);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

function oneWithWarnings(fields: WirePatch<ZipkinSpan>): Span {
  return mapZipkinSpans([{ ...BASE, ...fields } as ZipkinSpan], 'zipkin-eu').spans[0]!;
}

describe('ids and times', () => {
  it('pads 64-bit trace ids to 32 hex and keeps ids, parent, times and source', () => {
    expect(one({})).toMatchObject({
      traceId: '00000000000000005af7183fb1d4cf5f',
      spanId: '0000000000000002',
      parentSpanId: '0000000000000001',
      name: 'get /api',
      startTimeUs: 1767225600050000,
      durationUs: 200000,
      sources: ['zipkin-eu'],
      warnings: [],
    });
  });

  it('lowers upper-case ids (a hand-edited file; the server itself rejects them)', () => {
    const span = one({ traceId: '5AF7183FB1D4CF5F', id: 'ABC' });
    expect(span.traceId).toBe('00000000000000005af7183fb1d4cf5f');
    expect(span.spanId).toBe('0000000000000abc');
  });

  it.each([
    { description: 'an all-zero parentId is a root', parentId: '0000000000000000', want: null, warnings: [] },
    { description: 'an absent parentId is a root', parentId: undefined, want: null, warnings: [] },
    {
      description: 'a parentId equal to the id is dropped',
      parentId: '0000000000000002',
      want: null,
      warnings: ["parentId equals the span's own id; treated as a root"],
    },
    {
      description: 'an invalid parentId is dropped',
      parentId: 'xyz',
      want: null,
      warnings: ["parentId 'xyz' is not a valid span id; treated as a root"],
    },
  ])('$description', ({ parentId, want, warnings }) => {
    const span = oneWithWarnings({ parentId });
    expect(span.parentSpanId).toBe(want);
    expect(span.warnings).toEqual(warnings);
  });

  it.each([
    { description: 'missing timestamp', fields: { timestamp: undefined }, start: 0, duration: 200000, warnings: ['timestamp is missing; 0 used'] },
    {
      description: 'missing duration',
      fields: { duration: undefined },
      start: 1767225600050000,
      duration: 0,
      warnings: ['duration is missing; 0 used'],
    },
    {
      description: 'zero duration',
      fields: { duration: 0 },
      start: 1767225600050000,
      duration: 0,
      warnings: ['duration 0 is not a positive microsecond count; 0 used'],
    },
    {
      description: 'missing timestamp and duration',
      fields: { timestamp: undefined, duration: undefined },
      start: 0,
      duration: 0,
      warnings: ['timestamp is missing; 0 used', 'duration is missing; 0 used'],
    },
  ])('uses 0 and warns for a $description', ({ fields, start, duration, warnings }) => {
    const span = oneWithWarnings(fields);
    expect([span.startTimeUs, span.durationUs]).toEqual([start, duration]);
    expect(span.warnings).toEqual(warnings);
  });

  it.each([
    { description: 'a non-hex trace id', fields: { traceId: 'trace-1' }, want: "skipped span 'get /api': traceId 'trace-1' is not 1–32 hex digits" },
    {
      description: 'a missing id',
      fields: { id: undefined as unknown as string },
      want: "skipped span 'get /api': id missing is not 1–16 hex digits",
    },
  ])('skips a span with $description and reports it', ({ fields, want }) => {
    expect(mapZipkinSpans([{ ...BASE, ...fields }], 'z')).toEqual({ spans: [], warnings: [want] });
  });
});

describe('kind, shared and debug', () => {
  it.each([
    { description: 'CLIENT', kind: 'CLIENT', want: 'CLIENT' },
    { description: 'SERVER', kind: 'SERVER', want: 'SERVER' },
    { description: 'PRODUCER', kind: 'PRODUCER', want: 'PRODUCER' },
    { description: 'CONSUMER', kind: 'CONSUMER', want: 'CONSUMER' },
    { description: 'absent (local or incomplete span)', kind: undefined, want: 'UNSPECIFIED' },
  ])('maps kind $description', ({ kind, want }) => {
    expect(one({ kind }).kind).toBe(want);
  });

  it('reads span.kind=internal on a span without kind, as the OTel Collector does', () => {
    const span = one({ kind: undefined, tags: { 'span.kind': 'internal', component: 'x' } });
    expect(span.kind).toBe('INTERNAL');
    expect(span.attributes).toEqual([
      { key: 'component', type: 'STRING', value: 'x' },
      { key: 'net.host.ip', type: 'STRING', value: '127.0.0.1' },
    ]);
  });

  it('warns about an unknown kind', () => {
    const span = oneWithWarnings({ kind: 'LOCAL' });
    expect(span.kind).toBe('UNSPECIFIED');
    expect(span.warnings).toEqual(["unknown kind 'LOCAL' (expected CLIENT, SERVER, PRODUCER or CONSUMER); kind set to UNSPECIFIED"]);
  });

  it('marks shared SERVER spans as isSharedServer', () => {
    expect(one({ kind: 'SERVER', shared: true }).isSharedServer).toBe(true);
    expect(one({ kind: 'SERVER' }).isSharedServer).toBe(false);
  });

  it('ignores shared on a CLIENT span and says so', () => {
    const span = oneWithWarnings({ kind: 'CLIENT', shared: true });
    expect(span.isSharedServer).toBe(false);
    expect(span.warnings).toEqual(["shared is set on a CLIENT span; ignored (only a SERVER span can share its client's id)"]);
  });

  it('keeps debug as the zipkin.debug attribute', () => {
    expect(one({ debug: true, localEndpoint: { serviceName: 'frontend' } }).attributes).toEqual([{ key: 'zipkin.debug', type: 'BOOL', value: true }]);
  });
});

describe('status from tags', () => {
  it.each([
    { description: 'no error tag → UNSET', tags: {}, status: { code: 'UNSET', message: null }, left: [] },
    {
      description: 'error="" → ERROR without message (lens counts an empty error tag)',
      tags: { error: '' },
      status: { code: 'ERROR', message: null },
      left: [],
    },
    { description: 'error="true" → ERROR without message', tags: { error: 'true' }, status: { code: 'ERROR', message: null }, left: [] },
    { description: 'error="500" → ERROR with message "500"', tags: { error: '500' }, status: { code: 'ERROR', message: '500' }, left: [] },
    {
      description: 'error="false" stays an attribute',
      tags: { error: 'false' },
      status: { code: 'UNSET', message: null },
      left: [{ key: 'error', type: 'STRING', value: 'false' }],
    },
    {
      description: 'OTel exporters: otel.status_code=ERROR and error=<description>',
      tags: { 'otel.status_code': 'ERROR', error: 'deadline exceeded' },
      status: { code: 'ERROR', message: 'deadline exceeded' },
      left: [],
    },
    { description: 'otel.status_code=ERROR alone', tags: { 'otel.status_code': 'ERROR' }, status: { code: 'ERROR', message: null }, left: [] },
    {
      description: 'otel.status_code with otel.status_description',
      tags: { 'otel.status_code': 'STATUS_CODE_ERROR', 'otel.status_description': 'bad gateway' },
      status: { code: 'ERROR', message: 'bad gateway' },
      left: [],
    },
    { description: 'otel.status_code=OK', tags: { 'otel.status_code': 'OK' }, status: { code: 'OK', message: null }, left: [] },
  ])('$description', ({ tags, status, left }) => {
    const span = one({ localEndpoint: { serviceName: 'frontend' }, tags: tags as Record<string, string> });
    expect(span.status).toEqual(status);
    expect(span.attributes).toEqual(left);
  });

  it('lets an error tag win over otel.status_code=OK, with a warning', () => {
    const span = oneWithWarnings({ tags: { 'otel.status_code': 'OK', error: 'boom' } });
    expect(span.status).toEqual({ code: 'ERROR', message: 'boom' });
    expect(span.warnings).toEqual(['the error tag says ERROR but otel.status_code says OK; ERROR kept']);
  });

  it('reads the scope from otel.scope.* tags', () => {
    const span = one({
      localEndpoint: { serviceName: 'frontend' },
      tags: { 'otel.scope.name': 'io.opentelemetry.http', 'otel.scope.version': '1.2' },
    });
    expect(span.scope).toEqual({ name: 'io.opentelemetry.http', version: '1.2' });
    expect(span.attributes).toEqual([]);
  });
});

describe('endpoints, tags and annotations', () => {
  it('maps the remote endpoint to peer.service, net.peer.ip and net.peer.port', () => {
    const span = one({ localEndpoint: { serviceName: 'frontend' }, remoteEndpoint: { serviceName: 'backend', ipv4: '192.168.99.101', port: 9000 } });
    expect(span.service).toBe('frontend');
    expect(span.attributes).toEqual([
      { key: 'peer.service', type: 'STRING', value: 'backend' },
      { key: 'net.peer.ip', type: 'STRING', value: '192.168.99.101' },
      { key: 'net.peer.port', type: 'INT', value: 9000 },
    ]);
  });

  it('maps the local endpoint address to net.host.ip and net.host.port, preferring IPv6 like the Collector', () => {
    const span = one({ localEndpoint: { serviceName: 'db', ipv4: '10.0.0.1', ipv6: '2001:db8::c001', port: 3036 } });
    expect(span.attributes).toEqual([
      { key: 'net.host.ip', type: 'STRING', value: '2001:db8::c001' },
      { key: 'net.host.port', type: 'INT', value: 3036 },
    ]);
  });

  it('uses unknown_service when localEndpoint has no serviceName', () => {
    const span = oneWithWarnings({ localEndpoint: undefined });
    expect(span.service).toBe('unknown_service');
    expect(span.warnings).toEqual(["localEndpoint has no serviceName; service set to 'unknown_service'"]);
  });

  it('lets the endpoint win over a tag of the same name, with a warning', () => {
    const span = oneWithWarnings({
      localEndpoint: { serviceName: 'frontend' },
      remoteEndpoint: { serviceName: 'backend' },
      tags: { 'peer.service': 'legacy' },
    });
    expect(span.attributes).toEqual([{ key: 'peer.service', type: 'STRING', value: 'backend' }]);
    expect(span.warnings).toEqual(["tag 'peer.service' ('legacy') differs from the endpoint's 'backend'; the endpoint's value kept"]);
  });

  it('reads numeric and boolean tag values as text and warns', () => {
    const span = oneWithWarnings({
      localEndpoint: { serviceName: 'frontend' },
      tags: { 'http.status_code': 503, cached: false } as unknown as Record<string, string>,
    });
    expect(span.attributes).toEqual([
      { key: 'http.status_code', type: 'STRING', value: '503' },
      { key: 'cached', type: 'STRING', value: 'false' },
    ]);
    expect(span.warnings).toEqual([
      "tag 'http.status_code' is a number, not a string; kept as text",
      "tag 'cached' is a boolean, not a string; kept as text",
    ]);
  });

  it('maps annotations to events named by their value, without attributes', () => {
    const span = one({
      annotations: [
        { timestamp: 1767225600120000, value: 'cache.miss' },
        { timestamp: 1767225600130000, value: '⻩' },
      ],
    });
    expect(span.events).toEqual([
      { name: 'cache.miss', timeUs: 1767225600120000, attributes: [] },
      { name: '⻩', timeUs: 1767225600130000, attributes: [] },
    ]);
  });

  it('keeps an annotation without timestamp at 0, with a warning', () => {
    const span = oneWithWarnings({ annotations: [{ value: 'ws' } as never] });
    expect(span.events).toEqual([{ name: 'ws', timeUs: 0, attributes: [] }]);
    expect(span.warnings).toEqual(["annotation 'ws' timestamp is missing; 0 used"]);
  });
});
