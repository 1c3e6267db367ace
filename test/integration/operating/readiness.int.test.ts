/**
 * Readiness from background checks against the real Jaeger behind a counting proxy: probes never
 * reach the backend (the proxy counts only the checks of the timer), and when the backend goes away
 * (the proxy closes) /readyz turns 503 at the next round.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../../support/counting-proxy.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';

let proxy: CountingProxy | undefined;
let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  await proxy?.close();
  gateway = undefined;
  proxy = undefined;
});

async function start(intervalMs: number): Promise<{ proxy: CountingProxy; readyz: () => Promise<number> }> {
  proxy = await startCountingProxy(ENDPOINTS.jaeger.query);
  gateway = await startGateway({ backends: [{ kind: 'jaeger', name: 'jaeger', url: proxy.url }], health: { intervalMs, timeoutMs: 1_000 } });
  const origin = new URL(gateway.url).origin;
  return {
    proxy,
    readyz: async () => {
      const response = await fetch(`${origin}/readyz`);
      await response.arrayBuffer();
      return response.status;
    },
  };
}

describe('/readyz over the real Jaeger', () => {
  it('answers fifty probes without one backend call beyond the start-up check', async () => {
    const { proxy: counted, readyz } = await start(60_000);
    expect(await readyz()).toBe(200); // waits for the start-up round if it is still running
    const afterFirst = counted.calls.length;
    expect(afterFirst).toBeGreaterThan(0);
    for (let i = 0; i < 50; i += 1) expect(await readyz()).toBe(200);
    expect(counted.calls.length).toBe(afterFirst);
  });

  it('turns 503 within one interval after the backend goes down', async () => {
    const { proxy: counted, readyz } = await start(300);
    expect(await readyz()).toBe(200);
    await counted.close();
    const downAt = Date.now();
    while ((await readyz()) !== 503) {
      if (Date.now() - downAt > 5_000) throw new Error('/readyz still 200 five seconds after the backend went down');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // One interval (300 ms) plus the check itself (a refused connection, no timeout): not a probe's own fan-out.
    expect(Date.now() - downAt).toBeLessThan(300 + 1_000);
    proxy = undefined;
  });
});
