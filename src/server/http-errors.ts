/**
 * Fastify's own refusals of a request (a body that is not JSON, too large, of a media type it does
 * not read, a malformed URL) in the shape every other Tracegate error has: `{ errors: [{ message,
 * extensions: { code } }] }` with the same HTTP status, so a GraphQL client reads them as errors
 * instead of failing to parse `{ statusCode, code, error }`. They are the caller's: logged at debug,
 * never at error. A 5xx is left to Fastify's default handler, which logs it. A path no route serves
 * is 404 in Fastify's own shape (it is not a GraphQL request), with the path cut short: it is the
 * caller's input, up to Node's 16 KB header limit.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ErrorCode } from '../errors.js';
import { MAX_MESSAGE_CHARS, truncateEcho } from './format-error.js';

/** Longest part of a requested path a 404 repeats. */
const MAX_PATH_ECHO_CHARS = 200;

export function answerRequestErrorsAsGraphQL(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) =>
    reply
      .code(404)
      .send({ message: `Route ${request.method}:${truncateEcho(request.url, MAX_PATH_ECHO_CHARS)} not found`, error: 'Not Found', statusCode: 404 }),
  );
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status < 400 || status >= 500) throw error;
    request.log.debug({ code: error.code, status }, 'request refused');
    return reply.code(status).send({
      errors: [
        {
          message: truncateEcho(error.message, MAX_MESSAGE_CHARS),
          extensions: { code: ErrorCode.BAD_REQUEST, ...(error.code ? { reason: error.code } : {}) },
        },
      ],
    });
  });
}
