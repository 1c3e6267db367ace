/**
 * Graceful shutdown on SIGTERM or SIGINT: stop accepting connections, let the requests in flight
 * finish, then release the backends, the cache and Redis (TracegateServer.close: Fastify's close
 * refuses new connections at once, answers a request that arrives on a kept-alive connection 503
 * with `Connection: close`, and waits for the requests it is serving; then build-gateway.ts's close).
 * It must finish within `server.shutdownTimeoutMs`: past that, or on a second signal, the process
 * exits 1 at once and the unfinished requests are cut. An orchestrator kills without asking once its
 * own grace period ends (Kubernetes: 30 s), so the deadline belongs below that.
 */
import type { Logger } from 'pino';

interface Closable {
  close(): Promise<void>;
}

/** Exits the process when `server` has closed (0) or when it could not in time (1). */
export function exitOnSignals(server: Closable, logger: Logger, timeoutMs: number): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting without waiting for requests in flight');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal, timeoutMs }, 'shutting down: draining requests in flight');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown deadline passed: exiting with requests still in flight');
      process.exit(1);
    }, timeoutMs);
    deadline.unref(); // a clean close ends the process without waiting for it
    server.close().then(
      () => {
        logger.info('shut down');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
