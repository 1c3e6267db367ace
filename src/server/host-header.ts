/**
 * Answers a request whose Host cannot form a URL with 400 BAD_REQUEST before any route runs. Apollo's
 * Fastify integration builds `new URL(url, protocol://host)` for every request; an HTTP/1.0 request
 * without Host (Node requires Host of HTTP/1.1 only) or a Host such as `a b` made it throw, and the
 * caller's mistake came back as HTTP 500. Only the GraphQL endpoint is guarded: a load balancer's
 * HTTP/1.0 health check without Host must still reach /healthz.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../errors.js';

export function rejectUnusableHost(app: FastifyInstance, graphqlPath: string): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(graphqlPath)) return;
    if (request.hostname !== '' && URL.canParse(request.url, `${request.protocol}://${request.hostname}/`)) return;
    await reply
      .code(400)
      .send({ errors: [{ message: 'the request needs a Host header that names a host', extensions: { code: ErrorCode.BAD_REQUEST } }] });
  });
}
