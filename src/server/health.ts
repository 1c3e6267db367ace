/**
 * /healthz: the process is up (for liveness probes; never touches a backend).
 * /readyz: at least one default backend answers its health probe (for readiness probes), with the
 * per-backend detail in the body.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../federation/index.js';

const PROBE_TIMEOUT_MS = 2_000;

export function registerHealthRoutes(app: FastifyInstance, gateway: Gateway): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_, reply) => {
    const checks = await Promise.all(
      gateway.backends.map(async (backend) => ({
        name: backend.name,
        kind: backend.kind,
        isDefault: gateway.isDefault(backend),
        ...(await backend.health({ signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })),
      })),
    );
    const ready = checks.some((c) => c.isDefault && c.healthy);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', backends: checks });
  });
}
