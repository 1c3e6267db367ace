/**
 * Authentication through a real gateway over HTTP: two issuers (one JWKS served over HTTP on
 * 127.0.0.1, one from a file) and an API key. Every forgery and mistake is refused with 401 and the
 * same UNAUTHENTICATED body on GraphQL, the Jaeger API (v1 and api_v3) and the Zipkin API, the reason
 * only in the debug log and never with the token; valid credentials are served; health, readiness,
 * metrics and the explorer's page stay open.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNAUTHENTICATED_MESSAGE } from '../../src/errors.js';
import { captureLogs, LEVEL } from '../support/log-capture.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import {
  hmacWithPublicKey,
  payloadOf,
  type SigningKey,
  signingKey,
  signToken,
  startJwksServer,
  type JwksServer,
  unsignedToken,
  withFlippedSignature,
  withPayload,
} from './identity-provider.js';

const ISS_A = 'https://login.a.example/realms/traces';
const ISS_B = 'https://b.example/';
const SERVICES = '{ services { services { name } } }';
const GRAPHQL_REFUSAL = { errors: [{ message: UNAUTHENTICATED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }] };

let jwks: JwksServer;
let gateway: TestGateway;
let keyA: SigningKey;
let keyB: SigningKey;
let stranger: SigningKey;
const apiKey = randomBytes(32).toString('base64url');
const logs = captureLogs('debug');
const dir = mkdtempSync(join(tmpdir(), 'tracegate-auth-'));
/** Every credential the tests send, to prove none reaches the log. */
const sent: string[] = [apiKey];

beforeAll(async () => {
  [keyA, keyB, stranger] = await Promise.all([signingKey('a-1'), signingKey('b-1', 'ES256'), signingKey('x-1')]);
  jwks = await startJwksServer([keyA]);
  const jwksFile = join(dir, 'b.jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [keyB.publicJwk] }));
  gateway = await startGateway(
    {
      auth: {
        mode: 'jwtOrApiKey',
        jwt: {
          issuers: [
            {
              issuer: ISS_A,
              audiences: ['tracegate'],
              jwksUrl: jwks.url,
              algorithms: ['RS256'],
              adminClaim: { claim: 'roles', value: 'tracegate-admin' },
            },
            {
              issuer: ISS_B,
              audiences: ['tracegate-b', 'reports'],
              jwksFile,
              algorithms: ['ES256', 'RS256'],
              tenantClaim: 'https://b.example/tenants',
            },
          ],
        },
        apiKeys: [{ id: 'ci', sha256: createHash('sha256').update(apiKey).digest('hex'), tenants: ['team-a'] }],
      },
    },
    undefined,
    { logger: logs.logger },
  );
});
afterAll(async () => {
  await gateway?.close();
  await jwks?.close();
  rmSync(dir, { recursive: true, force: true });
});

const origin = (): string => new URL(gateway.url).origin;
const bearer = (token: string): Record<string, string> => {
  sent.push(token);
  return { authorization: `Bearer ${token}` };
};

async function graphql(headers: Record<string, string>): Promise<{ status: number; challenge: string | null; body: unknown }> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: SERVICES }),
  });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() };
}

describe('credentials refused with 401 UNAUTHENTICATED and one message', () => {
  // Each case builds its request headers; every one must be refused identically.
  const cases: Array<{ description: string; reason: RegExp; headers: () => Promise<Record<string, string>> }> = [
    {
      description: 'expired beyond the clock tolerance',
      reason: /ERR_JWT_EXPIRED/,
      headers: async () => bearer(await signToken(keyA, { iss: ISS_A, expiresIn: -120 })),
    },
    {
      description: 'not yet valid (nbf in 5 minutes)',
      reason: /"nbf" claim timestamp check failed/,
      headers: async () => bearer(await signToken(keyA, { iss: ISS_A, notBeforeIn: 300 })),
    },
    {
      description: 'without exp',
      reason: /missing required "exp" claim/,
      headers: async () => bearer(await signToken(keyA, { iss: ISS_A, expiresIn: null })),
    },
    {
      description: 'for another audience',
      reason: /unexpected "aud" claim value/,
      headers: async () => bearer(await signToken(keyA, { iss: ISS_A, aud: 'someone-else' })),
    },
    {
      description: "issuer B's audience on issuer A",
      reason: /unexpected "aud" claim value/,
      headers: async () => bearer(await signToken(keyA, { iss: ISS_A, aud: 'tracegate-b' })),
    },
    {
      description: "signed with A's key but claiming issuer B",
      reason: /ERR_JWKS_NO_MATCHING_KEY.*'https:\/\/b\.example\/'/,
      headers: async () => bearer(await signToken(keyA, { iss: ISS_B, aud: 'tracegate-b' })),
    },
    {
      description: "signed with B's key but claiming issuer A",
      reason: /ERR_JOSE_ALG_NOT_ALLOWED/,
      headers: async () => bearer(await signToken(keyB, { iss: ISS_A, kid: 'a-1' })),
    },
    { description: 'alg: none', reason: /ERR_JOSE_ALG_NOT_ALLOWED/, headers: async () => bearer(unsignedToken({ iss: ISS_A })) },
    {
      description: "HS256 with the RSA public key's bytes as secret",
      reason: /ERR_JOSE_ALG_NOT_ALLOWED/,
      headers: async () => bearer(await hmacWithPublicKey(keyA, { iss: ISS_A })),
    },
    {
      description: 'payload tampered (another subject and tenant)',
      reason: /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
      headers: async () => {
        const token = await signToken(keyA, { iss: ISS_A, claims: { tenant: 'team-a' } });
        return bearer(withPayload(token, { ...payloadOf(token), sub: 'mallory', tenant: 'team-b' }));
      },
    },
    {
      description: 'signature tampered',
      reason: /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
      headers: async () => bearer(withFlippedSignature(await signToken(keyA, { iss: ISS_A }))),
    },
    { description: 'unknown kid', reason: /ERR_JWKS_NO_MATCHING_KEY/, headers: async () => bearer(await signToken(stranger, { iss: ISS_A })) },
    {
      description: 'a kid of the JWKS on a key not in it',
      reason: /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
      headers: async () => bearer(await signToken(stranger, { iss: ISS_A, kid: 'a-1' })),
    },
    {
      description: 'from an issuer not configured',
      reason: /is not configured/,
      headers: async () => bearer(await signToken(keyA, { iss: 'https://unlisted.example/' })),
    },
    { description: 'no credentials at all', reason: /no credentials/, headers: async () => ({}) },
    { description: 'Bearer without a token', reason: /malformed/, headers: async () => ({ authorization: 'Bearer' }) },
    { description: 'Bearer with two words', reason: /malformed/, headers: async () => ({ authorization: 'Bearer abc def' }) },
    { description: 'Bearer with a token that is no JWT', reason: /not a JWT/, headers: async () => ({ authorization: 'Bearer not-a-jwt' }) },
    {
      description: 'Basic credentials',
      reason: /scheme 'Basic' is not accepted/,
      headers: async () => ({ authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }),
    },
    {
      description: 'a tenant claim that is a number',
      reason: /claim 'tenant' is neither/,
      headers: async () => bearer(await signToken(keyA, { iss: ISS_A, claims: { tenant: 7 } })),
    },
    {
      description: 'an API key not configured (X-API-Key)',
      reason: /API key is not configured/,
      headers: async () => ({ 'x-api-key': randomBytes(32).toString('base64url') }),
    },
    {
      description: 'an API key not configured (Authorization: ApiKey)',
      reason: /API key is not configured/,
      headers: async () => ({ authorization: `ApiKey ${randomBytes(32).toString('base64url')}` }),
    },
    {
      description: 'the hash of a key sent as the key',
      reason: /API key is not configured/,
      headers: async () => ({ 'x-api-key': createHash('sha256').update(apiKey).digest('hex') }),
    },
    { description: 'an empty X-API-Key', reason: /X-API-Key is empty/, headers: async () => ({ 'x-api-key': '' }) },
    {
      description: 'a valid key and a valid token at once',
      reason: /both Authorization and X-API-Key/,
      headers: async () => ({ ...bearer(await signToken(keyA, { iss: ISS_A })), 'x-api-key': apiKey }),
    },
  ];

  it.each(cases)('$description', async ({ headers, reason }) => {
    const answer = await graphql(await headers());
    expect(answer).toEqual({ status: 401, challenge: 'Bearer', body: GRAPHQL_REFUSAL });
    // Refused for the reason the case is about, not by accident of the set-up.
    expect(logs.lines.findLast((line) => line.msg === 'request refused: unauthenticated')?.reason).toMatch(reason);
  });

  // After the table: it reads what the cases above logged.
  it('logs each reason at debug only, and never a credential', () => {
    const refusals = logs.lines.filter((line) => line.msg === 'request refused: unauthenticated');
    expect(refusals.length).toBeGreaterThanOrEqual(cases.length);
    expect(refusals.every((line) => line.level === LEVEL.debug && typeof line.reason === 'string' && line.reason !== '')).toBe(true);
    // The reasons differ (the log tells the operator what was wrong) while the answers were identical.
    expect(new Set(refusals.map((line) => line.reason)).size).toBeGreaterThan(10);
    const everything = JSON.stringify(logs.lines);
    for (const credential of sent) expect(everything.includes(credential), 'a credential reached the log').toBe(false);
    // Not even a signature: the most distinctive part of a token.
    for (const credential of sent.filter((c) => c.includes('.'))) {
      const signature = credential.split('.')[2]!;
      if (signature.length > 10) expect(everything.includes(signature)).toBe(false);
    }
  });
});

describe('credentials accepted', () => {
  it.each([
    {
      description: 'a token from issuer A (JWKS over HTTP)',
      headers: async () => bearer(await signToken(keyA, { iss: ISS_A, claims: { tenant: 'team-a' } })),
    },
    {
      description: 'a token from issuer A within the clock tolerance after exp',
      headers: async () => bearer(await signToken(keyA, { iss: ISS_A, expiresIn: -5 })),
    },
    {
      description: 'a token from issuer B (JWKS file), one of its two audiences',
      headers: async () =>
        bearer(await signToken(keyB, { iss: ISS_B, aud: ['reports', 'unrelated'], claims: { 'https://b.example/tenants': ['t1', 't2'] } })),
    },
    { description: 'the API key in X-API-Key', headers: async () => ({ 'x-api-key': apiKey }) },
    { description: 'the API key as Authorization: ApiKey (scheme in any case)', headers: async () => ({ authorization: `apikey ${apiKey}` }) },
    { description: 'Bearer spelt in lower case', headers: async () => ({ authorization: `bearer ${await signToken(keyA, { iss: ISS_A })}` }) },
  ])('$description', async ({ headers }) => {
    const answer = await graphql(await headers());
    expect(answer.status).toBe(200);
    expect((answer.body as { data: { services: { services: Array<{ name: string }> } } }).data.services.services.length).toBeGreaterThan(0);
  });
});

describe('every API Tracegate serves', () => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin()}${path}`, { headers });

  it.each([
    { path: '/api/services', body: { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 401, msg: UNAUTHENTICATED_MESSAGE }] } },
    {
      path: '/api/traces?service=frontend',
      body: { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 401, msg: UNAUTHENTICATED_MESSAGE }] },
    },
    { path: '/api/v3/services', body: { error: { httpCode: 401, message: UNAUTHENTICATED_MESSAGE } } },
    { path: '/', body: GRAPHQL_REFUSAL },
    { path: '/no/such/route', body: GRAPHQL_REFUSAL },
    { path: '/healthz/../graphql', body: GRAPHQL_REFUSAL },
    { path: `/graphql?query=${encodeURIComponent(SERVICES)}`, body: GRAPHQL_REFUSAL },
  ])('refuses $path without credentials in its own JSON shape', async ({ path, body }) => {
    const response = await get(path);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual(body);
  });

  it.each(['/api/v2/services', '/api/v2/traces?serviceName=frontend', '/zipkin/api/v2/services', '/zipkin/config.json'])(
    'refuses the Zipkin path %s without credentials in plain text',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe(UNAUTHENTICATED_MESSAGE);
    },
  );

  it.each(['/api/services', '/api/v3/services', '/api/v2/services', '/zipkin/api/v2/services', '/'])('serves %s with a valid token', async (path) => {
    const response = await get(path, bearer(await signToken(keyA, { iss: ISS_A })));
    expect(response.status).toBe(200);
  });

  it('serves the Jaeger API to the API key', async () => {
    const response = await get('/api/services', { 'x-api-key': apiKey });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: string[] }).data.length).toBeGreaterThan(0);
  });

  it.each(['/healthz', '/readyz', '/metrics', '/explorer', '/explorer/assets/explorer.js', '/explorer/assets/graphiql.css'])(
    'leaves %s open',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(200);
    },
  );
});
