/**
 * Config secrets reaching real backends: a YAML file loaded as at start-up (loadConfig with
 * --config) gives the Jaeger backend an Authorization header from `${ENV}` and the Elasticsearch
 * backend a password from a file (`passwordFile`); recording proxies in front of the shared Jaeger and
 * Elasticsearch show both on the wire, and the trace still comes back from both. An unset variable
 * stops start-up with the key and the variable named.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.js';
import { createServer, type TracegateServer } from '../../../src/server/create-server.js';
import { startCountingProxy, type CountingProxy } from '../../support/counting-proxy.js';
import { TRACE_IDS } from '../../support/dataset/dataset.js';
import { ENDPOINTS } from '../../support/harness/servers.js';

const TOKEN = 'tok-from-env-5f1c';
const PASSWORD = 'pw-from-file-9a7e';
const dir = mkdtempSync(join(tmpdir(), 'tracegate-secrets-int-'));

/** Every value the proxy saw for `name` (case-insensitive). */
const headerValues = (proxy: CountingProxy, name: string): string[] =>
  proxy.requests.flatMap(({ rawHeaders }) => rawHeaders.filter((_, i) => i % 2 === 1 && rawHeaders[i - 1]!.toLowerCase() === name));

describe('secrets from the environment and from files, on the wire of real backends', () => {
  let jaeger: CountingProxy;
  let es: CountingProxy;
  let server: TracegateServer;
  let configPath: string;
  beforeAll(async () => {
    jaeger = await startCountingProxy(ENDPOINTS.jaeger.query);
    es = await startCountingProxy(ENDPOINTS.elasticsearch);
    writeFileSync(join(dir, 'es-password'), `${PASSWORD}\n`);
    configPath = join(dir, 'tracegate.yaml');
    writeFileSync(
      configPath,
      [
        'cache: { enabled: false }',
        'backends:',
        '  - name: jaeger',
        '    kind: jaeger',
        `    url: ${jaeger.url}`,
        '    headers:',
        `      Authorization: Bearer \${JAEGER_TOKEN}`,
        '  - name: es-jaeger',
        '    kind: elasticsearch',
        `    urls: ["${es.url}"]`,
        '    schema: jaeger',
        `    username: \${ES_USER:-elastic}`,
        `    passwordFile: \${SECRETS_DIR}/es-password`,
        '',
      ].join('\n'),
    );
    const config = loadConfig(['--config', configPath], { JAEGER_TOKEN: TOKEN, SECRETS_DIR: dir });
    server = await createServer({ ...config, server: { ...config.server, port: 0 } }, pino({ level: 'silent' }));
    await server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await jaeger?.close();
    await es?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`sends the header from \${JAEGER_TOKEN} to Jaeger and the password file to Elasticsearch, and gets the trace from both`, async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: { query: `{ trace(id: "${TRACE_IDS.CHECKOUT}") { spanCount sources { backend spanCount } backendStatus { backend state } } }` },
    });
    const body = response.json() as {
      data: {
        trace: {
          spanCount: number;
          sources: Array<{ backend: string; spanCount: number }>;
          backendStatus: Array<{ backend: string; state: string }>;
        };
      };
    };
    expect(body.data.trace.backendStatus).toEqual([
      { backend: 'jaeger', state: 'OK' },
      { backend: 'es-jaeger', state: 'OK' },
    ]);
    expect(body.data.trace.sources.map((s) => s.backend).sort()).toEqual(['es-jaeger', 'jaeger']);
    expect(headerValues(jaeger, 'authorization')).toContain(`Bearer ${TOKEN}`);
    expect(new Set(headerValues(es, 'authorization'))).toEqual(new Set([`Basic ${Buffer.from(`elastic:${PASSWORD}`).toString('base64')}`]));
  });

  it('refuses to start when a referenced variable is unset, naming the key and the variable', () => {
    const load = () => loadConfig(['--config', configPath], { SECRETS_DIR: dir });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('backends[0].headers.Authorization: environment variable JAEGER_TOKEN is not set');
  });
});
