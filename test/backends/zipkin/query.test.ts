import { describe, expect, it } from 'vitest';
import type { TraceQuery } from '../../../src/backends/backend.js';
import { toZipkinSearchParams, zipkinUnsupportedReason } from '../../../src/backends/zipkin/query.js';

const query = (fields: Partial<TraceQuery> = {}): TraceQuery => ({
  service: 'Frontend',
  operation: null,
  attributes: [],
  minDurationUs: null,
  maxDurationUs: null,
  window: { startUs: 1_700_000_000_000_500, endUs: 1_700_000_060_000_500 },
  limit: 20,
  ...fields,
});

describe('Zipkin search parameters', () => {
  it('lower-cases names, widens the millisecond window by one on each side and joins attribute terms', () => {
    const params = toZipkinSearchParams(
      query({
        attributes: [
          { key: 'http.route', value: '/a' },
          { key: 'error', value: 'true' },
        ],
      }),
    );
    expect(params).toMatchObject({ serviceName: 'frontend', annotationQuery: 'http.route=/a and error', endTs: 1_700_000_060_002, limit: 20 });
    expect(params.lookback).toBe(1_700_000_060_002 - 1_699_999_999_999);
  });

  it('sends maxDuration only with a minDuration, as Zipkin requires', () => {
    expect(toZipkinSearchParams(query({ maxDurationUs: 5_000 }))).toMatchObject({ minDuration: 1, maxDuration: 5_000 });
  });

  it('refuses error=false: annotationQuery can ask for a tag, never for its absence', () => {
    expect(zipkinUnsupportedReason(query({ attributes: [{ key: 'error', value: 'false' }] }))).toMatch(/absence/);
    expect(zipkinUnsupportedReason(query({ attributes: [{ key: 'error', value: 'true' }] }))).toBeNull();
  });
});
