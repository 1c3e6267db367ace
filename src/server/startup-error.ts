/**
 * Start-up failures that are the operator's to fix, said in one line without a stack trace: a trace
 * file of a memory backend that cannot be read or parsed (the file and the reason), and a port that
 * is taken or not allowed. Anything else is a bug and keeps its stack (index.ts).
 */
import { TraceFileLoadError } from '../backends/memory/index.js';
import { ConfigError, type Config } from '../config/index.js';

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the address is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not available on this machine',
};

export function describeStartupError(error: unknown, config: Config): string | null {
  if (error instanceof TraceFileLoadError || error instanceof ConfigError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in LISTEN_ERRORS) {
    const { host, port, metricsPort } = config.server;
    const where = (error as { port?: unknown }).port === metricsPort && metricsPort !== null ? `${host}:${metricsPort} (metrics)` : `${host}:${port}`;
    return `cannot listen on ${where}: ${LISTEN_ERRORS[code]}`;
  }
  return null;
}
