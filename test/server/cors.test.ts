/**
 * CORS over HTTP with authentication on (API keys): a listed origin's preflight is answered before
 * authentication, on GraphQL, the Jaeger API (v1 and api_v3), the Zipkin API and Lens's copy of it; an
 * origin not on the list gets no CORS header at all; the credentials rules; `*` with credentials refused
 * at start-up; Apollo's CSRF prevention still refuses a simple cross-origin POST.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

const PORTAL = 'https://portal.example.com';
const STRANGER = 'https://evil.example';
const SERVICES = '{ services { services { name } } }';
const key = randomBytes(32).toString('base64url');
const apiKeys = [{ id: 'portal', sha256: createHash('sha256').update(key).digest('hex'), tenants: ['team-a'] }];

/** Every API the gateway serves, by a path a browser would call. */
const PATHS = [
  { api: 'GraphQL', path: '/graphql' },
  { api: 'Jaeger v1', path: '/api/services' },
  { api: 'Jaeger api_v3', path: '/api/v3/services' },
  { api: 'Zipkin', path: '/api/v2/services' },
  { api: "Lens's copy of the Zipkin API", path: '/zipkin/api/v2/services' },
];

let gateway: TestGateway;
let base: string;

beforeAll(async () => {
  gateway = await startGateway({
    auth: { mode: 'apiKey', apiKeys },
    server: { cors: { enabled: true, origins: [PORTAL], credentials: true } },
  });
  base = new URL(gateway.url).origin;
});
afterAll(async () => {
  await gateway?.close();
});

const preflight = (path: string, origin: string): Promise<Response> =>
  fetch(`${base}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key' },
  });

const corsHeadersOf = (response: Response): string[] => [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('preflight with authentication on', () => {
  for (const { api, path } of PATHS) {
    it(`answers a listed origin's preflight without credentials (${api})`, async () => {
      const response = await preflight(path, PORTAL);
      expect(response.status).toBe(204);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(response.headers.get('access-control-allow-origin')).toBe(PORTAL);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'content-type, authorization, x-api-key, apollo-require-preflight, x-apollo-operation-name, traceparent',
      );
      expect(response.headers.get('access-control-max-age')).toBe('600');
      expect(response.headers.get('vary')).toMatch(/\borigin\b/i);
    });

    it(`gives an unlisted origin's preflight no CORS header (${api})`, async () => {
      const response = await preflight(path, STRANGER);
      expect(corsHeadersOf(response)).toEqual([]);
      expect(response.status).toBe(401);
    });
  }
});

describe('requests from a browser', () => {
  it('lets a listed origin read an authenticated answer and X-Tracegate-Partial', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { origin: PORTAL, 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ query: SERVICES }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-expose-headers')).toBe('x-tracegate-partial');
  });

  it("lets a listed origin read a 401, so the portal's script can tell the user to sign in", async () => {
    const response = await fetch(`${base}/api/services`, { headers: { origin: PORTAL } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(PORTAL);
  });

  it('sends no CORS header to an unlisted origin, even with valid credentials', async () => {
    const response = await fetch(`${base}/api/services`, { headers: { origin: STRANGER, 'x-api-key': key } });
    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual([]);
  });

  it('sends no CORS header to a request without Origin (same origin, curl)', async () => {
    const response = await fetch(`${base}/api/services`, { headers: { 'x-api-key': key } });
    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual([]);
  });
});

describe('credentials rules', () => {
  it("answers '*' to any origin and never allows credentials with it", async () => {
    const open = await startGateway({ server: { cors: { enabled: true, origins: ['*'] } } });
    try {
      const origin = new URL(open.url).origin;
      const response = await fetch(`${origin}/api/services`, {
        method: 'OPTIONS',
        headers: { origin: STRANGER, 'access-control-request-method': 'GET' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await open.close();
    }
  });

  it('sends no Allow-Credentials when credentials is false (the default)', async () => {
    const listed = await startGateway({ server: { cors: { enabled: true, origins: [PORTAL] } } });
    try {
      const response = await fetch(`${new URL(listed.url).origin}/api/services`, { headers: { origin: PORTAL } });
      expect(response.headers.get('access-control-allow-origin')).toBe(PORTAL);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await listed.close();
    }
  });

  it('sends no CORS header when CORS is off (the default)', async () => {
    const off = await startGateway({ server: { cors: { origins: [PORTAL] } } });
    try {
      const response = await fetch(`${new URL(off.url).origin}/api/services`, { headers: { origin: PORTAL } });
      expect(corsHeadersOf(response)).toEqual([]);
    } finally {
      await off.close();
    }
  });

  const refusals = [
    {
      description: "'*' with credentials",
      cors: { enabled: true, origins: ['*'], credentials: true },
      message: "server.cors.origins: '*' cannot be used with credentials: true",
    },
    {
      description: 'an origin with a trailing slash',
      cors: { enabled: true, origins: ['https://portal.example.com/'] },
      message: 'server.cors.origins[0]: an origin is scheme://host[:port]',
    },
    {
      description: 'an origin with upper-case letters (browsers send it lower-case)',
      cors: { enabled: true, origins: ['https://Portal.example.com'] },
      message: 'server.cors.origins[0]: an origin is scheme://host[:port]',
    },
  ];
  for (const { description, cors, message } of refusals) {
    it(`refuses ${description} at start-up`, async () => {
      await expect(startGateway({ server: { cors } })).rejects.toThrow(message);
    });
  }
});

describe("Apollo's CSRF prevention with CORS on", () => {
  it('refuses a simple cross-origin POST (text/plain) before it executes', async () => {
    const demo = await startGateway({ server: { cors: { enabled: true, origins: [PORTAL] } } });
    try {
      const response = await fetch(demo.url, {
        method: 'POST',
        headers: { origin: PORTAL, 'content-type': 'text/plain' },
        body: JSON.stringify({ query: SERVICES }),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
    } finally {
      await demo.close();
    }
  });
});
