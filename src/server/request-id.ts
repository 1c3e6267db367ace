/**
 * Each request's id (Fastify's `request.id`, `reqId` on its log lines): the caller's `x-request-id`
 * when it is a sane token, so one id follows a request through a proxy chain, else a fresh UUID. A
 * header that is too long or carries other characters is replaced, not trusted: it would land in log
 * lines and a response header. The id goes back in the response's `x-request-id`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const SANE = /^[A-Za-z0-9._-]{1,128}$/;

/** Fastify's `genReqId`. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE.test(given) ? given : randomUUID();
}
