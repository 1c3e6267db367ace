/**
 * Answers a request whose Host cannot form a URL with 400 BAD_REQUEST before any route runs. Apollo's
 * Fastify integration builds `new URL(url, protocol://host)` for every request; an HTTP/1.0 request
 * without Host (Node requires Host of HTTP/1.1 only) or a Host such as `a b` made it throw, and the
 * caller's mistake came back as HTTP 500. Only the GraphQL endpoint is guarded: a load balancer's
 * HTTP/1.0 health check without Host must still reach /healthz.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCode } from '../errors.js';

/** Verdicts remembered per `protocol://host/` base: callers reuse a handful of hosts, so this stays tiny. */
const MAX_REMEMBERED_HOSTS = 64;

export function rejectUnusableHost(app: FastifyInstance, graphqlPath: string): void {
  const usable = new Map<string, boolean>();
  // A path (one slash, then anything) parses against any base that parses, so the verdict is the
  // host's; `//…` names a host of its own and is checked every time.
  const isUsable = (request: FastifyRequest): boolean => {
    const hostname = request.hostname;
    if (hostname === '') return false;
    const base = `${request.protocol}://${hostname}/`;
    if (request.url.startsWith('//')) return URL.canParse(request.url, base);
    let verdict = usable.get(base);
    if (verdict === undefined) {
      verdict = URL.canParse(request.url, base);
      if (usable.size >= MAX_REMEMBERED_HOSTS) usable.clear();
      usable.set(base, verdict);
    }
    return verdict;
  };
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith(graphqlPath) || isUsable(request)) return done();
    void reply
      .code(400)
      .send({ errors: [{ message: 'the request needs a Host header that names a host', extensions: { code: ErrorCode.BAD_REQUEST } }] });
  });
}
