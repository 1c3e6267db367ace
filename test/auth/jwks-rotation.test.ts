/**
 * Key rotation against a JWKS served over HTTP: a token signed with a new `kid` is accepted once the
 * key set is fetched again, never more often than `jwksCooldownSeconds` however many unknown key ids
 * arrive, and a retired key stops working when the cached set ages out. The clock is vitest's fake
 * Date (jose reads Date.now() for the cooldown, the cache age and `exp`), so nothing here waits.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthenticator, type Authenticate } from '../../src/auth/authenticate.js';
import { parseConfig } from '../../src/config/index.js';
import { UnauthenticatedError } from '../../src/errors.js';
import { type JwksServer, type SigningKey, signingKey, signToken, startJwksServer } from './identity-provider.js';

const ISS = 'https://rotating.example/';
const START = new Date('2026-11-30T12:00:00Z');

let k1: SigningKey;
let k2: SigningKey;
let k3: SigningKey;
let jwks: JwksServer;
let authenticate: Authenticate;

beforeAll(async () => {
  [k1, k2, k3] = await Promise.all([signingKey('2026-11'), signingKey('2026-12'), signingKey('never-published')]);
});
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  jwks = await startJwksServer([k1]);
  const config = parseConfig({
    auth: {
      mode: 'jwt',
      jwt: {
        issuers: [{ issuer: ISS, audiences: ['tracegate'], jwksUrl: jwks.url, algorithms: ['RS256'] }],
        jwksCooldownSeconds: 30,
        jwksCacheMaxAgeSeconds: 600,
      },
    },
  });
  authenticate = createAuthenticator(config.auth);
});
afterEach(async () => {
  vi.useRealTimers();
  await jwks.close();
});
afterAll(() => vi.useRealTimers());

const at = (seconds: number) => vi.setSystemTime(START.getTime() + seconds * 1000);

async function accepts(key: SigningKey): Promise<boolean> {
  const token = await signToken(key, { iss: ISS });
  return authenticate({ authorization: `Bearer ${token}` }).then(
    () => true,
    (error: unknown) => {
      if (error instanceof UnauthenticatedError) return false;
      throw error;
    },
  );
}

describe('JWKS key rotation', () => {
  it('accepts a new kid after the next fetch, and fetches no more often than the cooldown', async () => {
    expect(await accepts(k1)).toBe(true);
    expect(jwks.fetches()).toBe(1);

    jwks.serve([k1, k2]); // the provider publishes its next key
    at(10);
    // Still cooling down from the first fetch: the new kid is refused without a fetch.
    expect(await accepts(k2)).toBe(false);
    expect(jwks.fetches()).toBe(1);

    at(31);
    expect(await accepts(k2)).toBe(true);
    expect(jwks.fetches()).toBe(2);
    expect(await accepts(k1)).toBe(true);

    // A burst of tokens with a kid nobody published: refused, and at most one fetch per cooldown.
    at(45);
    for (let i = 0; i < 20; i++) expect(await accepts(k3)).toBe(false);
    expect(jwks.fetches()).toBe(2);
    at(62);
    for (let i = 0; i < 20; i++) expect(await accepts(k3)).toBe(false);
    expect(jwks.fetches()).toBe(3);
  });

  it('stops accepting a retired key once the cached set is older than jwksCacheMaxAgeSeconds', async () => {
    jwks.serve([k1, k2]);
    expect(await accepts(k1)).toBe(true);
    jwks.serve([k2]); // k1 retired
    at(599);
    expect(await accepts(k1)).toBe(true); // the cached set still holds it
    expect(jwks.fetches()).toBe(1);
    at(601);
    expect(await accepts(k1)).toBe(false);
    expect(jwks.fetches()).toBe(2);
    expect(await accepts(k2)).toBe(true);
  });
});
