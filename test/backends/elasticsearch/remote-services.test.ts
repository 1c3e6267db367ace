import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { elasticsearchBackendFactory } from '../../../src/backends/elasticsearch/index.js';
import { remoteServicesRequest } from '../../../src/backends/elasticsearch/query.js';
import { MemoryBackend } from '../../../src/backends/memory/index.js';
import { mapZipkinDocs } from '../../../src/formats/es-zipkin/to-model.js';
import type { ZipkinEsSpan } from '../../../src/formats/es-zipkin/wire.js';
import { parseJsonExact } from '../../../src/formats/shared/exact-json.js';

const FIXTURES = new URL('../../fixtures/elasticsearch/zipkin/', import.meta.url);
const readDocs = (fixture: string): ZipkinEsSpan[] => parseJsonExact(readFileSync(new URL(`${fixture}.json`, FIXTURES), 'utf8')) as ZipkinEsSpan[];
const call = () => ({ signal: new AbortController().signal });
const silentLogger = { info() {}, warn() {}, error() {} };

describe('remoteServicesRequest (zipkin schema)', () => {
  it("asks what Zipkin's ElasticsearchSpanStore.getRemoteServiceNames asks: remoteEndpoint.serviceName of the service's spans, lower-cased", () => {
    // Zipkin: filter term localEndpoint.serviceName = serviceName.toLowerCase(), terms aggregation on remoteEndpoint.serviceName.
    expect(remoteServicesRequest('Catalog')).toEqual({
      query: { term: { 'localEndpoint.serviceName': 'catalog' } },
      sources: [{ remote: { terms: { field: 'remoteEndpoint.serviceName' } } }],
    });
  });

  it('counts no bucket for spans without a remote service (no missing_bucket), as a terms aggregation counts none', () => {
    expect(JSON.stringify(remoteServicesRequest('web').sources)).not.toContain('missing_bucket');
  });

  it('reads the spans the canonical mapping puts in unknown_service as the other names queries do', () => {
    expect(remoteServicesRequest('unknown_service').query).toEqual({
      bool: {
        should: [
          { terms: { 'localEndpoint.serviceName': ['unknown_service', ''] } },
          { bool: { must_not: [{ exists: { field: 'localEndpoint.serviceName' } }] } },
        ],
        minimum_should_match: 1,
      },
    });
  });
});

describe('remote services of span documents recorded from Elasticsearch (written by Zipkin 3.6.1)', () => {
  /** What the request aggregates, read off the documents: remoteEndpoint.serviceName per localEndpoint.serviceName. */
  function aggregated(docs: readonly ZipkinEsSpan[]): Map<string, string[]> {
    const byService = new Map<string, Set<string>>();
    for (const doc of docs) {
      const local = doc.localEndpoint?.serviceName;
      if (typeof local !== 'string') continue;
      const remotes = byService.get(local) ?? new Set<string>();
      const remote = doc.remoteEndpoint?.serviceName;
      if (typeof remote === 'string') remotes.add(remote);
      byService.set(local, remotes);
    }
    return new Map([...byService].map(([service, remotes]) => [service, [...remotes].sort()]));
  }

  it.each(['rpc-client-and-shared-server', 'error-tag-64-bit-trace-id', 'local-span-debug-and-kind-tag', 'span-without-timestamp'])(
    '%s: the index field holds, per service, what the canonical mapping calls its remote services (peer.service)',
    async (fixture) => {
      const docs = readDocs(fixture);
      const memory = new MemoryBackend('mem');
      memory.addSpans(mapZipkinDocs(docs, 'fixture').spans);
      for (const [service, remotes] of aggregated(docs))
        expect([service, await memory.getRemoteServices(service, call())]).toEqual([service, remotes]);
    },
  );

  it('holds remote services to compare at all', () => {
    expect(aggregated(readDocs('rpc-client-and-shared-server')).get('fixture-frontend')).toEqual(['fixture-inventory']);
    expect(aggregated(readDocs('error-tag-64-bit-trace-id')).get('fixture-orders')).toEqual(['postgres']);
  });
});

describe('elasticsearch backend getRemoteServices by schema', () => {
  const create = (schema: 'jaeger' | 'zipkin') =>
    elasticsearchBackendFactory.create(
      elasticsearchBackendFactory.configSchema.parse({ kind: 'elasticsearch', name: `es-${schema}`, urls: ['http://127.0.0.1:1'], schema }),
      { logger: silentLogger },
    );

  it('has it for the zipkin schema', () => {
    expect(create('zipkin').getRemoteServices).toBeTypeOf('function');
  });

  it('lacks it for the jaeger schema, which keeps peer.service only as an ordinary tag (fan-out skips it)', () => {
    expect(create('jaeger').getRemoteServices).toBeUndefined();
  });
});
