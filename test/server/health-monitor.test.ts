/**
 * Readiness from background health checks (server/health-monitor.ts, server/health.ts): /readyz
 * answers from the last round and never calls a backend, however many probes come and with the rate
 * limit on; a backend that goes down flips /readyz at the next round; `unhealthyAfter` smooths a
 * flap; the timer stops when the server closes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendHealth } from '../../src/backends/backend.js';
import { MemoryBackend } from '../../src/backends/memory/index.js';
import { HealthMonitor } from '../../src/server/health-monitor.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

/** A backend whose health the test switches, counting the checks it gets. */
class SwitchableBackend extends MemoryBackend {
  checks = 0;
  isUp = true;
  throws = false;
  override async health(): Promise<BackendHealth> {
    this.checks += 1;
    if (this.throws) throw new Error('connect ECONNREFUSED');
    return { healthy: this.isUp, latencyMs: 1, detail: this.isUp ? null : 'HTTP 503', version: '2.0' };
  }
}

const until = async (what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** The configured backend the test's backend stands in for (a default one only when the config names it). */
const CONFIGURED = [{ name: 'a', kind: 'memory' }];

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});
const readyz = async (): Promise<{ status: number; body: { status: string; backends: Array<Record<string, unknown>> } }> => {
  const response = await fetch(`${new URL(gateway!.url).origin}/readyz`);
  return { status: response.status, body: (await response.json()) as never };
};

describe('/readyz from background checks', () => {
  it('answers a hundred probes, rate limit on, from the one check made at start-up', async () => {
    const backend = new SwitchableBackend('a');
    gateway = await startGateway(
      { backends: CONFIGURED, health: { intervalMs: 60_000 }, server: { rateLimit: { enabled: true, max: 1, windowMs: 60_000 } } },
      [backend],
    );
    const statuses: number[] = [];
    for (let i = 0; i < 100; i += 1) statuses.push((await readyz()).status);
    for (let i = 0; i < 100; i += 1) statuses.push((await fetch(`${new URL(gateway.url).origin}/healthz`)).status);
    expect(statuses).toEqual(Array<number>(200).fill(200));
    expect(backend.checks).toBe(1);
    expect((await readyz()).body).toEqual({
      status: 'ready',
      backends: [{ name: 'a', kind: 'memory', isDefault: true, healthy: true, latencyMs: 1, detail: null, version: '2.0' }],
    });
  });

  it('flips to 503 at the next round after the backend goes down, and back', async () => {
    const backend = new SwitchableBackend('a');
    gateway = await startGateway({ backends: CONFIGURED, health: { intervalMs: 100 } }, [backend]);
    expect((await readyz()).status).toBe(200);
    backend.isUp = false;
    const checksWhenDown = backend.checks;
    await until('/readyz 503', async () => (await readyz()).status === 503);
    // The round that saw it down, and at most one more started while the last probe was answered.
    expect(backend.checks - checksWhenDown).toBeLessThanOrEqual(2);
    expect((await readyz()).body.backends[0]).toMatchObject({ healthy: false, detail: 'HTTP 503' });
    backend.isUp = true;
    await until('/readyz 200 again', async () => (await readyz()).status === 200);
  });

  it('stops checking once the server is closed', async () => {
    const backend = new SwitchableBackend('a');
    gateway = await startGateway({ backends: CONFIGURED, health: { intervalMs: 100 } }, [backend]);
    await until('two rounds', () => backend.checks >= 2);
    await gateway.close();
    gateway = undefined;
    const after = backend.checks;
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(backend.checks).toBe(after);
  });
});

describe('HealthMonitor', () => {
  it('counts a backend unhealthy only after unhealthyAfter failed checks in a row', async () => {
    const backend = new SwitchableBackend('a');
    backend.isUp = false;
    const monitor = new HealthMonitor([backend], { intervalMs: 100, timeoutMs: 50, unhealthyAfter: 3 });
    const seen: Array<{ healthy: boolean; detail: string | null }> = [];
    let lastChecks = 0;
    await until('three rounds', async () => {
      if (backend.checks !== lastChecks) {
        lastChecks = backend.checks;
        const [check] = await monitor.current();
        if (check && seen.length < backend.checks) seen.push({ healthy: check.healthy, detail: check.detail });
      }
      return seen.length >= 3;
    });
    monitor.stop();
    expect(seen.map((s) => s.healthy)).toEqual([true, true, false]);
    expect(seen[0]!.detail).toBe('failed check 1 of 3 allowed: HTTP 503');
  });

  it('reports a health() that throws as unhealthy instead of failing the probe, without its error text', async () => {
    const backend = new SwitchableBackend('a');
    backend.throws = true;
    const monitor = new HealthMonitor([backend], { intervalMs: 60_000, timeoutMs: 50, unhealthyAfter: 1 });
    const [check] = await monitor.current();
    monitor.stop();
    expect(check).toMatchObject({ name: 'a', healthy: false, detail: 'health check failed unexpectedly' });
  });
});
