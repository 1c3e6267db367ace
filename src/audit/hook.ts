/**
 * Writes one audit line per API request (audit-log.ts) from a Fastify `onResponse` hook, so every API
 * (GraphQL, Jaeger v1 and api_v3, Zipkin, Lens's API copy) and every refusal (401, 403, 429) is covered
 * by one piece of code: the principal from authentication, the tenant and what the request asked
 * from its trail (server/context.ts fills `request.trail`), the status, bytes and duration from the
 * reply. Health, readiness, metrics and the explorer's page are not audited: probes would drown the
 * log and reach no trace data.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiOf } from '../auth/index.js';
import { isOperationalRoute } from '../server/operational-routes.js';
import type { Config } from '../config/index.js';
import { type AuditLog, outcomeOf } from './audit-log.js';
import { RequestTrail } from './trail.js';
import { streamedBodyBytes } from '../server/stream-response.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** What this request asked and how each backend answered; set when its context is built. */
    trail: RequestTrail | null;
  }
}

const MAX_OPERATION_CHARS = 100;

/** The GraphQL operation's name (null for an anonymous one), else the route pattern. */
function operationOf(request: FastifyRequest, api: string, trail: RequestTrail): string | null {
  if (api === 'graphql') return trail.operation;
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?', 1)[0]!.slice(0, MAX_OPERATION_CHARS)}`;
}

export function registerAuditHook(app: FastifyInstance, config: Config, audit: AuditLog): void {
  const explorer = config.server.explorerPath;
  // The body's length before compression (server/compression.ts): an instance onSend hook runs before
  // the route's compression hook, which drops content-length when it compresses as a stream.
  const bodyBytes = new WeakMap<FastifyRequest, number>();
  app.addHook('onSend', async (request, _reply, payload) => {
    if (typeof payload === 'string') bodyBytes.set(request, Buffer.byteLength(payload));
    else if (Buffer.isBuffer(payload)) bodyBytes.set(request, payload.length);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (isOperationalRoute(request.routeOptions.url, explorer)) return;
    const trail = request.trail ?? new RequestTrail();
    const api = apiOf(request.url, config);
    const traceIds = [...trail.traceIds];
    const length = bodyBytes.get(request) ?? streamedBodyBytes(request) ?? Number(reply.getHeader('content-length'));
    audit.write({
      requestId: request.id,
      principal: request.principal?.id ?? 'anonymous',
      tenant: trail.tenant,
      api,
      operation: operationOf(request, api, trail),
      method: request.method,
      path: request.url.split('?', 1)[0]!.slice(0, 200),
      status: reply.statusCode,
      outcome: outcomeOf(reply.statusCode, trail),
      traceIds: traceIds.slice(0, audit.maxTraceIds),
      traceIdCount: traceIds.length,
      backends: [...trail.backends].map(([name, outcome]) => ({ name, outcome })),
      bytes: Number.isFinite(length) ? length : 0,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    });
  });
}
