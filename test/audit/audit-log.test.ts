/**
 * The audit log over HTTP (src/audit/): one line per API request, to a file, with every documented
 * field checked, on GraphQL, the Jaeger API and the Zipkin API; refusals (401, 403) audited too;
 * health probes not; no credential in any line.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors.js';
import { parseTraceId } from '../../src/model/index.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { makeSpan } from '../support/make-span.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const KEY = 'audit-key-0123456789abcdef0123456789abcdef';
const TRACE_ID = parseTraceId('abcdef0123456789abcdef0123456789');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('audit log', () => {
  let dir: string;
  let file: string;
  let gw: TestGateway;
  let origin: string;
  let lines: any[];
  const auth = { 'x-api-key': KEY };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tg-audit-'));
    file = join(dir, 'logs', 'audit.jsonl');
    const good = new ScriptedBackend('good', { spans: [makeSpan('a', { traceId: TRACE_ID, service: 'web' })], services: ['web'] });
    const down = new ScriptedBackend('down', { fail: new BackendError('BACKEND_UNAVAILABLE', 'down', 'connect ECONNREFUSED 127.0.0.1:1') });
    gw = await startGateway(
      {
        auth: { mode: 'apiKey', apiKeys: [{ id: 'portal', sha256: sha256(KEY), tenants: ['shop'] }] },
        backends: [
          { name: 'good', kind: 'memory' },
          { name: 'down', kind: 'memory' },
        ],
        tenants: { shop: { backends: ['good', 'down'] } },
        audit: { enabled: true, sink: 'file', file },
      },
      [good, down],
    );
    origin = new URL(gw.url).origin;
    await gw.query('query TraceById($id: ID!) { trace(id: $id) { spanCount } }', { id: 'abcdef0123456789abcdef0123456789' }, auth);
    await fetch(`${origin}/api/traces/abcdef0123456789abcdef0123456789`, { headers: auth });
    await fetch(`${origin}/api/v2/services`, { headers: auth });
    await fetch(`${origin}/api/services`, { headers: { 'x-api-key': 'wrong-key-0123456789abcdef0123456789ab' } });
    await fetch(`${origin}/api/services`, { headers: { ...auth, 'x-tenant': 'other' } });
    await fetch(`${origin}/healthz`);
    await gw.close();
    // The sink writes asynchronously; wait (bounded) for the six lines.
    for (let i = 0; i < 50; i++) {
      lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      if (lines.length >= 5) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one line per API request and none for health probes', () => {
    expect(lines.map((l) => [l.api, l.status])).toEqual([
      ['graphql', 200],
      ['jaeger', 200],
      ['zipkin', 200],
      ['jaeger', 401],
      ['jaeger', 403],
    ]);
  });

  it('has every documented field, with stable names and types', () => {
    const [graphql] = lines;
    expect(graphql).toEqual({
      level: 30,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      audit: true,
      event: 'request',
      requestId: expect.any(String),
      principal: 'key:portal',
      tenant: 'shop',
      api: 'graphql',
      operation: 'TraceById',
      method: 'POST',
      path: '/graphql',
      status: 200,
      outcome: 'partial',
      traceIds: ['abcdef0123456789abcdef0123456789'],
      traceIdCount: 1,
      backends: [
        { name: 'good', outcome: 'OK' },
        { name: 'down', outcome: 'FAILED' },
      ],
      bytes: expect.any(Number),
      durationMs: expect.any(Number),
    });
    expect(graphql.bytes).toBeGreaterThan(0);
    expect(lines[1]).toMatchObject({ operation: 'GET /api/traces/:id', traceIds: ['abcdef0123456789abcdef0123456789'], outcome: 'partial' });
    expect(lines[2]).toMatchObject({ api: 'zipkin', operation: 'GET /api/v2/services', tenant: 'shop', traceIds: [] });
  });

  it('audits refusals: a bad key is denied as anonymous, a forged tenant denied as the key', () => {
    expect(lines[3]).toMatchObject({ principal: 'anonymous', tenant: null, outcome: 'denied', backends: [] });
    expect(lines[4]).toMatchObject({ principal: 'key:portal', tenant: null, outcome: 'denied', backends: [] });
  });

  it('never writes a credential', () => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('wrong-key');
    expect(text).not.toContain(sha256(KEY));
  });
});

describe('audit config', () => {
  it('requires a file for the file sink', async () => {
    await expect(startGateway({ audit: { enabled: true, sink: 'file' } })).rejects.toThrow(/audit\.file/);
  });
});
