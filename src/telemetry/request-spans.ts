/**
 * One SERVER span per API request, from Fastify hooks: started when the request arrives (continuing
 * the caller's trace when it sends a W3C `traceparent`), active while its handler runs so the
 * backend-call, merge and execution spans hang under it (spans.ts, execution-plugin.ts), ended when the
 * answer is sent. Named after the route (`GET /api/traces/:id`); a GraphQL request is renamed after
 * its operation once Apollo resolved it (execution-plugin.ts). Health probes, /metrics and the
 * explorer's page get none: probes would drown the traces.
 *
 * What a span may say is the request's shape, never who asked: the API, operation, route, method,
 * status, request id and tenant. The tenant is a configured name (bounded, no person's identity) that
 * an operator needs to tell whose slow request it was, as the audit line and the request log carry it;
 * the principal's id, its token and the client address are left out, because the spans leave for a
 * trace store whose readers need not be allowed to see who used Tracegate.
 */
import { context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiOf } from '../auth/index.js';
import { isOperationalRoute } from '../server/operational-routes.js';
import type { Config } from '../config/index.js';
import { ATTR, TRACER_NAME } from './spans.js';

interface RequestSpan {
  span: Span;
  context: Context;
  isEnded: boolean;
}

const spans = new WeakMap<FastifyRequest, RequestSpan>();

/** `METHOD /route/:pattern` as registered, or the method alone when no route matched (a raw path would be unbounded). */
function nameOf(request: FastifyRequest): string {
  const route = request.routeOptions.url;
  return route === undefined ? request.method : `${request.method} ${route}`;
}

function end(request: FastifyRequest, status: number | null): void {
  const entry = spans.get(request);
  if (entry === undefined || entry.isEnded) return;
  entry.isEnded = true;
  const { span } = entry;
  const trail = request.trail;
  if (trail?.tenant != null) span.setAttribute(ATTR.tenant, trail.tenant);
  if (status === null) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'client closed the request before the answer' });
  } else {
    span.setAttribute('http.response.status_code', status);
    // A server span's 4xx is the caller's mistake, not this request's failure (OpenTelemetry HTTP conventions).
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

export function registerRequestSpans(app: FastifyInstance, config: Config): void {
  const explorer = config.server.explorerPath;
  const isTraced = (request: FastifyRequest): boolean => !isOperationalRoute(request.routeOptions.url, explorer);
  app.addHook('onRequest', (request, _reply, done) => {
    if (!isTraced(request)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const api = apiOf(request.url, config);
    const route = request.routeOptions.url;
    const span = trace.getTracer(TRACER_NAME).startSpan(
      nameOf(request),
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR.api]: api,
          [ATTR.requestId]: request.id,
          'http.request.method': request.method,
          ...(route !== undefined ? { 'http.route': route, [ATTR.operation]: nameOf(request) } : {}),
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    spans.set(request, { span, context: active, isEnded: false });
    context.with(active, done);
  });
  // The body is read from the socket's callbacks, whose async context need not be the one `done` ran
  // in, so the span is made active again for the handler: everything it awaits (Apollo, resolvers,
  // loaders, fan-out) runs under the request span.
  app.addHook('preHandler', (request, _reply, done) => {
    const entry = spans.get(request);
    if (entry === undefined) return done();
    context.with(entry.context, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    end(request, null);
    done();
  });
}
