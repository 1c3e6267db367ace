/**
 * Tenancy through Tracegate on a real multi-tenant Jaeger (issue 14, Proof): tenant-a and tenant-b hold
 * different datasets in one Jaeger that refuses any request without an allowed `x-tenant`. Tracegate
 * authenticates callers by API key, finds each caller's tenant in its key's config (never in a header
 * the caller picks) and sends the tenant's own `x-tenant` through the grant's backend override. Proven
 * on every API (GraphQL, Jaeger v1, api_v3, Zipkin): each tenant sees its own services and traces and
 * never the other's, by id (a guessed id answers like an unknown one), by search and by service list,
 * with forged X-Tenant / x-tenant / X-Scope-OrgID headers, and through the cache (Redis keys inspected:
 * one scope per tenant, backend identities differ, no credential in any key).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { compactTraceId } from '../../../src/model/index.js';
import {
  hmacWithPublicKey,
  type JwksServer,
  type SigningKey,
  signingKey,
  signToken,
  startJwksServer,
  unsignedToken,
  withFlippedSignature,
  withPayload,
} from '../../auth/identity-provider.js';
import { type CountingProxy, startCountingProxy } from '../../support/counting-proxy.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { type MultiTenantJaeger, startMultiTenantJaeger } from '../../support/private-servers.js';
import { ensureTenantDatasetsLoaded } from '../../support/tenancy/load-tenants.js';
import type { Tenant } from '../../support/tenancy/multitenant-jaeger.js';
import type { TenantDataset } from '../../support/tenancy/tenant-datasets.js';
import { BACKEND_CONFIG } from '../../support/real-backends.js';

const KEYS = { 'tenant-a': 'key-a-0123456789abcdef0123456789abcdef', 'tenant-b': 'key-b-0123456789abcdef0123456789abcdef' } as const;
const ADMIN_KEY = 'key-admin-0123456789abcdef0123456789ab';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const other = (tenant: Tenant): Tenant => (tenant === 'tenant-a' ? 'tenant-b' : 'tenant-a');
const PREFIX = `tg-it-tenancy-${process.pid}-${Date.now()}:`;

let jaeger: MultiTenantJaeger;
let proxy: CountingProxy;
let data: Record<Tenant, TenantDataset>;
let gw: TestGateway;
let origin: string;
let redis: Redis;

beforeAll(async () => {
  jaeger = await startMultiTenantJaeger();
  data = await ensureTenantDatasetsLoaded(jaeger);
  proxy = await startCountingProxy(jaeger.queryUrl);
  gw = await tenancyGateway(PREFIX);
  origin = new URL(gw.url).origin;
  redis = new Redis({ host: ENDPOINTS.redis.host, port: ENDPOINTS.redis.port, lazyConnect: true });
}, 300_000);

afterAll(async () => {
  if (redis) {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  await gw?.close();
  await proxy?.close();
  await jaeger?.stop();
});

/** The gateway under test: API keys per tenant and an admin key, the multi-tenant Jaeger (behind the proxy) and the shared Zipkin, Redis under `prefix`. */
function tenancyGateway(prefix: string): Promise<TestGateway> {
  return startGateway({
    auth: {
      mode: 'apiKey',
      apiKeys: [
        { id: 'portal-a', sha256: sha256(KEYS['tenant-a']), tenants: ['tenant-a'] },
        { id: 'portal-b', sha256: sha256(KEYS['tenant-b']), tenants: ['tenant-b'] },
        { id: 'ops', sha256: sha256(ADMIN_KEY), tenants: [], admin: true },
      ],
    },
    backends: [{ kind: 'jaeger', name: 'mt', url: proxy.url, headers: { 'x-tenant': 'tenant-a' } }, BACKEND_CONFIG.zipkin],
    tenants: {
      'tenant-a': { backends: ['mt'], backendOverrides: { mt: { headers: { 'x-tenant': 'tenant-a' } } } },
      'tenant-b': { backends: ['mt'], backendOverrides: { mt: { headers: { 'X-Tenant': 'tenant-b' } } } },
    },
    cache: { redis: { url: `redis://${ENDPOINTS.redis.host}:${ENDPOINTS.redis.port}`, keyPrefix: prefix } },
  });
}

const as = (tenant: Tenant, extra: Record<string, string> = {}) => ({ 'x-api-key': KEYS[tenant], ...extra });

async function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: any; text: string }> {
  const response = await fetch(`${origin}${path}`, { headers, signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, text };
}

const TRACE = 'query ($id: ID!) { trace(id: $id) { spanCount spans { service } } }';
const SERVICES = '{ services { services { name } } }';

describe.each(['tenant-a', 'tenant-b'] as const)('%s through every API', (tenant) => {
  const mine = () => data[tenant];
  const theirs = () => data[other(tenant)];

  it('GraphQL lists its services only, finds its traces and not the other tenant’s (a guessed id is an unknown id)', async () => {
    const services = await gw.query(SERVICES, {}, as(tenant));
    expect(services.errors).toBeUndefined();
    expect(services.data.services.services.map((s: any) => s.name).sort()).toEqual(mine().services);
    for (const id of mine().traceIds) {
      const trace = await gw.query(TRACE, { id: compactTraceId(id) }, as(tenant));
      expect(trace.errors, compactTraceId(id)).toBeUndefined();
      expect(trace.data.trace?.spanCount, compactTraceId(id)).toBe(mine().spans.filter((s) => s.traceId === id).length);
    }
    for (const id of theirs().traceIds) {
      const guessed = await gw.query(TRACE, { id: compactTraceId(id) }, as(tenant));
      expect(guessed.data.trace, compactTraceId(id)).toBeNull();
      expect(guessed.errors).toBeUndefined();
    }
  });

  it('Jaeger v1, api_v3 and Zipkin list its services only and answer the other tenant’s trace ids as unknown', async () => {
    const v1 = await get('/api/services', as(tenant));
    expect([...v1.body.data].sort()).toEqual(mine().services);
    const v3 = await get('/api/v3/services', as(tenant));
    expect([...v3.body.services].sort()).toEqual(mine().services);
    const zipkin = await get('/api/v2/services', as(tenant));
    // Zipkin lower-cases service names; the dataset's are lower case already.
    expect(zipkin.body).toEqual(mine().services);
    const theirId = compactTraceId(theirs().marker);
    expect((await get(`/api/traces/${theirId}`, as(tenant))).status).toBe(404);
    expect((await get(`/api/v3/traces/${theirId}`, as(tenant))).status).toBe(404);
    expect((await get(`/api/v2/trace/${theirId}`, as(tenant))).status).toBe(404);
    const myId = compactTraceId(mine().marker);
    expect((await get(`/api/traces/${myId}`, as(tenant))).body.data[0].traceID).toBe(myId);
    expect((await get(`/api/v2/trace/${myId}`, as(tenant))).status).toBe(200);
  });

  it('searching by the other tenant’s service finds nothing, on GraphQL, Jaeger v1 and Zipkin', async () => {
    const service = theirs().services[0]!;
    const endUs = Date.now() * 1000 + 3_600_000_000;
    const startUs = endUs - 2 * 3_600_000_000 - 1_200_000_000;
    const search = await gw.query(
      'query ($q: TraceQueryInput!) { searchTraces(query: $q) { traces { traceId } } }',
      { q: { service, startTime: new Date(startUs / 1000).toISOString(), endTime: new Date(endUs / 1000).toISOString() } },
      as(tenant),
    );
    expect(search.data?.searchTraces?.traces ?? []).toEqual([]);
    const v1 = await get(`/api/traces?service=${service}&start=${startUs}&end=${endUs}&limit=100`, as(tenant));
    expect(v1.body.data).toEqual([]);
    const zipkin = await get(`/api/v2/traces?serviceName=${service}&endTs=${Math.floor(endUs / 1000)}&lookback=${3 * 3_600_000}`, as(tenant));
    expect(zipkin.body).toEqual([]);
  });

  it('forged tenant headers never reach the other tenant: X-Tenant naming it is FORBIDDEN, X-Scope-OrgID is ignored', async () => {
    const forged = await get('/api/services', as(tenant, { 'x-tenant': other(tenant) }));
    expect(forged.status).toBe(403);
    expect(forged.body.errors[0].code).toBe(403);
    const graphql = await gw.query(SERVICES, {}, as(tenant, { 'X-Tenant': other(tenant) }));
    expect(graphql.status).toBe(403);
    expect(graphql.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const orgId = await get('/api/services', as(tenant, { 'x-scope-orgid': other(tenant) }));
    expect([...orgId.body.data].sort()).toEqual(mine().services);
    // Its own tenant named explicitly is fine.
    expect((await get('/api/services', as(tenant, { 'x-tenant': tenant }))).status).toBe(200);
  });
});

describe('grants, credentials and the admin grant', () => {
  it('a backend outside the grant is FORBIDDEN; the default set shrinks to the granted backends', async () => {
    const named = await gw.query('{ services(backends: ["zipkin"]) { services { name } } }', {}, as('tenant-a'));
    expect(named.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const outcomes = await gw.query('{ services { backendStatus { backend } } }', {}, as('tenant-a'));
    expect(outcomes.data.services.backendStatus.map((s: any) => s.backend)).toEqual(['mt']);
  });

  it('no credentials: 401 on every API; a tenant key cannot read Query.backends or Query.cache, the admin key can', async () => {
    expect((await get('/api/services', {})).status).toBe(401);
    expect((await gw.query(SERVICES, {})).status).toBe(401);
    const denied = await gw.query('{ backends { name } }', {}, as('tenant-a'));
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const cacheDenied = await gw.query('{ cache { enabled } }', {}, as('tenant-b'));
    expect(cacheDenied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const admin = await gw.query('{ backends { name } cache { enabled } }', {}, { 'x-api-key': ADMIN_KEY });
    expect(admin.errors).toBeUndefined();
    expect(admin.data.backends.map((b: any) => b.name)).toEqual(['mt', 'zipkin']);
  });
});

describe('the cache keeps tenants apart by construction', () => {
  it('a second tenant misses where the first hit; each backend call carries its own tenant; Redis keys hold no credential', async () => {
    // A gateway of its own, with empty caches (in-process and Redis).
    const prefix = `${PREFIX}fresh:`;
    const fresh = await tenancyGateway(prefix);
    onTestFinished(() => fresh.close());
    const id = compactTraceId(data['tenant-a'].marker);
    proxy.reset();
    await fresh.query(TRACE, { id }, as('tenant-a'));
    await fresh.query(TRACE, { id }, as('tenant-a'));
    const afterA = proxy.requests.filter((r) => r.call.includes(id.slice(-16)) || r.call.includes(id));
    expect(afterA.length, proxy.calls.join('\n')).toBe(1); // the second was a hit
    await fresh.query(TRACE, { id }, as('tenant-b'));
    const calls = proxy.requests.filter((r) => r.call.includes(id.slice(-16)) || r.call.includes(id));
    expect(calls.length, 'tenant-b must miss where tenant-a hit').toBe(2);
    const headerValues = (raw: string[]) => raw.flatMap((name, i) => (i % 2 === 0 && name.toLowerCase() === 'x-tenant' ? [raw[i + 1]] : []));
    expect(calls.map((c) => headerValues(c.rawHeaders))).toEqual([['tenant-a'], ['tenant-b']]);
    // tenant-b does not hold tenant-a's trace (a miss is not stored); its own trace gives it an entry.
    await fresh.query(TRACE, { id: compactTraceId(data['tenant-b'].marker) }, as('tenant-b'));

    await redis.connect().catch(() => {});
    // Redis writes are fire-and-forget after the answer: wait (bounded) for both tenants' entries.
    const scopeOf = (k: string) => k.slice(prefix.length).split(':')[1];
    let keys: string[] = [];
    for (let i = 0; i < 50; i++) {
      keys = await redis.keys(`${prefix}*`);
      if (new Set(keys.map(scopeOf)).size >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(keys.length).toBeGreaterThan(0);
    // Keys are <prefix><version>:<scope>:<backend>@<fingerprint>:…; the scope is the tenant's name, hashed.
    const scopes = new Set(keys.map(scopeOf));
    expect(scopes.size, keys.join('\n')).toBe(2);
    expect(scopes.has('public')).toBe(false);
    for (const key of keys) {
      for (const secret of [...Object.values(KEYS), ADMIN_KEY]) expect(key).not.toContain(secret);
    }
    const identities = new Set(keys.filter((k) => k.includes('mt@')).map((k) => k.match(/mt@[^:]+/)?.[0]));
    expect(identities.size, [...identities].join(' ')).toBe(2);
  });
});

describe('JWT callers on the real multi-tenant Jaeger: tenant from the token, forgeries refused, audited', () => {
  const ISSUER = 'https://idp.tracegate.test';
  let jwks: JwksServer;
  let keys: SigningKey[];
  let jwtGw: TestGateway;
  let auditDir: string;

  beforeAll(async () => {
    keys = [await signingKey('k1'), await signingKey('k2')];
    jwks = await startJwksServer([keys[0]!]);
    auditDir = mkdtempSync(join(tmpdir(), 'tg-audit-int-'));
    jwtGw = await startGateway({
      auth: {
        mode: 'jwt',
        jwt: { issuers: [{ issuer: ISSUER, audiences: ['tracegate'], jwksUrl: jwks.url, algorithms: ['RS256'] }], jwksCooldownSeconds: 0 },
      },
      backends: [{ kind: 'jaeger', name: 'mt', url: jaeger.queryUrl }],
      tenants: {
        'tenant-a': { backends: ['mt'], backendOverrides: { mt: { headers: { 'x-tenant': 'tenant-a' } } } },
        'tenant-b': { backends: ['mt'], backendOverrides: { mt: { headers: { 'x-tenant': 'tenant-b' } } } },
      },
      audit: { enabled: true, sink: 'file', file: join(auditDir, 'audit.jsonl') },
    });
  }, 60_000);
  afterAll(async () => {
    await jwtGw?.close();
    await jwks?.close();
    rmSync(auditDir, { recursive: true, force: true });
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('each token sees its tenant’s services only, also after the identity provider rotates its keys', async () => {
    const a = await signToken(keys[0]!, { iss: ISSUER, sub: 'alice', claims: { tenant: 'tenant-a' } });
    const answer = await jwtGw.query(SERVICES, {}, bearer(a));
    expect(answer.data.services.services.map((s: any) => s.name).sort()).toEqual(data['tenant-a'].services);
    jwks.serve([keys[1]!]);
    const b = await signToken(keys[1]!, { iss: ISSUER, sub: 'bob', claims: { tenant: 'tenant-b' } });
    const rotated = await jwtGw.query(SERVICES, {}, bearer(b));
    expect(rotated.data.services.services.map((s: any) => s.name).sort()).toEqual(data['tenant-b'].services);
  });

  it('refuses every forgery with 401 UNAUTHENTICATED and the same message, leaking no data', async () => {
    const key = keys[1]!;
    const claims = { tenant: 'tenant-a' };
    const forged = [
      await signToken(key, { iss: ISSUER, claims, expiresIn: -120 }),
      await signToken(key, { iss: ISSUER, claims, notBeforeIn: 600 }),
      await signToken(key, { iss: ISSUER, claims, aud: 'someone-else' }),
      await signToken(key, { iss: 'https://evil.test', claims }),
      unsignedToken({ iss: ISSUER, claims }),
      await hmacWithPublicKey(key, { iss: ISSUER, claims }),
      withPayload(await signToken(key, { iss: ISSUER, claims: { tenant: 'tenant-b' } }), {
        iss: ISSUER,
        sub: 'alice',
        aud: 'tracegate',
        tenant: 'tenant-a',
        exp: Math.floor(Date.now() / 1000) + 600,
      }),
      withFlippedSignature(await signToken(key, { iss: ISSUER, claims })),
    ];
    const messages = new Set<string>();
    for (const token of forged) {
      const answer = await jwtGw.query(SERVICES, {}, bearer(token));
      expect(answer.status).toBe(401);
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      messages.add(answer.errors![0]!.message);
      const v1 = await get('/api/services', bearer(token)).catch(() => null);
      expect(v1).not.toBeNull();
    }
    expect(messages.size).toBe(1);
  });

  it('writes an audit line per request with the token’s principal and tenant and the backend’s outcome, never the token', async () => {
    const token = await signToken(keys[1]!, { iss: ISSUER, sub: 'carol', claims: { tenant: 'tenant-b' } });
    const id = compactTraceId(data['tenant-b'].marker);
    await jwtGw.query('query Audited($id: ID!) { trace(id: $id) { spanCount } }', { id }, bearer(token));
    const file = join(auditDir, 'audit.jsonl');
    let line: any;
    for (let i = 0; i < 50 && line === undefined; i++) {
      const lines = existsSync(file)
        ? readFileSync(file, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];
      line = lines.find((l) => l.operation === 'Audited');
      if (line === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(line).toMatchObject({
      principal: `jwt:${ISSUER}|carol`,
      tenant: 'tenant-b',
      api: 'graphql',
      status: 200,
      outcome: 'ok',
      traceIds: [id],
      backends: [{ name: 'mt', outcome: 'OK' }],
    });
    expect(readFileSync(file, 'utf8')).not.toContain(token.split('.')[2]!);
  });
});
