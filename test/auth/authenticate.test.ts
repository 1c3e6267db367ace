/**
 * What `authenticate(headers)` makes of credentials it accepts (the Principal) and which kinds each
 * `auth.mode` takes. The refusals over HTTP are gateway-auth.test.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { parseConfig } from '../../src/config/index.js';
import { ErrorCode, UNAUTHENTICATED_MESSAGE, UnauthenticatedError } from '../../src/errors.js';
import { type JwksServer, type SigningKey, signingKey, signToken, startJwksServer } from './identity-provider.js';

const ISS_A = 'https://a.example/';
const ISS_B = 'https://b.example/';
const apiKey = randomBytes(32).toString('base64url');
const adminKey = randomBytes(32).toString('base64url');
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

let keyA: SigningKey;
let keyB: SigningKey;
let jwksA: JwksServer;
let jwksB: JwksServer;

beforeAll(async () => {
  [keyA, keyB] = await Promise.all([signingKey('a-1'), signingKey('b-1', 'ES256')]);
  [jwksA, jwksB] = await Promise.all([startJwksServer([keyA]), startJwksServer([keyB])]);
});
afterAll(async () => {
  await jwksA?.close();
  await jwksB?.close();
});

function authenticatorFor(mode: 'none' | 'jwt' | 'apiKey' | 'jwtOrApiKey') {
  const config = parseConfig({
    auth: {
      mode,
      jwt: {
        issuers: [
          {
            issuer: ISS_A,
            audiences: ['tracegate'],
            jwksUrl: jwksA.url,
            algorithms: ['RS256'],
            adminClaim: { claim: 'roles', value: 'tracegate-admin' },
          },
          {
            issuer: ISS_B,
            audiences: ['tracegate'],
            jwksUrl: jwksB.url,
            algorithms: ['ES256'],
            tenantClaim: 'org',
            adminClaim: { claim: 'admin', value: 'yes' },
          },
        ],
      },
      apiKeys: [
        { id: 'grafana', sha256: sha256(apiKey), tenants: ['team-a', 'team-b'] },
        // Upper-case hex is the same digest.
        { id: 'ops', sha256: sha256(adminKey).toUpperCase(), tenants: [], admin: true },
      ],
    },
  });
  return createAuthenticator(config.auth);
}

async function refusal(promise: Promise<unknown>): Promise<UnauthenticatedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  expect((error as UnauthenticatedError).extensions.code).toBe(ErrorCode.UNAUTHENTICATED);
  expect((error as UnauthenticatedError).message).toBe(UNAUTHENTICATED_MESSAGE);
  return error as UnauthenticatedError;
}

describe('the principal of accepted credentials', () => {
  it('a token with a tenant string and the admin role in a list', async () => {
    const token = await signToken(keyA, { iss: ISS_A, sub: 'alice', claims: { tenant: 'team-a', roles: ['viewer', 'tracegate-admin'] } });
    expect(await authenticatorFor('jwt')({ authorization: `Bearer ${token}` })).toEqual({
      id: `jwt:${ISS_A}|alice`,
      kind: 'jwt',
      tenants: ['team-a'],
      admin: true,
      bearerToken: token,
    });
  });

  it("a token with the tenants in a list under the issuer's own claim, admin by a string claim", async () => {
    const token = await signToken(keyB, { iss: ISS_B, sub: 'svc-7', claims: { org: ['t1', 't2'], tenant: 'ignored', admin: 'yes' } });
    expect(await authenticatorFor('jwtOrApiKey')({ authorization: `Bearer ${token}` })).toEqual({
      id: `jwt:${ISS_B}|svc-7`,
      kind: 'jwt',
      tenants: ['t1', 't2'],
      admin: true,
      bearerToken: token,
    });
  });

  it.each([
    { description: 'no tenant claim, no admin claim', claims: {}, tenants: [], admin: false },
    { description: 'roles without the admin value', claims: { tenant: 'x', roles: ['viewer'] }, tenants: ['x'], admin: false },
    { description: 'the admin value as a plain string', claims: { roles: 'tracegate-admin' }, tenants: [], admin: true },
    { description: 'the admin value under another claim', claims: { groups: ['tracegate-admin'] }, tenants: [], admin: false },
  ])('$description', async ({ claims, tenants, admin }) => {
    const token = await signToken(keyA, { iss: ISS_A, claims });
    expect(await authenticatorFor('jwt')({ authorization: `Bearer ${token}` })).toMatchObject({ tenants, admin });
  });

  it('an API key: its id, tenants and grant, no token kept', async () => {
    expect(await authenticatorFor('apiKey')({ 'x-api-key': apiKey })).toEqual({
      id: 'key:grafana',
      kind: 'apiKey',
      tenants: ['team-a', 'team-b'],
      admin: false,
      bearerToken: null,
    });
    expect(await authenticatorFor('jwtOrApiKey')({ authorization: `ApiKey ${adminKey}` })).toMatchObject({ id: 'key:ops', admin: true });
  });

  it('mode none: everybody is the anonymous admin, whatever they send', async () => {
    const anonymous = { id: 'anonymous', kind: 'anonymous', tenants: [], admin: true, bearerToken: null };
    expect(await authenticatorFor('none')({})).toEqual(anonymous);
    expect(await authenticatorFor('none')({ authorization: 'Bearer whatever' })).toEqual(anonymous);
  });
});

describe('each mode takes only its own kind of credential', () => {
  it('jwt refuses a configured API key', async () => {
    expect((await refusal(authenticatorFor('jwt')({ 'x-api-key': apiKey }))).reason).toMatch(/auth.mode is jwt/);
  });

  it('apiKey refuses a valid token', async () => {
    const token = await signToken(keyA, { iss: ISS_A });
    expect((await refusal(authenticatorFor('apiKey')({ authorization: `Bearer ${token}` }))).reason).toMatch(/auth.mode is apiKey/);
  });

  it.each([
    { description: 'cannot be reached', status: null },
    { description: 'answers 500', status: 500 },
    { description: 'answers a body that is no key set', status: 200 },
  ])("refuses a token, as the operator's problem, when the issuer's JWKS $description", async ({ status }) => {
    const server = createServer((_, response) => response.writeHead(status ?? 500).end('{"keys": "none"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => (status === null ? server.close(() => resolve()) : resolve()));
    try {
      const config = parseConfig({
        auth: {
          mode: 'jwt',
          jwt: { issuers: [{ issuer: ISS_A, audiences: ['tracegate'], jwksUrl: `http://127.0.0.1:${port}/jwks.json`, algorithms: ['RS256'] }] },
        },
      });
      const token = await signToken(keyA, { iss: ISS_A });
      const error = await refusal(createAuthenticator(config.auth)({ authorization: `Bearer ${token}` }));
      expect(error.isOperatorProblem).toBe(true);
      expect(error.reason).toContain(ISS_A);
    } finally {
      if (status !== null) server.close();
    }
  });

  it("a bad token is the caller's problem, not the operator's", async () => {
    const token = await signToken(keyA, { iss: ISS_A, expiresIn: -3600 });
    expect((await refusal(authenticatorFor('jwt')({ authorization: `Bearer ${token}` }))).isOperatorProblem).toBe(false);
  });

  it("a refusal's reason never holds the token", async () => {
    const token = await signToken(keyA, { iss: ISS_A, aud: 'elsewhere' });
    const error = await refusal(authenticatorFor('jwt')({ authorization: `Bearer ${token}` }));
    expect(error.reason).not.toContain(token.split('.')[1]);
    expect(JSON.stringify(error)).not.toContain(token.split('.')[2]);
  });
});
