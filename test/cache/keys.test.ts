import { describe, expect, it } from 'vitest';
import { fingerprintOf, searchKey, traceKey } from '../../src/cache/keys.js';
import { parseTraceId } from '../../src/model/index.js';

const backend = { name: 'zipkin', fingerprint: 'abc' };
const query = {
  service: 'api',
  operation: null,
  attributes: [
    { key: 'b', value: '2' },
    { key: 'a', value: '1' },
  ],
  minDurationUs: null,
  maxDurationUs: null,
  window: { startUs: 0, endUs: 60_000_000 },
  limit: 20,
};

describe('cache keys', () => {
  it('start with the key-format version and scope by tenant', () => {
    const id = parseTraceId('ab');
    expect(traceKey(undefined, backend, id)).toMatch(/^v1:public:zipkin@abc:trace:/);
    expect(traceKey('t1', backend, id)).not.toBe(traceKey('t2', backend, id));
  });

  it('cannot be forged by a tenant name containing the separator', () => {
    const id = parseTraceId('ab');
    expect(traceKey('x:zipkin@abc', backend, id)).not.toContain('x:zipkin');
  });

  it('ignore the order of attribute filters but not their values, the limit or the window', () => {
    const reordered = { ...query, attributes: [...query.attributes].reverse() };
    expect(searchKey(undefined, backend, reordered)).toBe(searchKey(undefined, backend, query));
    expect(searchKey(undefined, backend, { ...query, limit: 21 })).not.toBe(searchKey(undefined, backend, query));
    expect(searchKey(undefined, backend, { ...query, window: { startUs: 1, endUs: 60_000_000 } })).not.toBe(searchKey(undefined, backend, query));
  });

  it('do not cache searches over more than a month', () => {
    expect(searchKey(undefined, backend, { ...query, window: { startUs: 0, endUs: 40 * 86_400_000_000 } })).toBeUndefined();
  });

  it('change when the backend configuration changes', () => {
    expect(fingerprintOf({ kind: 'zipkin', url: 'http://a' })).not.toBe(fingerprintOf({ kind: 'zipkin', url: 'http://b' }));
    expect(fingerprintOf({ url: 'http://a', kind: 'zipkin' })).toBe(fingerprintOf({ kind: 'zipkin', url: 'http://a' }));
  });
});
