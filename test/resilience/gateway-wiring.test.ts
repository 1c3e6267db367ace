/**
 * Where the gateway puts the breakers: around every backend it builds from config, a tenant's own
 * instance included (under its own label), and where operators see them (/metrics, /readyz,
 * Query.backends).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const origin = () => new URL(gateway!.url).origin;

describe('the circuit breakers of a gateway', () => {
  it('wraps every configured backend and every tenant instance, each with its own circuit in /metrics', async () => {
    gateway = await startGateway({
      backends: [
        { name: 'demo', kind: 'memory', demo: true },
        { name: 'plain', kind: 'memory', circuitBreaker: { enabled: false } },
      ],
      tenants: { team: { backends: ['demo'], backendOverrides: { demo: { timeoutMs: 1_234 } } } },
    });
    const metrics = await (await fetch(`${origin()}/metrics`)).text();
    const states = metrics.split('\n').filter((line) => line.startsWith('tracegate_circuit_state{'));
    expect(states.sort()).toEqual(['tracegate_circuit_state{circuit="demo"} 0', 'tracegate_circuit_state{circuit="demo@team"} 0']);
  });

  it('shows each circuit in /readyz and Query.backends, and none for a backend without a breaker', async () => {
    gateway = await startGateway({
      backends: [
        { name: 'demo', kind: 'memory', demo: true },
        { name: 'plain', kind: 'memory', circuitBreaker: { enabled: false } },
      ],
    });
    const readyz = (await (await fetch(`${origin()}/readyz`)).json()) as { backends: Array<Record<string, unknown>> };
    expect(readyz.backends.map((b) => [b.name, b.circuit])).toEqual([
      ['demo', 'CLOSED'],
      ['plain', undefined],
    ]);
    const response = await gateway.query('{ backends { name healthy circuit } }');
    expect(response.data.backends).toEqual([
      { name: 'demo', healthy: true, circuit: 'CLOSED' },
      { name: 'plain', healthy: true, circuit: null },
    ]);
  });
});
