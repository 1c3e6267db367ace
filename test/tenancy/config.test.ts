/** The `tenants` block: checked against the configured backends at start-up (src/tenancy/effective-config.ts). */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { effectiveBackendConfig } from '../../src/tenancy/effective-config.js';

const BACKENDS = [
  { name: 'jaeger', kind: 'jaeger', url: 'http://127.0.0.1:16686', headers: { 'X-Tenant': 'default', 'x-keep': '1' } },
  { name: 'es', kind: 'elasticsearch', urls: ['http://127.0.0.1:9200'], schema: 'jaeger' },
];

describe('tenants config', () => {
  it('accepts grants naming configured backends, with overrides validated by each backend’s schema', () => {
    const config = parseConfig({
      backends: BACKENDS,
      tenants: {
        acme: {
          backends: ['jaeger', 'es'],
          backendOverrides: { jaeger: { headers: { 'x-tenant': 'acme' } }, es: { indexPrefix: 'acme' } },
          passBearerTo: ['jaeger'],
        },
        globex: { backends: ['jaeger'], services: ['checkout'] },
      },
    });
    expect(Object.keys(config.tenants)).toEqual(['acme', 'globex']);
    expect(config.tenants.globex!.passBearerTo).toEqual([]);
  });

  it.each([
    [{ acme: { backends: ['zipkin'] } }, /tenants\.acme\.backends\[0\]: unknown backend 'zipkin'/],
    [{ acme: { backends: ['jaeger'], passBearerTo: ['es'] } }, /backend 'es' is configured for this tenant but not in its backends/],
    [{ acme: { backends: ['jaeger'], backendOverrides: { jaeger: { name: 'other' } } } }, /cannot override a backend's name/],
    [{ acme: { backends: ['jaeger'], backendOverrides: { jaeger: { url: 'not a url' } } } }, /tenants\.acme\.backendOverrides\.jaeger: url/],
    [{ acme: { backends: [] } }, /tenants\.acme\.backends/],
    [{ 'a b': { backends: ['jaeger'] } }, /tenants\.a b/],
  ])('refuses %j', (tenants, message) => {
    expect(() => parseConfig({ backends: BACKENDS, tenants })).toThrow(ConfigError);
    expect(() => parseConfig({ backends: BACKENDS, tenants })).toThrow(message);
  });

  it('merges headers case-insensitively: the tenant’s X-Tenant replaces the configured one, others stay', () => {
    const base = parseConfig({ backends: BACKENDS }).backends[0]!;
    const effective = effectiveBackendConfig(base, { headers: { 'x-tenant': 'acme' } }, 'at') as unknown as { headers: Record<string, string> };
    expect(effective.headers).toEqual({ 'x-keep': '1', 'x-tenant': 'acme' });
    expect(effectiveBackendConfig(base, undefined, 'at')).toBe(base);
  });
});
