/**
 * The request rate limit (`server.rateLimit`): a budget per principal for authenticated callers, so
 * two services behind one NAT or proxy each get their own; per client IP for everything else. The
 * counting is @fastify/rate-limit's (its in-process store, its fixed window); the answers are ours,
 * 429 RATE_LIMITED in the shape of the API asked (auth/refusal.ts), with Retry-After.
 *
 * Order, and why: the principal is known only after authentication, so the budget per caller is
 * checked in an `onRequest` hook registered right after the authentication hook. A request that
 * authentication refuses never reaches that hook, so refused requests get a budget of their own per
 * client IP: each 401 is counted, and once an IP has spent it every request from that IP is answered
 * 429 before authentication for the rest of the window, so a flood of forged tokens stops costing a
 * signature check each. The price: a principal behind the same IP is shut out with it for that window.
 *
 * Never limited: /healthz, /readyz and /metrics (probes and scrapes must not fail because a client
 * spent a budget), known by the route Fastify matched, as authentication knows them; the separate
 * metrics listener (`server.metricsPort`) has no limiter at all. The client IP is `request.ip`, taken
 * from X-Forwarded-For only as `server.trustProxy` allows.
 *
 * Not handled: the counts live in this process (several replicas each allow `max`) and in an LRU of
 * 5,000 keys, @fastify/rate-limit's default, so more live keys than that start some over.
 */
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiOf, sendRefusal } from '../auth/index.js';
import type { Config } from '../config/index.js';
import { ErrorCode } from '../errors.js';

const EXEMPT_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
type Decision = Awaited<ReturnType<Limiter>>;

export interface RateLimitHooks {
  /** Add before the authentication hook: refuses an IP that spent its budget of refused credentials. */
  beforeAuthentication(app: FastifyInstance): void;
  /** Add after it: the budget per principal, or per IP for the anonymous. */
  afterAuthentication(app: FastifyInstance): void;
}

/** IPv6 grouped by /64 (@fastify/rate-limit's default), the block one subscriber holds, so a client cannot walk its own prefix for fresh budgets. */
const clientOf = (request: FastifyRequest): string => normalizeIP(request.ip);

const isExempt = (request: FastifyRequest): boolean => request.routeOptions.url !== undefined && EXEMPT_ROUTES.has(request.routeOptions.url);

/** Registers the counting; returns null when the limit is off. */
export async function prepareRateLimit(app: FastifyInstance, config: Config): Promise<RateLimitHooks | null> {
  const { enabled, max, windowMs } = config.server.rateLimit;
  if (!enabled) return null;
  // global: false — no hook on every route; the hooks below decide when to count.
  await app.register(rateLimit, { global: false, max, timeWindow: windowMs });
  const perCaller = app.createRateLimit({
    keyGenerator: (request) => (request.principal.id === 'anonymous' ? `ip:${clientOf(request)}` : request.principal.id),
  });
  const refusedPerIp = app.createRateLimit({ keyGenerator: (request) => `refused:${clientOf(request)}` });

  const refuse = (request: FastifyRequest, reply: FastifyReply, decision: Decision & { isAllowed: false }): FastifyReply => {
    request.log.debug({ key: decision.key }, 'request refused: rate limited');
    reply.header('retry-after', String(decision.ttlInSeconds));
    const message = `rate limit of ${decision.max} requests per ${windowMs} ms exceeded; retry in ${decision.ttlInSeconds} s`;
    return sendRefusal(reply, apiOf(request.url, config), 429, ErrorCode.RATE_LIMITED, message);
  };

  return {
    beforeAuthentication(target) {
      target.addHook('onRequest', async (request, reply) => {
        if (isExempt(request)) return;
        const decision = await refusedPerIp(request, { increment: false });
        if (!decision.isAllowed && decision.remaining === 0) return refuse(request, reply, decision);
      });
      // Counted as the 401 is sent (onSend runs before the bytes leave), so the caller's next request sees it.
      target.addHook('onSend', async (request, reply) => {
        if (reply.statusCode === 401 && !isExempt(request)) await refusedPerIp(request);
      });
    },
    afterAuthentication(target) {
      target.addHook('onRequest', async (request, reply) => {
        if (isExempt(request)) return;
        const decision = await perCaller(request);
        if (decision.isAllowed) return;
        reply.header('x-ratelimit-limit', String(decision.max)).header('x-ratelimit-remaining', String(decision.remaining));
        if (decision.isExceeded) return refuse(request, reply, decision);
      });
    },
  };
}
