/**
 * Entry point: read config, build server, listen. Nothing else lives here, except the Node.js
 * version check, which must run before any other module loads (an older Node would fail somewhere
 * inside, or silently round 64-bit integers), hence the dynamic imports after it.
 */
import { unsupportedNodeReason } from './node-version.js';

async function main(): Promise<void> {
  const unsupported = unsupportedNodeReason(process.versions.node);
  if (unsupported !== null) {
    process.stderr.write(`tracegate: cannot start: ${unsupported}\n`);
    process.exit(1);
  }
  const [{ pino }, { ConfigError, loadConfig }, { createServer }, { describeStartupError }, { exitOnSignals }, { startTracing }] = await Promise.all([
    import('pino'),
    import('./config/index.js'),
    import('./server/create-server.js'),
    import('./server/startup-error.js'),
    import('./server/shutdown.js'),
    import('./telemetry/index.js'),
  ]);
  let config: ReturnType<typeof loadConfig>;
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
  // Before the server, so its first request is traced; stopped after it, so the last spans are flushed.
  const tracing = await startTracing(config.telemetry.tracing);
  let server: Awaited<ReturnType<typeof createServer>>;
  let address: string;
  try {
    server = await createServer(config, logger);
    address = await server.app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    // An operator's mistake (a trace file that cannot be read, a port in use) is one line, no stack.
    const reason = describeStartupError(error, config);
    if (reason === null) throw error;
    process.stderr.write(`tracegate: cannot start: ${reason}\n`);
    process.exit(2);
  }
  logger.info(
    {
      backends: config.backends.map((b) => `${b.name} (${b.kind})`),
      explorer: config.server.explorerPath ? `${address}${config.server.explorerPath}` : null,
      tracing: tracing !== null,
    },
    `tracegate listening on ${address}${config.server.graphqlPath}`,
  );
  const closeAll = async (): Promise<void> => {
    try {
      await server.close();
    } finally {
      await tracing?.shutdown();
    }
  };
  exitOnSignals({ close: closeAll }, logger, config.server.shutdownTimeoutMs);
}

main().catch((error: unknown) => {
  process.stderr.write(`tracegate: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
