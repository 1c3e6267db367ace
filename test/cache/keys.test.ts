import { describe, expect, it } from 'vitest';
import { fingerprintOf, searchKey, traceKey } from '../../src/cache/keys.js';
import { parseConfig } from '../../src/config/index.js';
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
    expect(traceKey(undefined, backend, id)).toMatch(/^v3:\{public:zipkin@abc:trace:[0-9a-f]{32}\}$/);
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

/** Realistic backend blocks, as a config file holds them before validation. */
const RAW_BACKENDS = {
  jaeger: {
    name: 'jaeger-eu',
    kind: 'jaeger',
    url: 'https://jaeger.example:16686',
    headers: { 'X-Scope-OrgID': 'tenant-a', Authorization: 'Bearer one' },
    tls: { caFile: '/etc/ca/eu.pem', insecureSkipVerify: false },
  },
  zipkin: { name: 'zipkin-us', kind: 'zipkin', url: 'http://zipkin.example:9411', headers: { 'X-Tenant': 'blue' } },
  elasticsearch: {
    name: 'es-traces',
    kind: 'elasticsearch',
    urls: ['https://es-1.example:9200', 'https://es-2.example:9200'],
    schema: 'jaeger',
    indexPrefix: 'prod',
    username: 'reader',
    password: 'secret-1',
    headers: { 'X-Opaque-Id': 'tracegate' },
    tls: { insecureSkipVerify: false },
  },
  memory: { name: 'files', kind: 'memory', demo: false, files: ['a.json', 'b.json'] },
} as const;

type RawBackend = Record<string, unknown>;
type Kind = keyof typeof RAW_BACKENDS;

/** The object create-server.ts hands to fingerprintOf: the backend block as the config loader validated it. */
function validated(raw: RawBackend): Record<string, unknown> {
  return parseConfig({ backends: [raw] }).backends[0] as Record<string, unknown>;
}

function fingerprintOfRaw(raw: RawBackend): string {
  return fingerprintOf(validated(raw));
}

function edit(kind: Kind, change: (raw: Record<string, any>) => void): RawBackend {
  const raw = structuredClone(RAW_BACKENDS[kind]) as Record<string, any>;
  change(raw);
  return raw;
}

/** The same object with its keys in reverse order at every depth (arrays keep their order). */
function reverseKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeysDeep(v)]),
  );
}

describe('backend fingerprints', () => {
  it.each<{ description: string; kind: Kind; change: (raw: Record<string, any>) => void }>([
    { description: 'a tenant header value', kind: 'jaeger', change: (r) => (r.headers['X-Scope-OrgID'] = 'tenant-b') },
    { description: 'an auth header value', kind: 'jaeger', change: (r) => (r.headers.Authorization = 'Bearer two') },
    {
      description: 'a header name, same value',
      kind: 'jaeger',
      change: (r) => {
        r.headers['X-Org'] = r.headers['X-Scope-OrgID'];
        delete r.headers['X-Scope-OrgID'];
      },
    },
    { description: 'one more header', kind: 'zipkin', change: (r) => (r.headers['X-Extra'] = '1') },
    { description: 'a header removed', kind: 'zipkin', change: (r) => (r.headers = {}) },
    { description: 'tls.caFile', kind: 'jaeger', change: (r) => (r.tls.caFile = '/etc/ca/us.pem') },
    { description: 'tls.caFile removed', kind: 'jaeger', change: (r) => delete r.tls.caFile },
    { description: 'tls.insecureSkipVerify', kind: 'jaeger', change: (r) => (r.tls.insecureSkipVerify = true) },
    {
      description: 'tls.insecureSkipVerify on a backend that left tls to its default',
      kind: 'zipkin',
      change: (r) => (r.tls = { insecureSkipVerify: true }),
    },
    { description: 'the url', kind: 'zipkin', change: (r) => (r.url = 'http://zipkin-2.example:9411') },
    { description: 'Elasticsearch basic-auth password', kind: 'elasticsearch', change: (r) => (r.password = 'secret-2') },
    { description: 'Elasticsearch basic-auth user', kind: 'elasticsearch', change: (r) => (r.username = 'writer') },
    {
      description: 'Elasticsearch basic auth swapped for an API key',
      kind: 'elasticsearch',
      change: (r) => {
        delete r.username;
        delete r.password;
        r.apiKey = 'aWQ6a2V5';
      },
    },
    { description: 'an Elasticsearch header value', kind: 'elasticsearch', change: (r) => (r.headers['X-Opaque-Id'] = 'other') },
    { description: 'Elasticsearch tls.caFile', kind: 'elasticsearch', change: (r) => (r.tls.caFile = '/etc/ca/es.pem') },
    { description: 'the Elasticsearch index prefix', kind: 'elasticsearch', change: (r) => (r.indexPrefix = 'staging') },
    { description: 'the Elasticsearch node list order', kind: 'elasticsearch', change: (r) => r.urls.reverse() },
    { description: 'the Elasticsearch schema', kind: 'elasticsearch', change: (r) => (r.schema = 'zipkin') },
    { description: 'the order of trace files (later files are added after earlier ones)', kind: 'memory', change: (r) => r.files.reverse() },
    { description: 'one trace file more', kind: 'memory', change: (r) => r.files.push('c.json') },
  ])('changes with $description', ({ kind, change }) => {
    const before = fingerprintOfRaw(RAW_BACKENDS[kind]);
    expect(fingerprintOfRaw(edit(kind, change))).not.toBe(before);
  });

  it.each(Object.keys(RAW_BACKENDS) as Kind[])('ignore key order at every depth of the %s config', (kind) => {
    const config = validated(RAW_BACKENDS[kind]);
    const reversed = reverseKeysDeep(config) as Record<string, unknown>;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(config));
    expect(fingerprintOf(reversed)).toBe(fingerprintOf(config));
  });

  it('ignore the order headers are written in', () => {
    const reordered = edit('jaeger', (r) => (r.headers = { Authorization: 'Bearer one', 'X-Scope-OrgID': 'tenant-a' }));
    expect(fingerprintOfRaw(reordered)).toBe(fingerprintOfRaw(RAW_BACKENDS.jaeger));
  });

  it('treat a field set to undefined as absent, at any depth', () => {
    const config = validated(RAW_BACKENDS.jaeger);
    const withUndefined = { ...config, extra: undefined, tls: { ...(config.tls as object), caFile: '/etc/ca/eu.pem', other: undefined } };
    expect(fingerprintOf(withUndefined)).toBe(fingerprintOf(config));
  });
});
