/**
 * Tenant grants end to end over HTTP on the demo store (src/tenancy/): which backends and services a
 * tenant sees on GraphQL, the Jaeger API and the Zipkin API, and the caller's bearer token forwarded
 * only to the backends its grant names, never cached for them. Authentication by API key
 * (src/auth/); the real multi-tenant Jaeger proof is test/integration/tenancy/gateway-tenancy.int.test.ts.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoSpans } from '../../src/demo/index.js';
import { nowMicros } from '../../src/model/index.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { ScriptedBackend } from '../support/scripted-backend.js';
import { signingKey, signToken, startJwksServer } from '../auth/identity-provider.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const KEY = 'k-services-only-0123456789abcdef0123456789';
const SPANS = generateDemoSpans({ seed: 42, nowUs: nowMicros() });
const SERVICES = [...new Set(SPANS.map((s) => s.service))].sort();
const VISIBLE = SERVICES.slice(0, 2);

describe('a tenant limited to services', () => {
  let gw: TestGateway;
  let origin: string;
  const headers = { 'x-api-key': KEY };
  beforeAll(async () => {
    gw = await startGateway({
      auth: { mode: 'apiKey', apiKeys: [{ id: 'portal', sha256: sha256(KEY), tenants: ['shop'] }] },
      backends: [{ name: 'demo', kind: 'memory', demo: true }],
      tenants: { shop: { backends: ['demo'], services: VISIBLE } },
    });
    origin = new URL(gw.url).origin;
  });
  afterAll(() => gw.close());

  it('lists only its services and no attribute names; another service’s operations are empty', async () => {
    const answer = await gw.query('{ services { services { name } } attributeKeys { names { name } } }', {}, headers);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.services.services.map((s: any) => s.name)).toEqual(VISIBLE);
    expect(answer.data.attributeKeys.names).toEqual([]);
    const hidden = SERVICES.find((s) => !VISIBLE.includes(s))!;
    const ops: any = await (await fetch(`${origin}/api/services/${hidden}/operations`, { headers })).json();
    expect(ops.data).toBeNull();
    expect(await (await fetch(`${origin}/api/v2/services`, { headers })).json()).toEqual(VISIBLE.map((s) => s.toLowerCase()).sort());
  });

  it('sees a trace only through its services’ spans; a trace without one is not found', async () => {
    const byTrace = new Map<string, Set<string>>();
    for (const s of SPANS) {
      const set = byTrace.get(s.traceId) ?? new Set();
      set.add(s.service);
      byTrace.set(s.traceId, set);
    }
    const mixed = [...byTrace].find(
      ([, services]) => [...services].some((s) => VISIBLE.includes(s)) && [...services].some((s) => !VISIBLE.includes(s)),
    );
    const none = [...byTrace].find(([, services]) => ![...services].some((s) => VISIBLE.includes(s)));
    expect(mixed && none, 'the demo data has a mixed trace and one without the visible services').toBeTruthy();
    const doc = 'query ($id: ID!) { trace(id: $id) { spans { service } } }';
    const seen = await gw.query(doc, { id: mixed![0] }, headers);
    const services = new Set(seen.data.trace.spans.map((s: any) => s.service));
    expect([...services].every((s) => VISIBLE.includes(s as string))).toBe(true);
    expect((await gw.query(doc, { id: none![0] }, headers)).data.trace).toBeNull();
    expect((await fetch(`${origin}/api/traces/${none![0]}`, { headers })).status).toBe(404);
  });
});

describe('bearer pass-through', () => {
  it('sends the caller’s token only to the backends its grant names, and never caches their answers', async () => {
    const key = await signingKey('k1');
    const jwks = await startJwksServer([key]);
    const passing = new ScriptedBackend('passing', { services: ['a'] });
    const plain = new ScriptedBackend('plain', { services: ['b'] });
    const gw = await startGateway(
      {
        auth: { mode: 'jwt', jwt: { issuers: [{ issuer: 'https://idp.test', audiences: ['tracegate'], jwksUrl: jwks.url, algorithms: ['RS256'] }] } },
        backends: [
          { name: 'passing', kind: 'memory' },
          { name: 'plain', kind: 'memory' },
        ],
        tenants: { t: { backends: ['passing', 'plain'], passBearerTo: ['passing'] } },
      },
      [passing, plain],
    );
    try {
      const token = await signToken(key, { iss: 'https://idp.test', claims: { tenant: 't' } });
      const auth = { authorization: `Bearer ${token}` };
      for (let i = 0; i < 2; i++) {
        const answer = await gw.query('{ services { services { name } } }', {}, auth);
        expect(answer.data.services.services.map((s: any) => s.name)).toEqual(['a', 'b']);
      }
      const calls = (b: ScriptedBackend) => b.received.filter((r) => r.method === 'getServices');
      // `passing` is asked both times (never cached for this scope), with the caller's token.
      expect(calls(passing).map((r) => r.call.headers)).toEqual([auth, auth]);
      // `plain` gets no token, and its answer is cached: asked once.
      expect(calls(plain).map((r) => r.call.headers)).toEqual([undefined]);
    } finally {
      await gw.close();
      await jwks.close();
    }
  });
});
