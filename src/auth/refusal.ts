/**
 * The answer to a request refused before any route runs (authentication's 401, the rate limit's 429),
 * in the shape of the API the path belongs to, so each API's clients read it as one of their own
 * errors: GraphQL's `errors[]` with `extensions.code`, Jaeger's v1 envelope, Jaeger api_v3's `{error}`,
 * Zipkin's plain text. Which API a path belongs to follows the mount prefixes in `server.compat`.
 */
import type { FastifyReply } from 'fastify';
import type { Config } from '../config/index.js';
import type { ErrorCode } from '../errors.js';

export type Api = 'graphql' | 'jaeger' | 'jaeger-v3' | 'zipkin';

const isUnder = (path: string, base: string): boolean => path === base || path.startsWith(`${base}/`);

/** Which API's error shape a refused path gets; anything that is no compatible API's is answered as GraphQL. */
export function apiOf(url: string, config: Config): Api {
  const path = url.split('?', 1)[0]!;
  const { jaeger, zipkin } = config.server.compat;
  if (isUnder(path, config.server.graphqlPath)) return 'graphql';
  // Zipkin first: with both prefixes '' (the default) /api/v2/… is Zipkin's and the rest of /api/… Jaeger's.
  if (zipkin.enabled && (isUnder(path, `${zipkin.prefix}/api/v2`) || isUnder(path, zipkin.lens.path))) return 'zipkin';
  if (jaeger.enabled && isUnder(path, `${jaeger.prefix}/api/v3`)) return 'jaeger-v3';
  if (jaeger.enabled && isUnder(path, `${jaeger.prefix}/api`)) return 'jaeger';
  return 'graphql';
}

/** Sends `status` with `message`; `code` is what GraphQL callers get in `extensions.code`. */
export function sendRefusal(reply: FastifyReply, api: Api, status: number, code: ErrorCode, message: string): FastifyReply {
  reply.code(status);
  switch (api) {
    case 'zipkin':
      return reply.type('text/plain; charset=utf-8').send(message);
    case 'jaeger':
      return reply.send({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: status, msg: message }] });
    case 'jaeger-v3':
      return reply.send({ error: { httpCode: status, message } });
    case 'graphql':
      return reply.send({ errors: [{ message, extensions: { code } }] });
  }
}
