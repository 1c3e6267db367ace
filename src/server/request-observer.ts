/**
 * What every API request leaves behind once answered, from one Fastify `onResponse` hook: its
 * metrics (metrics.ts, labels bounded by metric-labels.ts) and one `info` log line (request id, trace
 * id, API, operation, status, duration, each backend's worst outcome, tenant, error codes). Both read
 * the request's trail (audit/trail.ts), which its context filled, as the audit line does. The request
 * id goes back in `x-request-id` from `onRequest`, so refusals (401, 429) carry it too. Health
 * probes, /metrics and the explorer's page are left out: probes would drown the rest.
 */
import { isOperationalRoute } from './operational-routes.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/index.js';
import { apiLabel, OperationNames, routeLabel } from './metric-labels.js';
import type { Metrics } from './metrics.js';
import { errorCodesOf } from './plugins/error-codes.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { activeTraceId, incomingTraceId } from './trace-id.js';

const MAX_PATH_CHARS = 200;

/**
 * A GraphQL request answered before Apollo saw it (no trail, or no errors seen) is counted under the
 * code its answer carries: authentication's 401, a tenant's 403, the rate limit's 429 (auth/refusal.ts)
 * or BAD_REQUEST for a body Fastify refused (http-errors.ts); a path no route serves under its status.
 */
const CODE_OF_STATUS: Readonly<Record<number, string>> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: '404', 429: 'RATE_LIMITED' };

function errorCodes(api: string, request: FastifyRequest, status: number): readonly string[] {
  const codes = api === 'graphql' ? errorCodesOf(request.trail) : [];
  if (codes.length > 0 || status < 400) return codes;
  if (api !== 'graphql') return [String(status)];
  return [CODE_OF_STATUS[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST')];
}

/** Levels under which an `info` line is dropped: the line is then not built at all. */
const INFO_DROPPED = new Set(['warn', 'error', 'fatal', 'silent']);

export function registerRequestObserver(app: FastifyInstance, config: Config, metrics: Metrics): void {
  const explorer = config.server.explorerPath;
  const names = new OperationNames(config.metrics);
  const isObserved = (request: FastifyRequest): boolean => !isOperationalRoute(request.routeOptions.url, explorer);
  // Callback hooks rather than async ones: nothing here waits, and an async hook costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    if (isObserved(request)) {
      metrics.inFlight.inc();
      // A response that never finishes (the client went away) still ends its count: `close` always fires.
      reply.raw.once('close', () => metrics.inFlight.dec());
    }
    done();
  });

  // Read while the answer is sent: the request's span (with tracing on) is active then, no longer in
  // onResponse. Without Tracegate's tracing there is no request span to read.
  const traceIds = new WeakMap<FastifyRequest, string>();
  if (config.telemetry.tracing.enabled) {
    app.addHook('onSend', (request, _reply, payload, done) => {
      const id = activeTraceId();
      if (id !== null) traceIds.set(request, id);
      done(null, payload);
    });
  }

  app.addHook('onResponse', (request, reply, done) => {
    if (isObserved(request)) observe(request, reply.statusCode, reply.elapsedTime);
    done();
  });

  function observe(request: FastifyRequest, status: number, elapsedMs: number): void {
    const trail = request.trail;
    const api = apiLabel(request.url, config);
    const codes = errorCodes(api, request, status);
    const graphqlName = trail?.operation ?? null;
    const route = routeLabel(request);
    const operation = api === 'graphql' && request.routeOptions.url !== undefined ? names.label(graphqlName) : route;
    const durationMs = Math.round(elapsedMs * 100) / 100;
    metrics.recordRequest({ api, operation, status, errorCodes: codes, durationMs });
    if (INFO_DROPPED.has(request.log.level)) return;
    request.log.info(
      {
        traceId: traceIds.get(request) ?? activeTraceId() ?? incomingTraceId(request),
        api,
        // The log is no time series: the operation's own name, not its folded label.
        operation: api === 'graphql' ? graphqlName : route,
        method: request.method,
        path: request.url.split('?', 1)[0]!.slice(0, MAX_PATH_CHARS),
        status,
        durationMs,
        backends: trail === null ? [] : [...trail.backends].map(([name, outcome]) => ({ name, outcome })),
        tenant: trail?.tenant ?? null,
        ...(codes.length > 0 ? { errorCodes: codes } : {}),
      },
      'request',
    );
  }
}
