/**
 * Redaction happens after the cache: the cache holds what the backend answered, and each gateway
 * redacts a cached answer by its own rules on the way out. Several gateways here share one cache, as
 * gateways restarted with new rules share Redis: a cached answer is never served unredacted by a
 * gateway that redacts, nor redacted by rules the serving gateway does not have.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../src/backends/memory/index.js';
import { parseCacheConfig } from '../../src/cache/config.js';
import { createCache } from '../../src/cache/create-cache.js';
import { parseConfig } from '../../src/config/index.js';
import { createDeadline, Gateway } from '../../src/federation/index.js';
import { createLoaders } from '../../src/loaders/create-loaders.js';
import { findAttribute, stringAttr, TraceViews } from '../../src/model/index.js';
import { type RedactionConfig, Redactor, redactionConfigSchema } from '../../src/redaction/index.js';
import { CountingBackend } from '../support/counting-backend.js';
import { makeSpan, TRACE } from '../support/make-span.js';

describe('redaction after the cache', () => {
  it('redacts cached answers by the rules of the gateway serving them', async () => {
    const store = new MemoryBackend('store');
    // Ended long ago: a settled trace, kept by the cache for a day.
    store.addSpans([
      makeSpan('a', {
        name: 'GET /?access_token=tok123',
        startTimeUs: 1_000_000,
        attributes: [stringAttr('user.email', 'ann@example.com'), stringAttr('http.request.header.authorization', 'Bearer tok123')],
      }),
    ]);
    const backend = new CountingBackend(store);
    const { caches } = createCache(parseCacheConfig({}), [{ backend, config: { kind: backend.kind } }], pino({ level: 'silent' }));
    const gatewayWith = (redaction: Partial<RedactionConfig> | null) => {
      const rules = redaction === null ? undefined : new Redactor(redactionConfigSchema.parse({ enabled: true, ...redaction }));
      return new Gateway({
        backends: [backend],
        ...(caches !== undefined ? { caches } : {}),
        federation: parseConfig({}).federation,
        timeoutsMs: new Map(),
        enabled: new Set(['store']),
        logger: { info() {}, warn() {}, error() {} },
        ...(rules !== undefined ? { redaction: rules } : {}),
      });
    };
    const load = async (gateway: Gateway) => {
      const loaders = createLoaders(gateway, gateway.fanOutOptions(createDeadline(5_000)), new TraceViews());
      const lookup = await loaders.traces([backend], false).load(TRACE);
      const span = lookup.view!.trace.spans[0]!;
      return {
        cached: lookup.outcomes[0]!.cached,
        name: span.name,
        email: findAttribute(span.attributes, 'user.email')!.value,
        authorization: findAttribute(span.attributes, 'http.request.header.authorization')!.value,
      };
    };

    expect(await load(gatewayWith(null))).toEqual({
      cached: false,
      name: 'GET /?access_token=tok123',
      email: 'ann@example.com',
      authorization: 'Bearer tok123',
    });
    expect(await load(gatewayWith({ valuePatterns: ['bearerToken', 'email'] }))).toEqual({
      cached: true,
      name: 'GET /?access_token=[REDACTED]',
      email: '[REDACTED]',
      authorization: '[REDACTED]',
    });
    // New rules, same cache entry: the email is shown again, the token in the name still hidden.
    expect(await load(gatewayWith({ keys: [], valuePatterns: ['bearerToken'], replacement: '***' }))).toEqual({
      cached: true,
      name: 'GET /?access_token=***',
      email: 'ann@example.com',
      authorization: 'Bearer ***',
    });
    // The cache still holds the backend's answer, not any gateway's redaction of it.
    expect(await load(gatewayWith(null))).toMatchObject({ cached: true, email: 'ann@example.com', authorization: 'Bearer tok123' });
    expect(backend.count('getTraces')).toBe(1);
  });
});
