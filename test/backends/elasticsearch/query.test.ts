import { describe, expect, it } from 'vitest';
import type { TraceQuery } from '../../../src/backends/backend.js';
import {
  datedSuffixes,
  dependencyIndices,
  recentWindow,
  serviceIndices,
  spanIndices,
  type IndexLayout,
} from '../../../src/backends/elasticsearch/index-names.js';
import {
  esUnsupportedReason,
  jaegerErrorStatus,
  newestTracesAggregation,
  operationsRequest,
  servicesRequest,
  toSpanFilter,
  traceIdForms,
  traceIdsQuery,
  traceStartsAggregation,
  zipkinErrorStatus,
  type QueryOptions,
} from '../../../src/backends/elasticsearch/query.js';
import { parseTraceId } from '../../../src/model/index.js';

const JAEGER: QueryOptions = { schema: 'jaeger', tagDotReplacement: '@' };
const ZIPKIN: QueryOptions = { schema: 'zipkin', tagDotReplacement: '@' };

// 2026-11-22T10:00:00.123456Z … 10:15:00.000999Z
const WINDOW = { startUs: 1_795_341_600_123_456, endUs: 1_795_342_500_000_999 };

function query(fields: Partial<TraceQuery>): TraceQuery {
  return { service: null, operation: null, attributes: [], minDurationUs: null, maxDurationUs: null, window: WINDOW, limit: 20, ...fields };
}

/** The clauses after the two window ranges every search filter starts with. */
function conditions(q: TraceQuery, options: QueryOptions): { filter: unknown[]; must_not?: unknown[] } {
  const body = toSpanFilter(q, options) as { bool: { filter: unknown[]; must_not?: unknown[] } };
  return { filter: body.bool.filter.slice(2), ...(body.bool.must_not ? { must_not: body.bool.must_not } : {}) };
}

/** Every query type used anywhere in a DSL object. */
function queryTypes(dsl: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(dsl)) for (const item of dsl) queryTypes(item, found);
  else if (typeof dsl === 'object' && dsl !== null) {
    for (const [key, value] of Object.entries(dsl)) {
      found.add(key);
      queryTypes(value, found);
    }
  }
  return found;
}

const nested = (path: string, key: string, value: unknown) => ({
  nested: { path, ignore_unmapped: true, query: { bool: { filter: [{ term: { [`${path}.key`]: key } }, value] } } },
});
const textValue = (path: string, value: string) => ({
  bool: { filter: [{ term: { [`${path}.value`]: value } }], must_not: [{ term: { [`${path}.type`]: 'binary' } }] },
});
const anyOf = (...should: unknown[]) => ({ bool: { should, minimum_should_match: 1 } });
const q = (...values: string[]) => ({ bool: { filter: values.map((v) => ({ term: { _q: v } })) } });

describe('the window, service, operation and duration of one span document', () => {
  it.each([
    {
      description: 'jaeger: exact µs range on startTime, ms range on startTimeMillis for shard skipping',
      options: JAEGER,
      expected: [
        { range: { startTimeMillis: { gte: 1_795_341_600_123, lte: 1_795_342_500_000, format: 'epoch_millis' } } },
        { range: { startTime: { gte: WINDOW.startUs, lte: WINDOW.endUs } } },
      ],
    },
    {
      description: 'zipkin: exact µs range on timestamp, ms range on timestamp_millis',
      options: ZIPKIN,
      expected: [
        { range: { timestamp_millis: { gte: 1_795_341_600_123, lte: 1_795_342_500_000, format: 'epoch_millis' } } },
        { range: { timestamp: { gte: WINDOW.startUs, lte: WINDOW.endUs } } },
      ],
    },
  ])('$description', ({ options, expected }) => {
    expect(toSpanFilter(query({}), options)).toEqual({ bool: { filter: expected } });
  });

  it.each([
    {
      description: 'jaeger: service and operation as given',
      options: JAEGER,
      expected: [{ term: { 'process.serviceName': 'Checkout' } }, { term: { operationName: 'GET /Cart' } }],
    },
    {
      description: 'zipkin: lower-cased, as Zipkin stores them',
      options: ZIPKIN,
      expected: [{ term: { 'localEndpoint.serviceName': 'checkout' } }, { term: { name: 'get /cart' } }],
    },
  ])('$description', ({ options, expected }) => {
    expect(conditions(query({ service: 'Checkout', operation: 'GET /Cart' }), options)).toEqual({ filter: expected });
  });

  it.each([
    { description: 'min only', min: 1_000, max: null, expected: { gte: 1_000 } },
    { description: 'max only', min: null, max: 5_000, expected: { lte: 5_000 } },
    { description: 'both', min: 1_000, max: 5_000, expected: { gte: 1_000, lte: 5_000 } },
  ])('bounds the duration (µs, inclusive): $description', ({ min, max, expected }) => {
    for (const options of [JAEGER, ZIPKIN]) {
      expect(conditions(query({ minDurationUs: min, maxDurationUs: max }), options)).toEqual({ filter: [{ range: { duration: expected } }] });
    }
  });

  it.each([
    { schema: JAEGER, field: 'process.serviceName', stored: ['unknown_service', '', 'OTLPResourceNoServiceName'] },
    { schema: ZIPKIN, field: 'localEndpoint.serviceName', stored: ['unknown_service', ''] },
  ])('$schema.schema: unknown_service also finds spans stored without a service name', ({ schema, field, stored }) => {
    expect(conditions(query({ service: 'unknown_service' }), schema)).toEqual({
      filter: [anyOf({ terms: { [field]: stored } }, { bool: { must_not: [{ exists: { field } }] } })],
    });
  });
});

describe('attribute filters', () => {
  const jaegerPlain = (key: string, value: string, field: string) =>
    anyOf(
      anyOf(nested('tags', key, textValue('tags', value)), { term: { [`tag.${field}`]: value } }),
      anyOf(nested('process.tags', key, textValue('process.tags', value)), { term: { [`process.tag.${field}`]: value } }),
    );
  const jaegerResourceOnly = (key: string, value: string, field: string) =>
    anyOf(nested('process.tags', key, textValue('process.tags', value)), { term: { [`process.tag.${field}`]: value } });

  it.each([
    {
      description: 'jaeger: nested span tag, tags_as_fields field (dots → @), nested process tag or process field',
      options: JAEGER,
      attribute: { key: 'http.route', value: '/cart' },
      expected: jaegerPlain('http.route', '/cart', 'http@route'),
    },
    {
      description: 'jaeger: a value that is base64 also matches a binary tag stored as its hex',
      options: JAEGER,
      attribute: { key: 'digest', value: 'AQID' },
      expected: anyOf(
        anyOf(
          nested(
            'tags',
            'digest',
            anyOf(textValue('tags', 'AQID'), { bool: { filter: [{ term: { 'tags.type': 'binary' } }, { term: { 'tags.value': '010203' } }] } }),
          ),
          { term: { 'tag.digest': 'AQID' } },
        ),
        anyOf(
          nested(
            'process.tags',
            'digest',
            anyOf(textValue('process.tags', 'AQID'), {
              bool: { filter: [{ term: { 'process.tags.type': 'binary' } }, { term: { 'process.tags.value': '010203' } }] },
            }),
          ),
          { term: { 'process.tag.digest': 'AQID' } },
        ),
      ),
    },
    {
      description: 'jaeger: otel.scope.name is never a span attribute (it becomes the scope); only the resource is searched',
      options: JAEGER,
      attribute: { key: 'otel.scope.name', value: 'lib' },
      expected: jaegerResourceOnly('otel.scope.name', 'lib', 'otel@scope@name'),
    },
    {
      description: 'jaeger: span.kind=server becomes the kind, so only the resource is searched',
      options: JAEGER,
      attribute: { key: 'span.kind', value: 'server' },
      expected: jaegerResourceOnly('span.kind', 'server', 'span@kind'),
    },
    {
      description: 'jaeger: span.kind with a value that is no kind stays an attribute',
      options: JAEGER,
      attribute: { key: 'span.kind', value: 'gateway' },
      expected: jaegerPlain('span.kind', 'gateway', 'span@kind'),
    },
    {
      description: 'jaeger: error=timeout becomes the status, so only the resource is searched',
      options: JAEGER,
      attribute: { key: 'error', value: 'timeout' },
      expected: jaegerResourceOnly('error', 'timeout', 'error'),
    },
    {
      description: 'zipkin: the key and key=value in _q',
      options: ZIPKIN,
      attribute: { key: 'http.path', value: '/cart' },
      expected: q('http.path', 'http.path=/cart'),
    },
    {
      description: 'zipkin: peer.service is the remote endpoint, or a tag on a span without one',
      options: ZIPKIN,
      attribute: { key: 'peer.service', value: 'db' },
      expected: anyOf(
        { term: { 'remoteEndpoint.serviceName': 'db' } },
        { bool: { filter: [q('peer.service', 'peer.service=db')], must_not: [{ exists: { field: 'remoteEndpoint.serviceName' } }] } },
      ),
    },
    {
      description: 'zipkin: zipkin.debug=true is the debug flag or such a tag',
      options: ZIPKIN,
      attribute: { key: 'zipkin.debug', value: 'true' },
      expected: anyOf({ term: { debug: true } }, q('zipkin.debug', 'zipkin.debug=true')),
    },
    {
      description: 'zipkin: span.kind=internal is an attribute only on a span that has a kind',
      options: ZIPKIN,
      attribute: { key: 'span.kind', value: 'internal' },
      expected: { bool: { filter: [q('span.kind', 'span.kind=internal'), { exists: { field: 'kind' } }] } },
    },
    {
      description: 'zipkin: otel.status_description is an attribute only without an otel.status_code tag',
      options: ZIPKIN,
      attribute: { key: 'otel.status_description', value: 'x' },
      expected: { bool: { filter: [q('otel.status_description', 'otel.status_description=x')], must_not: [{ term: { _q: 'otel.status_code' } }] } },
    },
    {
      description: 'zipkin: otel.status_code is never an attribute',
      options: ZIPKIN,
      attribute: { key: 'otel.status_code', value: 'ERROR' },
      expected: { match_none: {} },
    },
  ])('$description', ({ options, attribute, expected }) => {
    expect(conditions(query({ attributes: [attribute] }), options)).toEqual({ filter: [expected] });
  });

  it('jaeger: otel.status_description is an attribute only while the status is UNSET', () => {
    const [clause] = conditions(query({ attributes: [{ key: 'otel.status_description', value: 'x' }] }), JAEGER).filter as Array<{
      bool: { should: unknown[] };
    }>;
    const spanPart = clause!.bool.should[0] as { bool: { must_not: unknown[] } };
    expect(spanPart.bool.must_not[0]).toEqual(jaegerErrorStatus(JAEGER));
    expect(spanPart.bool.must_not).toHaveLength(2);
  });

  it('puts every attribute filter on the same document as the service (one-span matching)', () => {
    const body = conditions(
      query({
        service: 'api',
        attributes: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      }),
      ZIPKIN,
    );
    expect(body).toEqual({ filter: [{ term: { 'localEndpoint.serviceName': 'api' } }, q('a', 'a=1'), q('b', 'b=2')] });
  });

  it.each([
    {
      description: 'jaeger error=true: a true error tag (nested or field), or otel.status_code ERROR',
      options: JAEGER,
      expected: anyOf(
        nested('tags', 'error', { bool: { must_not: [{ terms: { 'tags.value': ['false', 'False', 'FALSE', ''] } }] } }),
        { bool: { filter: [{ exists: { field: 'tag.error' } }], must_not: [{ terms: { 'tag.error': ['false', 'False', 'FALSE', ''] } }] } },
        nested('tags', 'otel.status_code', { terms: { 'tags.value': ['ERROR', 'error', 'Error', 'STATUS_CODE_ERROR'] } }),
        { terms: { 'tag.otel@status_code': ['ERROR', 'error', 'Error', 'STATUS_CODE_ERROR'] } },
      ),
    },
    {
      description: 'zipkin error=true: an error tag not spelling false, or otel.status_code ERROR',
      options: ZIPKIN,
      expected: anyOf(
        { bool: { filter: [{ term: { _q: 'error' } }], must_not: [{ terms: { _q: ['error=false', 'error=False', 'error=FALSE'] } }] } },
        { terms: { _q: ['otel.status_code=ERROR', 'otel.status_code=error', 'otel.status_code=Error', 'otel.status_code=STATUS_CODE_ERROR'] } },
      ),
    },
  ])('$description; error=false is its negation', ({ options, expected }) => {
    expect(options.schema === 'jaeger' ? jaegerErrorStatus(options) : zipkinErrorStatus()).toEqual(expected);
    expect(conditions(query({ attributes: [{ key: 'error', value: 'true' }] }), options)).toEqual({ filter: [expected] });
    expect(conditions(query({ attributes: [{ key: 'error', value: 'false' }] }), options)).toEqual({ filter: [], must_not: [expected] });
  });

  it('never uses a query type that parses user text as a pattern or query language', () => {
    const hostile = ['.*', 'a OR b', '(x', 'foo*', '/regex/', 'a:b', '\\', '"quoted"'];
    for (const options of [JAEGER, ZIPKIN]) {
      for (const value of hostile) {
        const dsl = toSpanFilter(
          query({
            service: value,
            operation: value,
            attributes: [
              { key: value, value },
              { key: 'span.kind', value },
              { key: 'error', value },
            ],
          }),
          options,
        );
        const used = queryTypes(dsl);
        for (const forbidden of ['query_string', 'simple_query_string', 'regexp', 'wildcard', 'prefix', 'fuzzy', 'match', 'match_phrase', 'script']) {
          expect(used.has(forbidden), `${options.schema} ${forbidden} for ${value}`).toBe(false);
        }
        // The text arrives untouched, as a term value.
        expect(JSON.stringify(dsl)).toContain(JSON.stringify(value).slice(1, -1));
      }
    }
  });
});

describe('queries the index cannot answer exactly are refused', () => {
  it.each([
    {
      description: 'zipkin: endpoint addresses are not indexed',
      schema: 'zipkin' as const,
      attribute: { key: 'net.peer.ip', value: '10.0.0.1' },
      refused: true,
    },
    {
      description: 'zipkin: a tag longer than 256 characters is not in _q',
      schema: 'zipkin' as const,
      attribute: { key: 'k', value: 'x'.repeat(255) },
      refused: true,
    },
    {
      description: 'zipkin: 256 characters in all is indexed',
      schema: 'zipkin' as const,
      attribute: { key: 'k', value: 'x'.repeat(254) },
      refused: false,
    },
    {
      description: 'jaeger: a value over ignore_above (256)',
      schema: 'jaeger' as const,
      attribute: { key: 'k', value: 'x'.repeat(257) },
      refused: true,
    },
    {
      description: 'jaeger: net.peer.ip is an ordinary tag',
      schema: 'jaeger' as const,
      attribute: { key: 'net.peer.ip', value: '10.0.0.1' },
      refused: false,
    },
    {
      description: 'both: error=true is a status, never too long',
      schema: 'zipkin' as const,
      attribute: { key: 'error', value: 'true' },
      refused: false,
    },
  ])('$description', ({ schema, attribute, refused }) => {
    expect(esUnsupportedReason(schema, query({ attributes: [attribute] })) !== null).toBe(refused);
  });
});

describe('trace ids', () => {
  it.each([
    {
      description: 'jaeger 128-bit: the one form',
      schema: 'jaeger' as const,
      id: '0af7651916cd43dd8448eb211c80319c',
      forms: ['0af7651916cd43dd8448eb211c80319c', 'af7651916cd43dd8448eb211c80319c'],
    },
    {
      description: 'jaeger 64-bit: 32 hex (v2.7+), 16 hex (v1.16–v2.6), unpadded (older)',
      schema: 'jaeger' as const,
      id: '00000000000000000a1b2c3d4e5f6071',
      forms: ['00000000000000000a1b2c3d4e5f6071', '0a1b2c3d4e5f6071', 'a1b2c3d4e5f6071'],
    },
    { description: 'zipkin 64-bit: 16 hex', schema: 'zipkin' as const, id: '0000000000000000463ac35c9f6413ad', forms: ['463ac35c9f6413ad'] },
    {
      description: 'zipkin 128-bit: 32 hex',
      schema: 'zipkin' as const,
      id: '7c3a8e2b9d4f6a1e5c7b3d9f2e8a4c6b',
      forms: ['7c3a8e2b9d4f6a1e5c7b3d9f2e8a4c6b'],
    },
  ])('$description', ({ schema, id, forms }) => {
    expect(traceIdForms(schema, parseTraceId(id))).toEqual(forms);
  });

  it('asks for many traces in one terms query on every form', () => {
    const ids = ['0000000000000000463ac35c9f6413ad', '7c3a8e2b9d4f6a1e5c7b3d9f2e8a4c6b'].map(parseTraceId);
    expect(traceIdsQuery('zipkin', ids)).toEqual({ terms: { traceId: ['463ac35c9f6413ad', '7c3a8e2b9d4f6a1e5c7b3d9f2e8a4c6b'] } });
    expect(traceIdsQuery('jaeger', ids)).toEqual({
      terms: { traceID: ['0000000000000000463ac35c9f6413ad', '463ac35c9f6413ad', '7c3a8e2b9d4f6a1e5c7b3d9f2e8a4c6b'] },
    });
  });
});

describe('aggregations', () => {
  it('orders candidate traces by their newest matching span, then id (exact across shards for max desc)', () => {
    expect(newestTracesAggregation('jaeger', 20)).toEqual({
      traces: {
        terms: { field: 'traceID', size: 20, order: [{ last_start: 'desc' }, { _key: 'asc' }] },
        aggs: { last_start: { max: { field: 'startTime' } } },
      },
    });
  });

  it('reads a trace start over all its spans, a span without a start counting as 0', () => {
    expect(traceStartsAggregation('zipkin', 3)).toEqual({
      traces: { terms: { field: 'traceId', size: 3 }, aggs: { first_start: { min: { field: 'timestamp', missing: 0 } } } },
    });
  });

  it.each([
    { schema: 'jaeger' as const, field: 'serviceName' },
    { schema: 'zipkin' as const, field: 'localEndpoint.serviceName' },
  ])('$schema lists services with a composite terms source on $field', ({ schema, field }) => {
    expect(servicesRequest(schema)).toEqual({ query: { match_all: {} }, sources: [{ service: { terms: { field, missing_bucket: true } } }] });
  });

  it('jaeger lists operation names of the service documents', () => {
    expect(operationsRequest('jaeger', 'Checkout')).toEqual({
      query: { term: { serviceName: 'Checkout' } },
      sources: [{ name: { terms: { field: 'operationName', missing_bucket: true } } }],
    });
  });

  it('zipkin lists (name, kind) pairs of span documents, counting span.kind tags for spans without kind', () => {
    const request = operationsRequest('zipkin', 'Checkout');
    expect(request.query).toEqual({ term: { 'localEndpoint.serviceName': 'checkout' } });
    expect(request.sources).toEqual([
      { name: { terms: { field: 'name', missing_bucket: true } } },
      { kind: { terms: { field: 'kind', missing_bucket: true } } },
    ]);
    expect(request.aggs).toEqual({
      kind_tag: {
        filters: {
          filters: {
            client: { terms: { _q: ['span.kind=client', 'span.kind=CLIENT', 'span.kind=Client'] } },
            server: { terms: { _q: ['span.kind=server', 'span.kind=SERVER', 'span.kind=Server'] } },
            producer: { terms: { _q: ['span.kind=producer', 'span.kind=PRODUCER', 'span.kind=Producer'] } },
            consumer: { terms: { _q: ['span.kind=consumer', 'span.kind=CONSUMER', 'span.kind=Consumer'] } },
            internal: { terms: { _q: ['span.kind=internal', 'span.kind=INTERNAL', 'span.kind=Internal'] } },
          },
          other_bucket_key: 'none',
        },
      },
    });
  });
});

describe('index names', () => {
  const jaeger: IndexLayout = { schema: 'jaeger', indexPrefix: '', dateSeparator: '-', rollover: 'day', useReadAliases: false };
  const zipkin: IndexLayout = { schema: 'zipkin', indexPrefix: 'zipkin', dateSeparator: '-', rollover: 'day', useReadAliases: false };
  const day = 86_400_000_000;
  // 2026-11-21T23:00Z … 2026-11-22T01:00Z
  const acrossMidnight = { startUs: 1_795_302_000_000_000, endUs: 1_795_309_200_000_000 };

  it.each([
    { description: 'jaeger: the UTC days of the window', layout: jaeger, expected: ['jaeger-span-2026-11-21', 'jaeger-span-2026-11-22'] },
    {
      description: 'jaeger: a prefix gets a dash',
      layout: { ...jaeger, indexPrefix: 'prod' },
      expected: ['prod-jaeger-span-2026-11-21', 'prod-jaeger-span-2026-11-22'],
    },
    {
      description: 'jaeger: hourly rollover',
      layout: { ...jaeger, rollover: 'hour' as const },
      expected: ['jaeger-span-2026-11-21-23', 'jaeger-span-2026-11-22-00', 'jaeger-span-2026-11-22-01'],
    },
    { description: 'jaeger: read aliases', layout: { ...jaeger, indexPrefix: 'prod-', useReadAliases: true }, expected: ['prod-jaeger-span-read'] },
    {
      description: 'zipkin: * for the delimiter, dotted dates',
      layout: { ...zipkin, dateSeparator: '.' },
      expected: ['zipkin*span-2026.11.21', 'zipkin*span-2026.11.22'],
    },
    { description: 'zipkin: no separator', layout: { ...zipkin, dateSeparator: '' }, expected: ['zipkin*span-20261121', 'zipkin*span-20261122'] },
    { description: 'an explicit pattern wins', layout: { ...zipkin, spanIndexPattern: 'a-*, b-*' }, expected: ['a-*', 'b-*'] },
  ])('$description', ({ layout, expected }) => {
    expect(spanIndices(layout, acrossMidnight)).toEqual(expected);
  });

  it('reads every day for lookups by id', () => {
    expect(spanIndices(jaeger)).toEqual(['jaeger-span-*']);
    expect(spanIndices(zipkin)).toEqual(['zipkin*span-*']);
  });

  it('folds long windows into per-month wildcards, and very long ones into one', () => {
    expect(datedSuffixes(Date.UTC(2026, 0, 15), Date.UTC(2026, 3, 2), '-', 'day')).toEqual(['2026-01*', '2026-02*', '2026-03*', '2026-04*']);
    expect(datedSuffixes(Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 22, 23), '-', 'hour')).toEqual(['2026-11-20-*', '2026-11-21-*', '2026-11-22-*']);
    expect(datedSuffixes(Date.UTC(2020, 0, 1), Date.UTC(2026, 0, 1), '-', 'day')).toBe('*');
    expect(spanIndices(jaeger, { startUs: 0, endUs: 200 * 365 * day })).toEqual(['jaeger-span-*']);
  });

  it('reads service and dependency documents where each schema keeps them', () => {
    expect(serviceIndices(jaeger)).toEqual(['jaeger-service-*']);
    expect(serviceIndices({ ...jaeger, useReadAliases: true })).toEqual(['jaeger-service-read']);
    expect(dependencyIndices(jaeger, acrossMidnight)).toEqual(['jaeger-dependencies-*']);
    expect(dependencyIndices(zipkin, acrossMidnight)).toEqual(['zipkin*dependency-2026-11-21', 'zipkin*dependency-2026-11-22']);
  });

  it('reads the service documents of a window day by day, whatever their rollover', () => {
    expect(serviceIndices(jaeger, acrossMidnight)).toEqual(['jaeger-service-2026-11-21*', 'jaeger-service-2026-11-22*']);
    expect(serviceIndices({ ...jaeger, indexPrefix: 'prod', rollover: 'hour' }, acrossMidnight)).toEqual([
      'prod-jaeger-service-2026-11-21*',
      'prod-jaeger-service-2026-11-22*',
    ]);
    expect(serviceIndices({ ...jaeger, useReadAliases: true }, acrossMidnight)).toEqual(['jaeger-service-read']);
  });

  it('maxSpanAgeHours limits lookups to the recent days (and tomorrow, for a writer whose clock runs ahead); none means every index', () => {
    const now = Date.UTC(2026, 10, 22, 10);
    expect(recentWindow(undefined, now)).toBeUndefined();
    expect(spanIndices(jaeger, recentWindow(48, now))).toEqual([
      'jaeger-span-2026-11-20',
      'jaeger-span-2026-11-21',
      'jaeger-span-2026-11-22',
      'jaeger-span-2026-11-23',
    ]);
    expect(spanIndices(zipkin, recentWindow(1, now))).toEqual(['zipkin*span-2026-11-22', 'zipkin*span-2026-11-23']);
  });
});
