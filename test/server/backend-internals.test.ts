/**
 * What a failing backend said stays in the gateway's log. Real HTTP backends fail here in the ways
 * that used to leak: a Zipkin and an Elasticsearch whose error bodies name hosts and internals, a
 * Zipkin whose /health answers 503 with its component details, and a Jaeger whose port refuses
 * connections (the address was in the message). Callers see the backend's name, the code and a
 * reason made from the code and the HTTP status, in errors[], backendStatus, Query.backends and
 * /readyz; the log has each failure once, at warn, with the backend's name and what it said.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { captureLogs, LEVEL, type LogLine } from '../support/log-capture.js';

const SECRET = 'SECRET-cassandra-10.20.30.40:9042-stacktrace';

/** Answers every request as a broken backend would, quoting its internals. */
function brokenBackend(): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/es')) {
      response.writeHead(500, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      response.end(JSON.stringify({ error: { type: 'search_phase_execution_exception', reason: SECRET }, status: 500 }));
    } else if (request.url === '/health') {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'DOWN', zipkin: { details: { storage: SECRET } } }));
    } else {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`java.lang.IllegalStateException: ${SECRET}`);
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A port nothing listens on: bind one, note it, close it. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a failing backend, seen by callers and by the log', () => {
  const logs = captureLogs('debug');
  let broken: Server;
  let gateway: TestGateway;
  let secrets: string[];

  beforeAll(async () => {
    broken = await brokenBackend();
    const brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
    const downPort = await refusedPort();
    secrets = [SECRET, 'IllegalStateException', 'search_phase_execution_exception', `127.0.0.1:${downPort}`, brokenUrl, 'cassandra'];
    gateway = await startGateway(
      {
        // No circuit breakers: each failure's own reason is under test here, not the "circuit open" that
        // would replace it after five (test/resilience/).
        backends: [
          { name: 'demo', kind: 'memory', demo: true },
          { name: 'zipkin-eu', kind: 'zipkin', url: brokenUrl, circuitBreaker: { enabled: false } },
          { name: 'jaeger-down', kind: 'jaeger', url: `http://127.0.0.1:${downPort}`, circuitBreaker: { enabled: false } },
          { name: 'es-jaeger', kind: 'elasticsearch', urls: [`${brokenUrl}/es`], schema: 'jaeger', circuitBreaker: { enabled: false } },
        ],
        cache: { enabled: false },
      },
      undefined,
      { logger: logs.logger },
    );
    // The health checks run in the background from start-up (server/health-monitor.ts): /readyz waits
    // for the first round, whose failure lines are kept before each test clears the log.
    await fetch(`${new URL(gateway.url).origin}/readyz`);
    healthFailures = failures();
  });
  afterAll(async () => {
    await gateway.close();
    await new Promise((resolve) => broken.close(resolve));
  });
  beforeEach(() => logs.clear());

  const failures = (): LogLine[] => logs.atLeast(LEVEL.warn).filter((line) => typeof line.backend === 'string');
  let healthFailures: LogLine[] = [];

  it('answers services with the demo data, and each failed backend by name, code and a safe reason', async () => {
    const response = await gateway.query('{ services { services { name } isComplete backendStatus { backend state code reason } } }');
    const text = JSON.stringify(response);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(response.data.services.services.length).toBeGreaterThan(0);
    const status = Object.fromEntries(response.data.services.backendStatus.map((s: { backend: string }) => [s.backend, s]));
    expect(status['zipkin-eu']).toEqual({ backend: 'zipkin-eu', state: 'FAILED', code: 'BACKEND_UNAVAILABLE', reason: 'answered HTTP 500' });
    expect(status['jaeger-down']).toEqual({
      backend: 'jaeger-down',
      state: 'FAILED',
      code: 'BACKEND_UNAVAILABLE',
      reason: 'connection failed (ECONNREFUSED)',
    });
    expect(status['es-jaeger']).toEqual({ backend: 'es-jaeger', state: 'FAILED', code: 'BACKEND_UNAVAILABLE', reason: 'answered HTTP 500' });
    expect(response.errors?.map((e) => [e.extensions?.backend, e.extensions?.code, e.message]).sort()).toEqual([
      ['es-jaeger', 'BACKEND_UNAVAILABLE', "backend 'es-jaeger' failed: answered HTTP 500"],
      ['jaeger-down', 'BACKEND_UNAVAILABLE', "backend 'jaeger-down' failed: connection failed (ECONNREFUSED)"],
      ['zipkin-eu', 'BACKEND_UNAVAILABLE', "backend 'zipkin-eu' failed: answered HTTP 500"],
    ]);
  });

  it('logs each failure once, at warn, with the backend and what it said', async () => {
    await gateway.query('{ services { isComplete } }');
    const lines = failures();
    expect(lines.map((line) => [line.level, line.backend]).sort()).toEqual([
      [LEVEL.warn, 'es-jaeger'],
      [LEVEL.warn, 'jaeger-down'],
      [LEVEL.warn, 'zipkin-eu'],
    ]);
    const byBackend = Object.fromEntries(lines.map((line) => [line.backend, String(line.detail)]));
    expect(byBackend['zipkin-eu']).toContain(SECRET);
    expect(byBackend['es-jaeger']).toContain(SECRET);
    expect(byBackend['jaeger-down']).toContain('ECONNREFUSED');
    expect(logs.atLeast(LEVEL.error)).toEqual([]);
  });

  it('keeps internals out of a trace lookup and a search', async () => {
    const response = await gateway.query(
      `{ trace(id: "fc399502bce824169cf1ea00b42069cf") { spanCount backendStatus { backend reason } }
         searchTraces(query: { service: "web-frontend" }, first: 1) { totalCount backendStatus { backend reason } } }`,
    );
    const text = JSON.stringify(response);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(response.data.trace.spanCount).toBe(1000);
  });

  it('keeps internals out of Query.backends and /readyz, which still say which backend is unhealthy', async () => {
    const response = await gateway.query('{ backends { name healthy detail } }');
    const readyz = await fetch(`${new URL(gateway.url).origin}/readyz`);
    const readyText = await readyz.text();
    for (const text of [JSON.stringify(response), readyText]) for (const secret of secrets) expect(text).not.toContain(secret);
    const detail = Object.fromEntries(
      response.data.backends.map((b: { name: string; healthy: boolean; detail: string }) => [b.name, [b.healthy, b.detail]]),
    );
    expect(detail['zipkin-eu']).toEqual([false, 'status DOWN']);
    expect(detail['jaeger-down']).toEqual([false, 'connection failed (ECONNREFUSED)']);
    expect(detail['es-jaeger']).toEqual([false, 'answered HTTP 500']);
    expect(readyz.status).toBe(200); // the demo backend is healthy
    const logged = [...healthFailures, ...failures()].map((line) => line.backend);
    expect(logged).toContain('jaeger-down');
    expect(logged).toContain('es-jaeger');
  });
});
