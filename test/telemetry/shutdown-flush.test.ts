/**
 * The entry point (src/index.ts, as `npm start` runs it: NODE_ENV=production) starts tracing before
 * the server and, on SIGTERM, exports the spans still buffered before it exits 0: the batch exporter
 * waits 5 s between exports, so a request answered just before the signal reaches the collector only
 * through that last flush.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startEntryProcess } from '../support/entry-process.js';

const received: string[] = [];
const collector = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString('utf8');
  });
  req.on('end', () => {
    received.push(body);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

it('exports the last spans at SIGTERM and exits 0', async () => {
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
  const config = join(mkdtempSync(join(tmpdir(), 'tracegate-tracing-')), 'tracegate.yaml');
  writeFileSync(config, `telemetry:\n  tracing: { enabled: true, endpoint: '${endpoint}', serviceName: flush-test }\n`);
  const gateway = await startEntryProcess({ maxOldSpaceMiB: 256, env: { TRACEGATE_CONFIG: config } });
  try {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Flushed { services { isComplete } }' }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(received).toEqual([]); // still buffered
  } finally {
    await gateway.stop();
  }
  expect(gateway.exit()).toEqual({ code: 0, signal: null });
  const names = received.flatMap((body) =>
    (JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> }).resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)),
    ),
  );
  expect(names).toContain('Flushed');
}, 60_000);
