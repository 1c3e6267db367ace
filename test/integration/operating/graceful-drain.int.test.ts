/**
 * Graceful shutdown of the real entry point (src/index.ts in its own process, server/shutdown.ts):
 * Jaeger sits behind a delay proxy so a request is in flight when SIGTERM arrives. Within the
 * deadline the request completes with the trace, new connections are refused, and the process exits
 * 0; a request slower than `server.shutdownTimeoutMs` is cut and the process exits 1 at the deadline;
 * a second signal exits 1 at once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TRACE_IDS } from '../../support/dataset/dataset.js';
import { startDelayProxy, type DelayProxy } from '../../support/delay-proxy.js';
import { startEntryProcess, type EntryProcess } from '../../support/entry-process.js';

const dir = mkdtempSync(join(tmpdir(), 'tracegate-drain-'));
let entry: EntryProcess | undefined;
let proxy: DelayProxy | undefined;
afterEach(async () => {
  await entry?.stop();
  await proxy?.close();
  entry = undefined;
  proxy = undefined;
});
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

async function startBehindDelay(delayMs: number, shutdownTimeoutMs: number): Promise<string> {
  proxy = await startDelayProxy({ host: '127.0.0.1', port: 16686 }, delayMs);
  const path = join(dir, `drain-${delayMs}-${shutdownTimeoutMs}.yaml`);
  writeFileSync(
    path,
    [
      `server: { shutdownTimeoutMs: ${shutdownTimeoutMs} }`,
      'cache: { enabled: false }',
      // The start-up health check also goes through the delay: give it time, and no second round during the test.
      'health: { intervalMs: 600000, timeoutMs: 10000 }',
      'backends:',
      `  - { name: jaeger, kind: jaeger, url: "${proxy.url}", timeoutMs: 20000 }`,
      '',
    ].join('\n'),
  );
  entry = await startEntryProcess({ maxOldSpaceMiB: 256, env: { TRACEGATE_CONFIG: path } });
  return new URL(entry.url).origin;
}

/** A GET on a connection of its own; resolves with the status and body, or with the socket error. */
function get(url: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => void (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

async function exited(process: EntryProcess, withinMs: number): Promise<{ code: number | null; afterMs: number }> {
  const started = Date.now();
  for (;;) {
    const exit = process.exit();
    if (exit) return { code: exit.code, afterMs: Date.now() - started };
    if (Date.now() - started > withinMs) throw new Error(`still running ${withinMs} ms after SIGTERM`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('graceful shutdown on SIGTERM', { timeout: 60_000 }, () => {
  it('finishes the request in flight, refuses new connections, exits 0 before the deadline', async () => {
    const origin = await startBehindDelay(1_500, 15_000);
    const inFlight = get(`${origin}/api/traces/${TRACE_IDS.CHECKOUT}`);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the request is waiting on the delayed Jaeger
    process.kill(entry!.pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await get(`${origin}/healthz`)).toEqual({ error: 'ECONNREFUSED' });
    const answer = await inFlight;
    expect(answer).toMatchObject({ status: 200 });
    expect((JSON.parse((answer as { body: string }).body) as { data: Array<{ traceID: string }> }).data[0]!.traceID).toBe(TRACE_IDS.CHECKOUT);
    const exit = await exited(entry!, 15_000);
    expect(exit.code).toBe(0);
    expect(entry!.stderr()).not.toContain('deadline');
  });

  it('cuts a request slower than shutdownTimeoutMs and exits 1 at the deadline', async () => {
    const origin = await startBehindDelay(8_000, 1_000);
    const inFlight = get(`${origin}/api/traces/${TRACE_IDS.CHECKOUT}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(entry!.pid, 'SIGTERM');
    const exit = await exited(entry!, 6_000);
    expect(exit.code).toBe(1);
    expect(await inFlight).toEqual({ error: 'ECONNRESET' });
  });

  it('exits 1 at once on a second signal, long before the deadline', async () => {
    const origin = await startBehindDelay(8_000, 30_000);
    const inFlight = get(`${origin}/api/traces/${TRACE_IDS.CHECKOUT}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(entry!.pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(entry!.pid, 'SIGINT');
    const exit = await exited(entry!, 5_000); // the deadline is 30 s, the delayed request 8 s
    expect(exit.code).toBe(1);
    expect(await inFlight).toEqual({ error: 'ECONNRESET' });
  });
});
