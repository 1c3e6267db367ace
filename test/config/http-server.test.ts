/** server.timeouts: the rules between them and the limits, and the Node/Fastify options they become. */
import { describe, expect, it } from 'vitest';
import { ConfigError, idleTimeoutMs, parseConfig } from '../../src/config/index.js';
import { httpServerOptions } from '../../src/server/http-options.js';

describe('server.timeouts', () => {
  it('defaults to bounded timeouts for every phase of a connection', () => {
    const config = parseConfig({});
    expect(httpServerOptions(config.server, config.limits.maxExecutionMs)).toMatchObject({
      bodyLimit: 1_048_576,
      requestTimeout: 30_000,
      connectionTimeout: 60_000,
      keepAliveTimeout: 5_000,
      http: { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 },
    });
  });

  it.each([
    {
      description: 'an idle timeout a running query would outlast',
      raw: { server: { timeouts: { idleMs: 30_000 } } },
      message: 'server.timeouts.idleMs: must exceed limits.maxExecutionMs (30000)',
    },
    {
      description: 'a header timeout longer than the request timeout',
      raw: { server: { timeouts: { headersMs: 40_000 } } },
      message: 'server.timeouts.headersMs: headersMs must not exceed requestMs',
    },
    {
      description: 'a timeout of zero (Node reads it as none)',
      raw: { server: { timeouts: { requestMs: 0 } } },
      message: 'server.timeouts.requestMs',
    },
  ])('rejects $description', ({ raw, message }) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });

  it('derives the idle timeout from the longest a query may run when it is not set', () => {
    const config = parseConfig({ federation: { requestTimeoutMs: 100_000 }, limits: { maxExecutionMs: 120_000 } });
    expect(idleTimeoutMs(config.server.timeouts, config.limits.maxExecutionMs)).toBe(130_000);
  });
});
