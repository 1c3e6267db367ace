/**
 * The `auth` block is validated like the rest of the config: what cannot be configured (HMAC or `none`
 * algorithms, a key set from nowhere or from two places, a mode without its credentials) stops
 * start-up with a message naming the key.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { createServer } from '../../src/server/create-server.js';

const KEY_HASH = 'a'.repeat(64);
const issuer = (extra: Record<string, unknown> = {}) => ({
  issuer: 'https://id.example/',
  audiences: ['tracegate'],
  jwksUrl: 'https://id.example/jwks.json',
  algorithms: ['RS256'],
  ...extra,
});
const dir = mkdtempSync(join(tmpdir(), 'tracegate-auth-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the auth config block', () => {
  it('defaults to mode none, which needs nothing else', () => {
    expect(parseConfig({}).auth).toEqual({
      mode: 'none',
      allowUnauthenticatedRemote: false,
      jwt: { issuers: [], clockToleranceSeconds: 30, jwksCooldownSeconds: 30, jwksCacheMaxAgeSeconds: 600 },
      apiKeys: [],
    });
  });

  it('fills the defaults of an issuer and a key', () => {
    const { auth } = parseConfig({
      auth: { mode: 'jwtOrApiKey', jwt: { issuers: [issuer()] }, apiKeys: [{ id: 'ci', sha256: KEY_HASH, tenants: ['a'] }] },
    });
    expect(auth.jwt.issuers[0]).toEqual({ ...issuer(), tenantClaim: 'tenant' });
    expect(auth.apiKeys[0]).toEqual({ id: 'ci', sha256: KEY_HASH, tenants: ['a'], admin: false });
  });

  it.each([
    {
      description: 'an HMAC algorithm',
      auth: { mode: 'jwt', jwt: { issuers: [issuer({ algorithms: ['HS256'] })] } },
      error: /auth\.jwt\.issuers\[0\]\.algorithms\[0\]/,
    },
    {
      description: 'alg none',
      auth: { mode: 'jwt', jwt: { issuers: [issuer({ algorithms: ['none'] })] } },
      error: /auth\.jwt\.issuers\[0\]\.algorithms\[0\]/,
    },
    {
      description: 'no algorithm',
      auth: { mode: 'jwt', jwt: { issuers: [issuer({ algorithms: [] })] } },
      error: /auth\.jwt\.issuers\[0\]\.algorithms/,
    },
    { description: 'no audience', auth: { mode: 'jwt', jwt: { issuers: [issuer({ audiences: [] })] } }, error: /auth\.jwt\.issuers\[0\]\.audiences/ },
    {
      description: 'both jwksUrl and jwksFile',
      auth: { mode: 'jwt', jwt: { issuers: [issuer({ jwksFile: '/etc/jwks.json' })] } },
      error: /auth\.jwt\.issuers\[0\]: give exactly one of jwksUrl and jwksFile/,
    },
    {
      description: 'neither jwksUrl nor jwksFile',
      auth: { mode: 'jwt', jwt: { issuers: [issuer({ jwksUrl: undefined })] } },
      error: /auth\.jwt\.issuers\[0\]: give exactly one of jwksUrl and jwksFile/,
    },
    {
      description: 'a jwksUrl that is not http(s)',
      auth: { mode: 'jwt', jwt: { issuers: [issuer({ jwksUrl: 'file:///etc/jwks.json' })] } },
      error: /jwksUrl/,
    },
    { description: 'mode jwt without an issuer', auth: { mode: 'jwt' }, error: /auth\.jwt\.issuers: mode jwt needs at least one issuer/ },
    { description: 'mode apiKey without a key', auth: { mode: 'apiKey' }, error: /auth\.apiKeys: mode apiKey needs at least one key/ },
    {
      description: 'mode jwtOrApiKey without a key',
      auth: { mode: 'jwtOrApiKey', jwt: { issuers: [issuer()] } },
      error: /auth\.apiKeys: mode jwtOrApiKey/,
    },
    { description: 'an unknown mode', auth: { mode: 'basic' }, error: /auth\.mode/ },
    {
      description: 'a secret key, not its hash',
      auth: { mode: 'apiKey', apiKeys: [{ id: 'ci', sha256: 'hunter2', tenants: [] }] },
      error: /auth\.apiKeys\[0\]\.sha256: expected the 64 hex digits/,
    },
    {
      description: 'two keys with one id',
      auth: {
        mode: 'apiKey',
        apiKeys: [
          { id: 'ci', sha256: KEY_HASH, tenants: [] },
          { id: 'ci', sha256: 'b'.repeat(64), tenants: [] },
        ],
      },
      error: /auth\.apiKeys\[1\]\.id: duplicate key id/,
    },
    {
      description: 'one key configured twice',
      auth: {
        mode: 'apiKey',
        apiKeys: [
          { id: 'a', sha256: KEY_HASH, tenants: [] },
          { id: 'b', sha256: KEY_HASH.toUpperCase(), tenants: [] },
        ],
      },
      error: /auth\.apiKeys\[1\]\.sha256: the same key is configured twice/,
    },
    {
      description: 'two entries for one issuer',
      auth: { mode: 'jwt', jwt: { issuers: [issuer(), issuer()] } },
      error: /auth\.jwt\.issuers\[1\]\.issuer: duplicate issuer/,
    },
    {
      description: 'a misspelt key',
      auth: { mode: 'jwt', jwt: { isuers: [] } },
      error: /auth\.jwt\.isuers: unknown key \(did you mean 'issuers'\?\)/,
    },
    {
      description: 'a shared secret',
      auth: { mode: 'jwt', jwt: { issuers: [issuer({ secret: 'x' })] } },
      error: /auth\.jwt\.issuers\[0\]\.secret: unknown key/,
    },
  ])('refuses $description', ({ auth, error }) => {
    expect(() => parseConfig({ auth })).toThrow(ConfigError);
    expect(() => parseConfig({ auth })).toThrow(error);
  });

  it.each([
    {
      description: 'a JWKS file that does not exist',
      content: null,
      error: /the JWKS file '.*missing\.json' of issuer 'https:\/\/id\.example\/' cannot be used/,
    },
    { description: 'a JWKS file that is not JSON', content: 'keys:', error: /cannot be used/ },
    { description: 'a JWKS file without keys', content: '{"kty":"RSA"}', error: /cannot be used/ },
  ])('stops start-up on $description', async ({ content, error }) => {
    const file = join(dir, content === null ? 'missing.json' : `jwks-${Math.random()}.json`);
    if (content !== null) writeFileSync(file, content);
    const config = parseConfig({ auth: { mode: 'jwt', jwt: { issuers: [issuer({ jwksUrl: undefined, jwksFile: file })] } } });
    await expect(createServer(config, pino({ level: 'silent' }))).rejects.toThrow(error);
  });
});
