/**
 * W3C trace context (`traceparent`, `tracestate`) on the requests Tracegate sends to the backends, so
 * a traced backend (Jaeger traces its own query service) continues Tracegate's trace under the
 * backend-call span (spans.ts). Injected only when a request span is active, which needs tracing on:
 * with it off no propagator is registered and no span is ever active, and the headers go out as given.
 */
import { context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';

/** A copy of `headers` with the active trace context added, or `headers` itself when there is none. */
export function withTraceContext<H extends Readonly<Record<string, string>> | undefined>(headers: H): H | Record<string, string> {
  const active = context.active();
  const span = trace.getSpan(active);
  if (span === undefined || !isSpanContextValid(span.spanContext())) return headers;
  const out: Record<string, string> = { ...headers };
  propagation.inject(active, out);
  return out;
}
