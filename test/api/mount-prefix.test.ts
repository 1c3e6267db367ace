/**
 * server.compat.*.prefix: each compatible API answers under its own mount prefix (and only there),
 * and `/` lists the base path to give a client such as Grafana.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

const origin = (gw: TestGateway): string => new URL(gw.url).origin;
const status = async (gw: TestGateway, path: string): Promise<number> => (await fetch(`${origin(gw)}${path}`)).status;

describe('mount prefixes of the compatible APIs', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ server: { compat: { jaeger: { prefix: '/jaeger' }, zipkin: { prefix: '/zipkin/v2api' } } } });
  });
  afterAll(() => gw.close());

  it('serves Jaeger under /jaeger/api and Zipkin under /zipkin/v2api/api/v2, not at the root', async () => {
    expect(await status(gw, '/jaeger/api/services')).toBe(200);
    expect(await status(gw, '/zipkin/v2api/api/v2/services')).toBe(200);
    expect(await status(gw, '/api/services')).toBe(404);
    expect(await status(gw, '/api/v2/services')).toBe(404);
  });

  it('lists each API base path at /', async () => {
    const body = await (await fetch(`${origin(gw)}/`)).json();
    expect(body).toMatchObject({ graphql: '/graphql', jaegerApi: '/jaeger', zipkinApi: '/zipkin/v2api', zipkinLens: null });
  });

  it('serves both at the root by default, and neither when disabled', async () => {
    const byDefault = await startGateway();
    const off = await startGateway({ server: { compat: { jaeger: { enabled: false }, zipkin: { enabled: false } } } });
    try {
      expect(await status(byDefault, '/api/services')).toBe(200);
      expect(await status(byDefault, '/api/v2/services')).toBe(200);
      expect(await (await fetch(`${origin(byDefault)}/`)).json()).toMatchObject({ jaegerApi: '/', zipkinApi: '/' });
      expect(await status(off, '/api/services')).toBe(404);
      expect(await status(off, '/api/v2/services')).toBe(404);
      expect(await (await fetch(`${origin(off)}/`)).json()).toMatchObject({ jaegerApi: null, zipkinApi: null });
    } finally {
      await Promise.all([byDefault.close(), off.close()]);
    }
  });
});

describe('mount prefix validation', () => {
  it.each(['jaeger', '/jaeger/', '/a b', '//x'])('refuses %j', async (prefix) => {
    await expect(startGateway({ server: { compat: { jaeger: { prefix } } } })).rejects.toThrow(/mount prefix/);
  });
});
