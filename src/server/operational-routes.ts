/**
 * The routes that serve operators and probes, not trace data: liveness, readiness, metrics and the
 * explorer's page. The request log and metrics (request-observer.ts), the audit log (audit/hook.ts)
 * and Tracegate's own traces (telemetry/request-spans.ts) all leave them out: probes would drown them.
 */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** `route`: the matched route pattern (undefined when none matched: such a request is observed). */
export function isOperationalRoute(route: string | undefined, explorerPath: string): boolean {
  return route !== undefined && (PROBES.has(route) || (explorerPath !== '' && route.startsWith(explorerPath)));
}
