/**
 * /healthz: the process is up (for liveness probes; never touches a backend).
 * /readyz: at least one default backend passed its last background health check (for readiness
 * probes), with the per-backend detail in the body. The checks run on a timer (health-monitor.ts),
 * so a probe never calls a backend; the monitor stops when the server closes.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../federation/index.js';
import type { HealthMonitor } from './health-monitor.js';

/** `monitor` also serves Query.backends (resolvers/query.ts): one set of background checks for both. */
export function registerHealthRoutes(app: FastifyInstance, gateway: Gateway, monitor: HealthMonitor): void {
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
