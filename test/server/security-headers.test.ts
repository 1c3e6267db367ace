/**
 * The security headers are computed once at start-up instead of by @fastify/helmet per request: they
 * must be exactly what helmet sends under the same options, names (and their case), order and values.
 */
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { HELMET_OPTIONS, registerSecurityHeaders } from '../../src/server/security-headers.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function headersOf(register: (app: FastifyInstance) => Promise<void> | void): Promise<Array<[string, unknown]>> {
  const app = Fastify();
  apps.push(app);
  await register(app);
  app.get('/', async () => ({ ok: true }));
  const response = await app.inject({ method: 'GET', url: '/' });
  expect(response.statusCode).toBe(200);
  // Node has getRawHeaderNames on every outgoing message; its types declare it on ClientRequest only.
  const raw = response.raw.res as typeof response.raw.res & { getRawHeaderNames(): string[] };
  return raw.getRawHeaderNames().map((name) => [name, raw.getHeader(name)]);
}

describe('security headers', () => {
  it('sends what @fastify/helmet sends under the same options, byte for byte and in order', async () => {
    const expected = await headersOf(async (app) => void (await app.register(helmet, HELMET_OPTIONS)));
    const actual = await headersOf(registerSecurityHeaders);
    expect(expected.map(([name]) => name)).toContain('Content-Security-Policy');
    expect(actual).toEqual(expected);
  });

  it('leaves Strict-Transport-Security out', async () => {
    const names = (await headersOf(registerSecurityHeaders)).map(([name]) => name.toLowerCase());
    expect(names).not.toContain('strict-transport-security');
    expect(names).toContain('x-frame-options');
  });
});
