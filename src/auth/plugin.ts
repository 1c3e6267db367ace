/**
 * The Fastify `onRequest` hook that authenticates every request and sets `request.principal`, before
 * any route (GraphQL, the Jaeger and Zipkin APIs, Lens, `/`) or the 404 handler runs. Open, with an
 * anonymous non-admin principal: /healthz, /readyz, /metrics and the explorer's page and assets (it
 * holds no data; its queries go to the GraphQL endpoint, which is not open). Open routes are known by
 * the route Fastify matched, never by the raw URL, so `/healthz/../graphql` or a trailing slash
 * cannot make a protected route look open. A CORS preflight (sent by browsers without credentials) never
 * gets here when its origin is allowed: the CORS hook (server/cors.ts) is registered before this one and
 * answers it; one it lets through (an origin not on the list, CORS off) is refused like any request
 * without credentials, with no CORS headers.
 *
 * A refusal is HTTP 401 with `WWW-Authenticate` and a body in the shape of the API the path belongs to
 * (refusal.ts): GraphQL's `errors[]` with UNAUTHENTICATED, Jaeger's v1 envelope, Jaeger api_v3's
 * `{error}`, Zipkin's plain text. The message is the same for every reason; the reason goes to the log
 * at debug (warn when it is the operator's: an issuer's JWKS that cannot be fetched), never with the token.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config/index.js';
import { ErrorCode, UNAUTHENTICATED_MESSAGE, UnauthenticatedError } from '../errors.js';
import { createAuthenticator } from './authenticate.js';
import { refuseUnauthenticatedRemote } from './exposure.js';
import { ANONYMOUS_ADMIN, ANONYMOUS_OPEN, type Principal } from './principal.js';
import { type Api, apiOf, sendRefusal } from './refusal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts for; set by the auth hook (src/auth/plugin.ts) before any route runs. */
    principal: Principal;
  }
}

function refuse(reply: FastifyReply, api: Api, challenge: string): FastifyReply {
  reply.header('www-authenticate', challenge);
  return sendRefusal(reply, api, 401, ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE);
}

/**
 * Checks what can be checked before anything starts (a non-loopback host without authentication, the
 * JWKS files) and throws ConfigError; returns the function that adds the hook to the server.
 */
export function prepareAuthentication(config: Config): (app: FastifyInstance) => void {
  const { auth } = config;
  refuseUnauthenticatedRemote(config.server.host, auth);
  const authenticate = createAuthenticator(auth);
  const explorer = config.server.explorerPath;
  const open = new Set([
    '/healthz',
    '/readyz',
    '/metrics',
    ...(explorer === '' ? [] : [explorer, `${explorer}/assets/explorer.js`, `${explorer}/assets/:name`]),
  ]);
  // RFC 9110 §11.6.1; `ApiKey` is this gateway's own scheme for keys.
  const challenge = auth.mode === 'apiKey' ? 'ApiKey' : 'Bearer';
  return (app) => {
    // Fastify wants the property declared up front (one object shape for every request); it refuses an
    // object as the initial value, and the hook below replaces the null before any route sees it.
    app.decorateRequest('principal', null as unknown as Principal);
    app.addHook('onRequest', async (request, reply) => {
      if (auth.mode === 'none') {
        request.principal = ANONYMOUS_ADMIN;
        return;
      }
      if (request.routeOptions.url !== undefined && open.has(request.routeOptions.url)) {
        request.principal = ANONYMOUS_OPEN;
        return;
      }
      try {
        request.principal = await authenticate(request.headers);
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        const api = apiOf(request.url, config);
        request.log[error.isOperatorProblem ? 'warn' : 'debug']({ reason: error.reason, api }, 'request refused: unauthenticated');
        return refuse(reply, api, challenge);
      }
    });
  };
}
