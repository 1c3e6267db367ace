/**
 * Config secrets from the environment and from files (src/config/resolve-secrets.ts), through
 * parseConfig as start-up uses it: `${NAME}` with defaults and the `$${` escape, `xFile` read and
 * trimmed into `x` (inside maps too), every mistake a ConfigError naming the key and never the value.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/index.js';
import { FILE_FIELDS } from '../../src/config/resolve-secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'tracegate-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const secretFile = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const jaeger = (fields: Record<string, unknown>) => ({ backends: [{ name: 'j', kind: 'jaeger', url: 'http://127.0.0.1:16686', ...fields }] });
const es = (fields: Record<string, unknown>) => ({
  backends: [{ name: 'es', kind: 'elasticsearch', urls: ['http://127.0.0.1:9200'], schema: 'jaeger', ...fields }],
});

describe(`\${NAME} references`, () => {
  it.each([
    { description: 'a whole value', value: `\${TOKEN}`, env: { TOKEN: 'Bearer abc' }, expected: 'Bearer abc' },
    { description: 'inside a value', value: `Bearer \${TOKEN}`, env: { TOKEN: 'abc' }, expected: 'Bearer abc' },
    { description: 'two in one value', value: `\${A}:\${B}`, env: { A: 'x', B: 'y' }, expected: 'x:y' },
    { description: 'a default for an unset variable', value: `\${TOKEN:-none}`, env: {}, expected: 'none' },
    { description: 'a default for an empty variable (as the shell)', value: `\${TOKEN:-none}`, env: { TOKEN: '' }, expected: 'none' },
    { description: 'an empty default', value: `x\${TOKEN:-}`, env: {}, expected: 'x' },
    { description: 'a set empty variable without default', value: `x\${TOKEN}`, env: { TOKEN: '' }, expected: 'x' },
    { description: `$\${ escapes a reference`, value: `$\${TOKEN}`, env: { TOKEN: 'abc' }, expected: `\${TOKEN}` },
    { description: 'a value is not expanded again', value: `\${A}`, env: { A: `\${B}`, B: 'no' }, expected: `\${B}` },
    { description: 'a lone $ is kept', value: 'a$b', env: {}, expected: 'a$b' },
  ])('expands $description', ({ value, env, expected }) => {
    const config = parseConfig(jaeger({ headers: { Authorization: value } }), env);
    expect(config.backends[0]!.headers).toEqual({ Authorization: expected });
  });

  it('expands in every block: the Redis url, a number-typed field stays a validation matter', () => {
    const config = parseConfig({ cache: { redis: { url: `\${REDIS_URL}` } } }, { REDIS_URL: 'redis://127.0.0.1:6390' });
    expect((config.cache as { redis?: { url: string } }).redis?.url).toBe('redis://127.0.0.1:6390');
  });

  it.each([
    {
      description: 'an unset variable without default',
      raw: jaeger({ headers: { Authorization: `Bearer \${API_TOKEN}` } }),
      message: 'backends[0].headers.Authorization: environment variable API_TOKEN is not set',
    },
    {
      description: `a \${ that starts no reference`,
      raw: jaeger({ headers: { Authorization: `\${not a name}` } }),
      message: `backends[0].headers.Authorization: '\${' must start a reference`,
    },
    {
      description: 'an unset variable in a list',
      raw: { server: { cors: { enabled: true, origins: [`\${ORIGIN}`] } } },
      message: 'server.cors.origins[0]: environment variable ORIGIN is not set',
    },
  ])('refuses $description, naming the key and the variable', ({ raw, message }) => {
    expect(() => parseConfig(raw, {})).toThrow(ConfigError);
    expect(() => parseConfig(raw, {})).toThrow(message);
  });
});

describe('xFile fields', () => {
  it('reads an Elasticsearch password from a file, trimmed', () => {
    const path = secretFile('es-password', 's3cret-Pa55\n');
    const config = parseConfig(es({ username: 'elastic', passwordFile: path }));
    expect(config.backends[0]).toMatchObject({ username: 'elastic', password: 's3cret-Pa55' });
    expect(config.backends[0]).not.toHaveProperty('passwordFile');
  });

  it('reads a header from a file inside the headers map, its path from the environment', () => {
    secretFile('token', 'Bearer from-file\n');
    const config = parseConfig(jaeger({ headers: { AuthorizationFile: `\${SECRETS}/token` } }), { SECRETS: dir });
    expect(config.backends[0]!.headers).toEqual({ Authorization: 'Bearer from-file' });
  });

  it(`does not expand \${ inside a file`, () => {
    const config = parseConfig(es({ username: 'elastic', passwordFile: secretFile('dollar', `a\${B}c`) }), { B: 'no' });
    expect(config.backends[0]).toMatchObject({ password: `a\${B}c` });
  });

  it.each([
    {
      description: 'both x and xFile',
      raw: () => es({ username: 'elastic', password: 'inline', passwordFile: secretFile('both', 'x') }),
      message: 'backends[0].passwordFile: give password or passwordFile, not both',
    },
    {
      description: 'a file that cannot be read',
      raw: () => es({ username: 'elastic', passwordFile: join(dir, 'missing') }),
      message: "backends[0].passwordFile: cannot read '",
    },
  ])('refuses $description', ({ raw, message }) => {
    expect(() => parseConfig(raw())).toThrow(ConfigError);
    expect(() => parseConfig(raw())).toThrow(message);
  });

  it('never puts a value in an error message', () => {
    const leaked = 'TOP-SECRET-VALUE';
    const attempts = [
      () => parseConfig(es({ username: 'elastic', password: 'inline', passwordFile: secretFile('leak', leaked) })),
      () => parseConfig(jaeger({ headers: { Authorization: `${leaked} \${MISSING}` } }), { OTHER: leaked }),
      () => parseConfig(jaeger({ url: `\${URL}` }), { URL: leaked }), // an invalid URL from the environment
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(ConfigError);
      try {
        attempt();
      } catch (error) {
        expect((error as Error).message).not.toContain(leaked);
      }
    }
  });

  it('keeps the fields that already name a file (caFile, jwksFile), and FILE_FIELDS lists every one in src/', () => {
    const ca = secretFile('ca.pem', 'not read at parse time');
    expect(parseConfig(jaeger({ tls: { caFile: ca } })).backends[0]!.tls).toMatchObject({ caFile: ca });
    const src = fileURLToPath(new URL('../../src', import.meta.url));
    const declared = new Set<string>();
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      for (const match of readFileSync(join(src, file), 'utf8').matchAll(/^\s+([a-z][A-Za-z]*File): z\./gm)) declared.add(match[1]!);
    }
    expect([...declared].sort()).toEqual([...FILE_FIELDS].sort());
  });

  it('resolves a YAML file loaded with --config against the process environment', () => {
    const path = secretFile('config.yaml', `backends:\n  - name: j\n    kind: jaeger\n    url: \${JAEGER_URL:-http://127.0.0.1:16686}\n`);
    expect(loadConfig(['--config', path], {}).backends[0]).toMatchObject({ url: 'http://127.0.0.1:16686' });
    expect(loadConfig(['--config', path], { JAEGER_URL: 'http://10.0.0.1:16686' }).backends[0]).toMatchObject({ url: 'http://10.0.0.1:16686' });
  });
});
