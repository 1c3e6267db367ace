/**
 * The trace id a request's log line names. With Tracegate's own tracing on, the request's span is
 * active while the answer is sent (telemetry/request-spans.ts), so its trace id is read there: the
 * caller's trace continued, or a new one. Otherwise the W3C `traceparent` the caller sent (layout
 * `<2 hex version>-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`,
 * https://www.w3.org/TR/trace-context/#traceparent-header), so the line can still be found from the
 * caller's trace. An all-zero or malformed id is no id.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}(?:-.*)?$/;

/** The trace id of the active span, when there is one in a trace. */
export function activeTraceId(): string | null {
  const span = trace.getActiveSpan();
  if (span === undefined) return null;
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) ? spanContext.traceId : null;
}

export function incomingTraceId(request: Pick<FastifyRequest, 'headers'>): string | null {
  const value = request.headers.traceparent;
  if (typeof value !== 'string') return null;
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (match === null || match[1] === 'ff' || /^0+$/.test(match[2]!)) return null;
  return match[2]!;
}
