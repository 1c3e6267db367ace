/**
 * Start-up refuses `auth.mode: none` on an address other machines can reach, unless the config says
 * so explicitly; the zero-config demo on 127.0.0.1 starts as before. No test here listens on a
 * non-loopback address: the refusal comes before anything listens, and the allowed cases only build
 * the server.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/auth/exposure.js';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { createServer } from '../../src/server/create-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const silent = pino({ level: 'silent' });
const jwtAuth = {
  mode: 'jwt',
  jwt: { issuers: [{ issuer: 'https://id.example/', audiences: ['tracegate'], jwksUrl: 'https://id.example/jwks.json', algorithms: ['RS256'] }] },
};

describe('which hosts are loopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.1.2.3', false],
    ['128.0.0.1', false],
    ['::2', false],
    ['tracegate.internal', false],
    ['localhost.example.com', false],
  ])('%s: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('start-up without authentication', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20', 'tracegate.internal'])('refuses server.host %s', async (host) => {
    const config = parseConfig({ server: { host } });
    const refused = createServer(config, silent);
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(/server\.host is '.*', not a loopback address, and auth\.mode is none.*auth\.allowUnauthenticatedRemote/);
  });

  it.each([
    { description: 'the default host (the demo)', raw: {} },
    {
      description: 'a non-loopback host with allowUnauthenticatedRemote',
      raw: { server: { host: '0.0.0.0' }, auth: { allowUnauthenticatedRemote: true } },
    },
    { description: 'a non-loopback host with authentication on', raw: { server: { host: '0.0.0.0' }, auth: jwtAuth } },
  ])('starts with $description', async ({ raw }) => {
    const server = await createServer(parseConfig(raw), silent);
    await server.close();
  });

  it('the entry point says so in one line and exits 2 (HOST=0.0.0.0)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '0.0.0.0', PORT: '0', TRACEGATE_CONFIG: '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^tracegate: cannot start: server\.host is '0\.0\.0\.0', not a loopback address, and auth\.mode is none/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  }, 30_000);
});
