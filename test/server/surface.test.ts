/**
 * What every caller reaches besides GraphQL itself: security headers on every response, an explorer
 * that other origins cannot frame but that still loads under its Content-Security-Policy, /metrics
 * on a port of its own when configured, and errors that never echo a caller's input whole.
 */
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

function directives(csp: string | null): Map<string, string[]> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('security headers and the explorer', () => {
  let gateway: TestGateway;
  let origin: string;
  beforeAll(async () => {
    gateway = await startGateway();
    origin = new URL(gateway.url).origin;
  });
  afterAll(() => gateway.close());

  it.each(['/graphql?query=%7Bbackends%7Bname%7D%7D', '/explorer', '/healthz', '/metrics', '/no-such-page'])('sends them on %s', async (path) => {
    const response = await fetch(`${origin}${path}`, { headers: { 'apollo-require-preflight': '1' } });
    const csp = directives(response.headers.get('content-security-policy'));
    expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    // Plain HTTP behind a TLS terminator: HSTS belongs to whatever holds the certificate.
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('serves an explorer whose every script, style and fetch its CSP allows', async () => {
    const response = await fetch(`${origin}/explorer`);
    expect(response.status).toBe(200);
    const csp = directives(response.headers.get('content-security-policy'));
    const html = await response.text();
    // Scripts: files from this origin only; no inline script (script-src has no 'unsafe-inline').
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    for (const [, attributes, body] of scripts) {
      expect(body!.trim()).toBe('');
      expect(attributes).toMatch(/src="\/explorer\/assets\/[a-z-]+\.js"/);
    }
    // Inline <style> (the page's, and those react-remove-scroll adds for GraphiQL's dialogs).
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    for (const source of sources) {
      expect(source.startsWith('/')).toBe(true); // same origin
      const asset = await fetch(`${origin}${source}`);
      expect(asset.status, source).toBe(200);
      const text = await asset.text();
      if (source.endsWith('.css')) {
        // graphiql.css embeds its fonts and images as data: URIs, nothing from elsewhere.
        const urls = [...text.matchAll(/url\((["']?)([^)"']+)\1\)/g)].map((m) => m[2]!);
        expect(urls.every((u) => u.startsWith('data:font/') || u.startsWith('data:image/'))).toBe(true);
        expect(csp.get('font-src')).toContain('data:');
        expect(csp.get('img-src')).toContain('data:');
      }
      if (source.endsWith('/explorer.js')) expect(text).toContain('url: "/graphql"');
    }
    // GraphiQL fetches the GraphQL endpoint on this origin.
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });
});

describe('/metrics on a port of its own', () => {
  it('serves the metrics there and not on the API port', async () => {
    const gateway = await startGateway({ server: { metricsPort: 0 } });
    onTestFinished(() => gateway.close());
    const metricsApp = gateway.server.metricsApp;
    expect(metricsApp).toBeDefined();
    const [address] = metricsApp!.addresses();
    const metrics = await fetch(`http://127.0.0.1:${(address as AddressInfo).port}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('tracegate_backend_call_seconds');
    expect((await fetch(`${new URL(gateway.url).origin}/metrics`)).status).toBe(404);
  });

  it('serves them on the API port by default', async () => {
    const gateway = await startGateway();
    onTestFinished(() => gateway.close());
    expect(gateway.server.metricsApp).toBeUndefined();
    expect((await fetch(`${new URL(gateway.url).origin}/metrics`)).status).toBe(200);
  });
});

describe('echoes of what a caller sent', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it.each([
    {
      description: 'a 100 KB invalid trace id',
      query: 'query ($id: ID!) { trace(id: $id) { traceId } }',
      variables: { id: 'z'.repeat(100_000) },
      code: 'INVALID_TRACE_ID',
    },
    {
      description: 'a 100 KB invalid trace id literal',
      query: `{ trace(id: "${'z'.repeat(100_000)}") { traceId } }`,
      variables: {},
      code: 'INVALID_TRACE_ID',
    },
    {
      description: 'a 100 KB string for an Int',
      query: 'query ($first: Int) { searchTraces(query: {}, first: $first) { totalCount } }',
      variables: { first: 'q'.repeat(100_000) },
      code: 'BAD_USER_INPUT',
    },
    {
      description: 'a 100 KB lookback',
      query: 'query ($l: String) { searchTraces(query: { window: { lookback: $l } }) { totalCount } }',
      variables: { l: 'w'.repeat(100_000) },
      code: 'BAD_USER_INPUT',
    },
  ])('cuts $description in the error', async ({ query, variables, code }) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    expect(text.length).toBeLessThan(2_000);
    const body = JSON.parse(text) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe(code);
  });

  it('still accepts a short trace id, left-padded, as the schema says', async () => {
    const response = await gateway.query('{ trace(id: "ab") { traceId } }');
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ trace: null });
  });
});

describe("Apollo's landing page", () => {
  it('is not served: it loads scripts from a CDN the policy forbids; /explorer is the explorer', async () => {
    const gateway = await startGateway();
    onTestFinished(() => gateway.close());
    const response = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type')).not.toContain('text/html');
    expect(await response.text()).not.toContain('cdn.apollographql.com');
  });
});

describe('a request whose Host names no host', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  /** Sends `head` on a raw socket (fetch always sends a proper Host) and returns the status line and body. */
  function raw(head: string): Promise<{ status: string; body: string }> {
    const { port } = new URL(gateway.url);
    return new Promise((resolve) => {
      let answer = '';
      const socket = connect({ host: '127.0.0.1', port: Number(port) });
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => void (answer += chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ status: answer.split('\r\n')[0] ?? '', body: answer.split('\r\n\r\n').slice(1).join('\r\n\r\n') }));
      socket.write(head);
    });
  }

  const body = '{"query":"{ backends { name } }"}';
  it.each([
    {
      description: 'an HTTP/1.0 request without Host',
      head: `POST /graphql HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    },
    {
      description: 'a Host with a space',
      head: `POST /graphql HTTP/1.1\r\nHost: a b\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    },
  ])('answers $description with 400 BAD_REQUEST, not 500', async ({ head }) => {
    const answer = await raw(head);
    expect(answer.status).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(answer.body)).toEqual({
      errors: [{ message: 'the request needs a Host header that names a host', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('judges every Host on its own, whatever it judged before (verdicts are remembered per host)', async () => {
    const request = (host: string, path = '/graphql') =>
      raw(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    const statuses: string[] = [];
    for (const host of ['a b', 'tracegate.example', 'a b', 'tracegate.example', 'x y:80']) statuses.push((await request(host)).status);
    expect(statuses).toEqual([
      'HTTP/1.1 400 Bad Request',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 400 Bad Request',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 400 Bad Request',
    ]);
  });

  it("still answers a load balancer's HTTP/1.0 health check without Host", async () => {
    const answer = await raw('GET /healthz HTTP/1.0\r\n\r\n');
    expect(answer.status).toBe('HTTP/1.1 200 OK');
  });
});

describe('a path no route serves', () => {
  it('is 404 with at most 200 characters of the path repeated', async () => {
    const gateway = await startGateway();
    onTestFinished(() => gateway.close());
    const response = await fetch(`${new URL(gateway.url).origin}/${'p'.repeat(10_000)}`);
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text.length).toBeLessThan(400);
    expect(JSON.parse(text)).toMatchObject({ error: 'Not Found', statusCode: 404 });
  });
});
