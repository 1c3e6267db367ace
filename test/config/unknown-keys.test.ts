/**
 * Every object in the configuration is strict: a misspelt key anywhere stops start-up with its full
 * path (and the key it probably meant), instead of being dropped while its default silently applies.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { backendFactories } from '../../src/backends/registry.js';
import { cacheConfigSchema } from '../../src/cache/config.js';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { rootConfigSchema } from '../../src/config/schema.js';

const jaeger = { name: 'j', kind: 'jaeger', url: 'http://127.0.0.1:16686' };
const es = { name: 'e', kind: 'elasticsearch', urls: ['http://127.0.0.1:9200'], schema: 'jaeger' };

describe('unknown configuration keys', () => {
  it.each([
    { description: 'a typo in server', raw: { server: { prot: 4100 } }, message: "server.prot: unknown key (did you mean 'port'?)" },
    { description: 'a key in server.rateLimit', raw: { server: { rateLimit: { maximum: 5 } } }, message: 'server.rateLimit.maximum: unknown key' },
    {
      description: 'a wrong case in server.timeouts',
      raw: { server: { timeouts: { requestMS: 5 } } },
      message: "server.timeouts.requestMS: unknown key (did you mean 'requestMs'?)",
    },
    {
      description: 'a key in server.persistedQueries',
      raw: { server: { persistedQueries: { size: 5 } } },
      message: 'server.persistedQueries.size: unknown key',
    },
    { description: 'a typo in limits', raw: { limits: { maxDept: 5 } }, message: "limits.maxDept: unknown key (did you mean 'maxDepth'?)" },
    {
      description: 'a wrong case in federation',
      raw: { federation: { clockskew: 'off' } },
      message: "federation.clockskew: unknown key (did you mean 'clockSkew'?)",
    },
    { description: 'a swapped pair in log', raw: { log: { levle: 'warn' } }, message: "log.levle: unknown key (did you mean 'level'?)" },
    {
      description: "a memory backend's timeoutMS",
      raw: { backends: [{ name: 'm', kind: 'memory', timeoutMS: 100 }] },
      message: "backends[0].timeoutMS: unknown key (did you mean 'timeoutMs'?)",
    },
    {
      description: "a jaeger backend's tls key",
      raw: { backends: [{ ...jaeger, tls: { insecure: true } }] },
      message: 'backends[0].tls.insecure: unknown key',
    },
    {
      description: 'a key a zipkin backend lacks',
      raw: { backends: [{ ...jaeger, kind: 'zipkin', api: 'v1' }] },
      message: 'backends[0].api: unknown key',
    },
    {
      description: 'a wrong case in an elasticsearch backend',
      raw: { backends: [es, { ...es, name: 'f', indexprefix: 'x' }] },
      message: "backends[1].indexprefix: unknown key (did you mean 'indexPrefix'?)",
    },
    {
      description: "an elasticsearch backend's tls key",
      raw: { backends: [{ ...es, tls: { ca: '/x.pem' } }] },
      message: 'backends[0].tls.ca: unknown key',
    },
    {
      description: 'a typo in cache.memory',
      raw: { cache: { memory: { maxbytes: 1 } } },
      message: "cache.memory.maxbytes: unknown key (did you mean 'maxBytes'?)",
    },
    { description: 'a key in cache.ttl', raw: { cache: { ttl: { traceSeconds: 1 } } }, message: 'cache.ttl.traceSeconds: unknown key' },
    {
      description: 'a wrong case in cache.redis',
      raw: { cache: { redis: { url: 'redis://127.0.0.1', keyprefix: 'x' } } },
      message: "cache.redis.keyprefix: unknown key (did you mean 'keyPrefix'?)",
    },
    {
      description: 'a typo in cache.scopes',
      raw: { cache: { scopes: { maxx: 5 } } },
      message: "cache.scopes.maxx: unknown key (did you mean 'max'?)",
    },
    {
      description: 'a key in a redis cluster node',
      raw: { cache: { redis: { cluster: [{ host: 'a', port: 7000, tls: true }] } } },
      message: 'cache.redis.cluster[0].tls: unknown key',
    },
  ])('rejects $description, with its path', ({ raw, message }) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });

  it('names every unknown key of one object', () => {
    expect(() => parseConfig({ server: { prot: 1, hots: 'x' } })).toThrow(
      "server.prot: unknown key (did you mean 'port'?); server.hots: unknown key (did you mean 'host'?)",
    );
  });

  it('still accepts every documented key', () => {
    expect(() =>
      parseConfig({
        server: {
          host: '0.0.0.0',
          port: 1,
          timeouts: { headersMs: 1_000, requestMs: 2_000, idleMs: 40_000, keepAliveMs: 1_000 },
          persistedQueries: { enabled: false, maxBytes: 1 },
          metricsPort: 9464,
        },
        backends: [{ ...jaeger, api: 'v1', tls: { insecureSkipVerify: true }, headers: { 'X-Any-Header': 'x' } }],
      }),
    ).not.toThrow();
  });
});

/** Every object schema reachable from `schema`, with its path, and whether it refuses unknown keys. */
function objectSchemas(schema: z.ZodType, path: string, seen = new Set<unknown>()): Array<{ path: string; strict: boolean }> {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  const found: Array<{ path: string; strict: boolean }> = [];
  if (def.type === 'object') {
    found.push({ path: path || '(root)', strict: def.catchall?._zod?.def?.type === 'never' });
    for (const [key, child] of Object.entries(def.shape as Record<string, z.ZodType>))
      found.push(...objectSchemas(child, path ? `${path}.${key}` : key, seen));
  }
  for (const child of [def.innerType, def.element, def.in, def.out, def.valueType, ...(def.options ?? [])]) {
    if (child) found.push(...objectSchemas(child as z.ZodType, def.element === child ? `${path}[]` : path, seen));
  }
  return found;
}

describe('every configuration object', () => {
  it('is strict, so no section can start ignoring typos again', () => {
    const schemas = [
      ...objectSchemas(rootConfigSchema, ''),
      ...objectSchemas(cacheConfigSchema, 'cache'),
      ...[...backendFactories.values()].flatMap((factory) => objectSchemas(factory.configSchema, `backends[${factory.kind}]`)),
    ];
    expect(schemas.length).toBeGreaterThan(15);
    expect(schemas.filter((s) => !s.strict).map((s) => s.path)).toEqual([]);
  });
});
