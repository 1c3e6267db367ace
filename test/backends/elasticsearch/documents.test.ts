/** The schema → format dispatch of the Elasticsearch backend (src/backends/elasticsearch/documents.ts); the readers have their own tests in test/formats/es-jaeger/ and test/formats/es-zipkin/. */
import { describe, expect, it } from 'vitest';
import { esDocsToSpans, serviceFromStored } from '../../../src/backends/elasticsearch/documents.js';

describe('stored service names → canonical, per schema', () => {
  it.each([
    { schema: 'jaeger' as const, stored: 'OTLPResourceNoServiceName', expected: 'unknown_service' },
    { schema: 'jaeger' as const, stored: '', expected: 'unknown_service' },
    { schema: 'zipkin' as const, stored: null, expected: 'unknown_service' },
    { schema: 'zipkin' as const, stored: 'OTLPResourceNoServiceName', expected: 'OTLPResourceNoServiceName' },
    { schema: 'jaeger' as const, stored: 'checkout', expected: 'checkout' },
  ])('$schema service $stored → $expected', ({ schema, stored, expected }) => {
    expect(serviceFromStored(schema, stored)).toBe(expected);
  });
});

describe('span documents, per schema', () => {
  it('reads each schema with its own format', () => {
    const jaeger = {
      traceID: '0af7651916cd43dd8448eb211c80319c',
      spanID: 'b7ad6b7169203331',
      operationName: 'op',
      startTime: 1,
      duration: 1,
      process: { serviceName: 'svc' },
    };
    const zipkin = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      id: 'b7ad6b7169203331',
      name: 'op',
      timestamp: 1,
      duration: 1,
      localEndpoint: { serviceName: 'svc' },
    };
    expect(esDocsToSpans('jaeger', [jaeger], 'es', { tagDotReplacement: '@' }).spans.map((s) => s.wireFormat)).toEqual(['es-jaeger']);
    expect(esDocsToSpans('zipkin', [zipkin], 'es', { tagDotReplacement: '@' }).spans.map((s) => s.wireFormat)).toEqual(['es-zipkin']);
  });
});
