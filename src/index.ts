/** Entry point: read config, build the server, listen. Nothing else lives here. */
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config/index.js';
import { createServer } from './server/create-server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tracegate: invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.log.level });
  const server = await createServer(config, logger);
  const address = await server.app.listen({ host: config.server.host, port: config.server.port });
  logger.info(
    { backends: config.backends.map((b) => `${b.name} (${b.kind})`), explorer: config.server.explorerPath ? `${address}${config.server.explorerPath}` : null },
    `tracegate listening on ${address}${config.server.graphqlPath}`,
  );
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`tracegate: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
