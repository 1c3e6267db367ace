/**
 * Serves /metrics: on the API port by default, or, with `server.metricsPort`, only on a listener of
 * its own, so a load balancer can publish the API while the metrics stay on an internal port. That
 * listener starts when the API server becomes ready (a port already taken fails start-up like the
 * API port does) and closes with it.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RouteHandlerMethod } from 'fastify';
import type { ServerConfig } from '../config/index.js';
import { httpServerOptions } from './http-options.js';
import type { Metrics } from './metrics.js';

/** Returns the separate metrics server when there is one (its address is known once the API listens). */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: Metrics,
  server: ServerConfig,
  longestQueryMs: number,
  logger: FastifyBaseLogger,
): FastifyInstance | undefined {
  const handler: RouteHandlerMethod = async (_, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  const port = server.metricsPort;
  if (port === null) {
    app.get('/metrics', handler);
    return undefined;
  }
  const metricsApp = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    ...httpServerOptions(server, longestQueryMs),
  });
  metricsApp.get('/metrics', handler);
  app.addHook('onReady', async () => {
    await metricsApp.listen({ host: server.host, port });
  });
  app.addHook('onClose', async () => {
    await metricsApp.close();
  });
  return metricsApp;
}
