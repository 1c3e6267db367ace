/**
 * How the APIs whose success bodies have no place for errors (Zipkin v2, Jaeger api_v3) say that an
 * answer is partial: the response header `X-Tracegate-Partial` names each backend that failed, timed
 * out or was skipped with its error code (`zipkin-eu:BACKEND_TIMEOUT, es:BACKEND_UNSUPPORTED`), while the
 * body holds what the others answered.
 */
import type { FastifyReply } from 'fastify';
import type { BackendOutcome } from '../../model/index.js';

export const PARTIAL_HEADER = 'x-tracegate-partial';

export function setPartialHeader(reply: FastifyReply, outcomes: readonly BackendOutcome[]): void {
  const failed = new Map<string, string>();
  for (const outcome of outcomes) if (outcome.state !== 'OK') failed.set(outcome.backend, outcome.code ?? outcome.state);
  if (failed.size > 0) reply.header(PARTIAL_HEADER, [...failed].map(([backend, code]) => `${backend}:${code}`).join(', '));
}
