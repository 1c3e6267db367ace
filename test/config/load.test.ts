import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/index.js';

describe('parseConfig', () => {
  it('defaults to the embedded demo backend on 127.0.0.1:4000', () => {
    const config = parseConfig({});
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 4000, graphqlPath: '/graphql' });
    expect(config.backends).toEqual([expect.objectContaining({ name: 'demo', kind: 'memory', demo: true })]);
  });

  it('lets PORT, HOST and LOG_LEVEL override the file', () => {
    const config = parseConfig({ server: { port: 1 } }, { PORT: '8080', HOST: '0.0.0.0', LOG_LEVEL: 'debug' });
    expect(config.server.port).toBe(8080);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.log.level).toBe('debug');
  });

  it.each([
    { description: 'an unknown top-level key', raw: { sever: {} }, key: 'sever: unknown key' },
    { description: 'a port out of range', raw: { server: { port: 70_000 } }, key: 'server.port' },
    { description: 'an unknown backend kind', raw: { backends: [{ name: 'x', kind: 'tempo' }] }, key: 'backends[0].kind' },
    { description: 'a bad backend name', raw: { backends: [{ name: 'has space', kind: 'memory' }] }, key: 'backends[0].name' },
    {
      description: 'duplicate backend names',
      raw: {
        backends: [
          { name: 'a', kind: 'memory' },
          { name: 'a', kind: 'memory' },
        ],
      },
      key: 'backends[1].name',
    },
    {
      description: 'a default backend that does not exist',
      raw: { federation: { defaultBackends: ['nope'] } },
      key: 'federation.defaultBackends[0]',
    },
    { description: 'a negative cache TTL', raw: { cache: { ttl: { searchSeconds: -1 } } }, key: 'cache.ttl.searchSeconds' },
    { description: 'redis without url or cluster', raw: { cache: { redis: {} } }, key: 'cache.redis' },
    { description: 'a response limit of zero bytes', raw: { limits: { maxResponseBytes: 0 } }, key: 'limits.maxResponseBytes' },
    {
      description: 'an execution time limit the backends alone may use up',
      raw: { limits: { maxExecutionMs: 10_000 }, federation: { requestTimeoutMs: 10_000 } },
      key: 'limits.maxExecutionMs (10000) must be longer than federation.requestTimeoutMs (10000)',
    },
  ])('rejects $description, naming the key', ({ raw, key }) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(key);
  });

  it('rejects a PORT that is not a number', () => {
    expect(() => parseConfig({}, { PORT: 'eighty' })).toThrow("PORT: expected a number, got 'eighty'");
  });
});

describe('loadConfig', () => {
  it('reads the YAML file named by --config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-config-'));
    const file = join(dir, 'tracegate.yaml');
    writeFileSync(file, 'server:\n  port: 4100\nbackends:\n  - name: local\n    kind: memory\n');
    const config = loadConfig(['--config', file], {});
    expect(config.server.port).toBe(4100);
    expect(config.backends.map((b) => b.name)).toEqual(['local']);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadConfig(['--config', '/nonexistent/tg.yaml'], {})).toThrow("cannot read config file '/nonexistent/tg.yaml'");
  });

  it('names the file when the YAML is malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'server: [unclosed\n');
    expect(() => loadConfig(['--config', file], {})).toThrow('is not valid YAML');
  });
});
