/**
 * The rate limit over HTTP with authentication on (API keys): a budget per principal, so two principals
 * from one IP are limited apart; per IP for the anonymous and for refused credentials; 429
 * RATE_LIMITED in the shape of each API; /healthz, /readyz and /metrics (on the API port and on a port
 * of their own) never limited; and `server.trustProxy` deciding whether X-Forwarded-For names the IP.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

const MAX = 3;
const SERVICES = '{ services { services { name } } }';
const keyA = randomBytes(32).toString('base64url');
const keyB = randomBytes(32).toString('base64url');
const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex');
const auth = {
  mode: 'apiKey',
  apiKeys: [
    { id: 'dashboard', sha256: sha256(keyA), tenants: ['team-a'] },
    { id: 'ci', sha256: sha256(keyB), tenants: ['team-a'] },
  ],
};
const rateLimit = { enabled: true, max: MAX, windowMs: 60_000 };

const originOf = (gateway: TestGateway): string => new URL(gateway.url).origin;
const statusOf = async (url: string, headers: Record<string, string> = {}): Promise<number> => (await fetch(url, { headers })).status;
/** `count` sequential GETs; their statuses in order. */
async function statuses(url: string, count: number, headers: Record<string, string> = {}): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) seen.push(await statusOf(url, headers));
  return seen;
}
const ok = (count: number): number[] => Array<number>(count).fill(200);

describe('a budget per principal', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ auth, server: { rateLimit } });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('gives two principals from one IP a budget each', async () => {
    const services = `${originOf(gateway)}/api/services`;
    expect(await statuses(services, MAX + 1, { 'x-api-key': keyA })).toEqual([...ok(MAX), 429]);
    expect(await statuses(services, MAX + 1, { 'x-api-key': keyB })).toEqual([...ok(MAX), 429]);
  });

  // Runs after the budgets above are spent.
  const shapes = [
    {
      description: 'GraphQL: errors[] with RATE_LIMITED',
      request: (_origin: string, graphqlUrl: string) =>
        fetch(graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': keyA },
          body: JSON.stringify({ query: SERVICES }),
        }),
      body: async (response: Response) => {
        const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
        expect(body.errors.map((e) => e.extensions.code)).toEqual(['RATE_LIMITED']);
      },
    },
    {
      description: "Jaeger v1: the envelope's errors[] with code 429",
      request: (origin: string) => fetch(`${origin}/api/services`, { headers: { 'x-api-key': keyA } }),
      body: async (response: Response) => {
        expect(await response.json()).toMatchObject({ data: null, errors: [{ code: 429 }] });
      },
    },
    {
      description: 'Jaeger api_v3: {error: {httpCode: 429}}',
      request: (origin: string) => fetch(`${origin}/api/v3/services`, { headers: { 'x-api-key': keyA } }),
      body: async (response: Response) => {
        expect(await response.json()).toMatchObject({ error: { httpCode: 429 } });
      },
    },
    {
      description: 'Zipkin: plain text',
      request: (origin: string) => fetch(`${origin}/api/v2/services`, { headers: { 'x-api-key': keyA } }),
      body: async (response: Response) => {
        expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
        expect(await response.text()).toMatch(/^rate limit of 3 requests per 60000 ms exceeded/);
      },
    },
  ];
  for (const { description, request, body } of shapes) {
    it(`answers 429 in each API's shape with Retry-After (${description})`, async () => {
      const response = await request(originOf(gateway), gateway.url);
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      await body(response);
    });
  }

  it('never limits /healthz, /readyz or /metrics, even with every budget spent', async () => {
    const origin = originOf(gateway);
    expect(await statusOf(`${origin}/api/services`, { 'x-api-key': keyA })).toBe(429);
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect(await statuses(`${origin}${path}`, MAX * 3)).toEqual(ok(MAX * 3));
      expect(await statuses(`${origin}${path}`, MAX * 3, { 'x-api-key': keyA })).toEqual(ok(MAX * 3));
    }
  });
});

describe('a budget per IP', () => {
  it('limits anonymous callers (auth.mode none) per IP, health and metrics exempt', async () => {
    const gateway = await startGateway({ server: { rateLimit } });
    try {
      const origin = originOf(gateway);
      expect(await statuses(`${origin}/api/services`, MAX + 1)).toEqual([...ok(MAX), 429]);
      const third = await gateway.query(SERVICES);
      expect(third.status).toBe(429);
      expect(third.errors!.map((e) => e.extensions!.code)).toEqual(['RATE_LIMITED']);
      for (const path of ['/healthz', '/readyz', '/metrics']) expect(await statuses(`${origin}${path}`, MAX * 2)).toEqual(ok(MAX * 2));
    } finally {
      await gateway.close();
    }
  });

  it('shuts out an IP that spent its budget of refused credentials, before authentication', async () => {
    const gateway = await startGateway({ auth, server: { rateLimit } });
    try {
      const services = `${originOf(gateway)}/api/services`;
      expect(await statuses(services, MAX + 1, { 'x-api-key': 'forged' })).toEqual([...Array<number>(MAX).fill(401), 429]);
      // The documented price: a valid principal at the same address is shut out for the window too.
      expect(await statusOf(services, { 'x-api-key': keyA })).toBe(429);
      expect(await statusOf(`${originOf(gateway)}/healthz`)).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('never limits /metrics on a metrics port of its own', async () => {
    const gateway = await startGateway({ server: { rateLimit, metricsPort: 0 } });
    try {
      expect(await statuses(`${originOf(gateway)}/api/services`, MAX + 1)).toEqual([...ok(MAX), 429]);
      const [address] = gateway.server.metricsApp!.addresses();
      expect(await statuses(`http://127.0.0.1:${(address as AddressInfo).port}/metrics`, MAX * 2)).toEqual(ok(MAX * 2));
    } finally {
      await gateway.close();
    }
  });
});

describe('server.trustProxy', () => {
  const forwardedFor = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });
  const cases = [
    {
      description: 'off (the default): X-Forwarded-For is ignored, every request is the socket address',
      trustProxy: false,
      secondClient: [429, 429],
    },
    {
      description: 'the loopback proxy trusted: each X-Forwarded-For client has its own budget',
      trustProxy: ['127.0.0.1'],
      secondClient: [200, 200],
    },
    { description: 'true: every peer trusted', trustProxy: true, secondClient: [200, 200] },
    { description: 'another proxy trusted, not this peer: X-Forwarded-For is ignored', trustProxy: ['10.0.0.0/8'], secondClient: [429, 429] },
  ];
  for (const { description, trustProxy, secondClient } of cases) {
    it(description, async () => {
      const gateway = await startGateway({ server: { rateLimit: { ...rateLimit, max: 2 }, trustProxy } });
      try {
        const services = `${originOf(gateway)}/api/services`;
        expect(await statuses(services, 3, forwardedFor('203.0.113.7'))).toEqual([200, 200, 429]);
        expect(await statuses(services, 2, forwardedFor('198.51.100.9'))).toEqual(secondClient);
      } finally {
        await gateway.close();
      }
    });
  }

  it('counts IPv6 clients by /64, so one subscriber cannot walk its prefix for fresh budgets', async () => {
    const gateway = await startGateway({ server: { rateLimit: { ...rateLimit, max: 2 }, trustProxy: ['loopback'] } });
    try {
      const services = `${originOf(gateway)}/api/services`;
      expect(await statuses(services, 2, forwardedFor('2001:db8:1:2::1'))).toEqual([200, 200]);
      expect(await statusOf(services, forwardedFor('2001:db8:1:2:ffff::9'))).toBe(429);
      expect(await statusOf(services, forwardedFor('2001:db8:1:3::1'))).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('refuses a proxy entry that is no address, CIDR or proxy-addr name at start-up', async () => {
    await expect(startGateway({ server: { trustProxy: ['10.0.0.0/33'] } })).rejects.toThrow('server.trustProxy');
  });
});
