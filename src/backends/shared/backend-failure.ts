/**
 * Where a backend failure's details go: the log, once per failure, at warn, with the backend's name.
 * Callers see only BackendError.publicReason (errors.ts); the backend's own words (its error body,
 * its address, index and cluster names) are in `detail` here. One BackendError can reach several
 * requests (the cache's single-flight hands one call's failure to every caller waiting on it), so
 * each error object is logged once.
 */
import { BackendError } from '../../errors.js';
import type { BackendDeps, BackendHealth } from '../backend.js';

type Logger = Pick<BackendDeps['logger'], 'warn'> & { debug?(obj: object, msg?: string): void };

const logged = new WeakSet<object>();

function causeOf(error: Error): string | undefined {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : cause === undefined ? undefined : String(cause);
}

/**
 * Logs `error` (what the backend threw, or undefined for a timeout the caller's own timer ended) the
 * first time it is seen. A skip (BACKEND_UNSUPPORTED) is the query's shape, not a failure: debug.
 */
export function logBackendFailure(logger: Logger, backend: string, what: string, error: unknown, reason?: string): void {
  if (typeof error === 'object' && error !== null) {
    if (logged.has(error)) return;
    logged.add(error);
  }
  if (error instanceof BackendError) {
    const entry = {
      backend,
      code: error.code,
      reason: reason ?? error.publicReason,
      httpStatus: error.httpStatus,
      detail: error.message,
      cause: causeOf(error),
    };
    if (error.code === 'BACKEND_UNSUPPORTED') logger.debug?.(entry, `backend '${backend}' skipped: ${what}`);
    else logger.warn(entry, `backend '${backend}' failed: ${what}`);
    return;
  }
  const detail = reason ?? (error instanceof Error ? error.message : String(error));
  logger.warn({ backend, reason: detail, detail }, `backend '${backend}' failed: ${what}`);
}

/** A health probe's detail for callers (Query.backends, /readyz); the failure itself is logged. */
export function unhealthyDetail(logger: Logger, backend: string, error: unknown): string {
  logBackendFailure(logger, backend, 'health probe', error);
  return error instanceof BackendError ? error.publicReason : 'health probe failed (details in the gateway log)';
}

/**
 * Backend.health around a probe: times it, and turns a probe that throws into an unhealthy answer
 * (its failure logged once, callers shown unhealthyDetail) with `versionOnFailure`, so it never throws.
 */
export async function timeHealthProbe(
  logger: Logger,
  backend: string,
  probe: () => Promise<Omit<BackendHealth, 'latencyMs'>>,
  versionOnFailure: () => string | null = () => null,
): Promise<BackendHealth> {
  const started = performance.now();
  try {
    const { healthy, detail, version } = await probe();
    return { healthy, latencyMs: performance.now() - started, detail, version };
  } catch (error) {
    return { healthy: false, latencyMs: performance.now() - started, detail: unhealthyDetail(logger, backend, error), version: versionOnFailure() };
  }
}
