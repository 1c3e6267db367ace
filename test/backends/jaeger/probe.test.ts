/**
 * Jaeger's API probe (`api: auto`) under per-call credentials, against a scripted server on 127.0.0.1
 * that serves api_v3 only to a good bearer token and has no v1 API (as behind a proxy that passes
 * only api_v3). A caller whose token is refused must not make the backend conclude that the server
 * has neither API: the refusal is that caller's, and the next caller's probe finds api_v3.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jaegerBackendFactory } from '../../../src/backends/jaeger/index.js';
import { BackendError } from '../../../src/errors.js';

const GOOD = 'Bearer good-token';
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/api/v3/services') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    if (req.headers.authorization !== GOOD) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ services: ['shop'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('jaeger api probe with per-call headers', () => {
  it('fails a refused caller with the refusal and probes again for the next caller', async () => {
    const backend = jaegerBackendFactory.create(jaegerBackendFactory.configSchema.parse({ kind: 'jaeger', name: 'jaeger', url }), {
      logger: { info() {}, warn() {}, error() {} },
    });
    try {
      const refused = await backend.getServices({ signal: AbortSignal.timeout(5_000), headers: { Authorization: 'Bearer wrong' } }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(BackendError);
      expect(refused).toMatchObject({ code: 'BACKEND_REJECTED', httpStatus: 401 });

      expect(await backend.getServices({ signal: AbortSignal.timeout(5_000), headers: { Authorization: GOOD } })).toEqual(['shop']);
      // What the second probe found: api_v3 only, so no dependencies (before any probe they count as served).
      expect(backend.capabilities.dependencies).toBe(false);
    } finally {
      await backend.close();
    }
  });
});
