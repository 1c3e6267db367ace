/**
 * /healthz: the process is up (for liveness probes; never touches a backend).
 * /readyz: at least one default backend passed its last background health check (for readiness
 * probes), with the per-backend detail in the body. The checks run on a timer (health-monitor.ts),
 * so a probe never calls a backend; the monitor stops when the server closes.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import type { Gateway } from '../federation/index.js';
import { HealthMonitor } from './health-monitor.js';

export function registerHealthRoutes(app: FastifyInstance, gateway: Gateway, config: Config['health']): void {
  const monitor = new HealthMonitor(gateway.backends, config);
  app.addHook('onClose', async () => monitor.stop());
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_, reply) => {
    const checks = (await monitor.current()).map(({ name, kind, ...health }, i) => ({
      name,
      kind,
      isDefault: gateway.isDefault(gateway.backends[i]!),
      ...health,
    }));
    const ready = checks.some((c) => c.isDefault && c.healthy);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', backends: checks });
  });
}
