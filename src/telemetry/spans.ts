/**
 * The spans of Tracegate's own work below the request span: one per backend call (made where the
 * fan-out calls each backend, federation/fan-out.ts) and one per trace merge (federation/fetch-traces.ts).
 * Only @opentelemetry/api is used here. Each is created only under an active span, which exists only
 * inside a request of a server with tracing on (request-spans.ts): with tracing off the cost is one
 * context lookup, and background work (health probes) never starts a trace of its own.
 *
 * Attribute names follow the OpenTelemetry semantic conventions where one exists; Tracegate's own are
 * under `tracegate.`. None names a principal or carries a credential.
 */
import { context, isSpanContextValid, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Backend } from '../backends/backend.js';
import type { BackendOutcome } from '../model/index.js';

/** The instrumentation scope of every span Tracegate makes. */
export const TRACER_NAME = 'tracegate';

export const ATTR = {
  api: 'tracegate.api',
  operation: 'tracegate.operation',
  tenant: 'tracegate.tenant',
  requestId: 'tracegate.request.id',
  backendName: 'tracegate.backend.name',
  backendKind: 'tracegate.backend.kind',
  outcome: 'tracegate.backend.outcome',
  code: 'tracegate.backend.code',
  reason: 'tracegate.backend.reason',
  cached: 'tracegate.backend.cached',
  traceId: 'tracegate.trace.id',
  mergeInputs: 'tracegate.merge.inputs',
  mergeSpans: 'tracegate.merge.spans',
  mergeWarnings: 'tracegate.merge.warnings',
} as const;

/** The active span when it belongs to a trace (a request's), else undefined: nothing to hang a child on. */
function activeParent(): Span | undefined {
  const span = trace.getSpan(context.active());
  return span !== undefined && isSpanContextValid(span.spanContext()) ? span : undefined;
}

/**
 * Runs one backend call under a span `backend <name>` that is active while it runs, so the call's HTTP
 * requests carry it as their `traceparent` parent (propagation.ts); the outcome, set after, says how it
 * ended. Without an active request span the call runs as is.
 */
export function withBackendSpan<T extends { outcome: BackendOutcome }>(backend: Backend, run: () => Promise<T>): Promise<T> {
  // Not async itself: untraced, the call's own promise is returned with no extra frame around it.
  return activeParent() === undefined ? run() : runInBackendSpan(backend, run);
}

async function runInBackendSpan<T extends { outcome: BackendOutcome }>(backend: Backend, run: () => Promise<T>): Promise<T> {
  const span = trace.getTracer(TRACER_NAME).startSpan(`backend ${backend.name}`, {
    kind: SpanKind.CLIENT,
    attributes: { [ATTR.backendName]: backend.name, [ATTR.backendKind]: backend.kind },
  });
  try {
    const entry = await context.with(trace.setSpan(context.active(), span), run);
    recordOutcome(span, entry.outcome);
    return entry;
  } finally {
    span.end();
  }
}

function recordOutcome(span: Span, outcome: BackendOutcome): void {
  span.setAttribute(ATTR.outcome, outcome.state);
  span.setAttribute(ATTR.cached, outcome.cached);
  if (outcome.code !== null) span.setAttribute(ATTR.code, outcome.code);
  // The public reason only (fan-out's outcome never holds a backend's own words or address).
  if (outcome.reason !== null) span.setAttribute(ATTR.reason, outcome.reason);
  // A skipped backend was not asked: not an error of this request.
  if (outcome.state === 'FAILED' || outcome.state === 'TIMEOUT')
    span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.code ?? outcome.state });
}

/** Runs the merge of one trace under a span `merge trace`, when there is a request span to hang it on. */
export function withMergeSpan<T extends { spans: readonly unknown[]; warnings: readonly unknown[] }>(
  traceId: string,
  inputs: number,
  run: () => T,
): T {
  const span = startMergeSpan(traceId, inputs);
  if (span === undefined) return run();
  try {
    return endMergeSpan(span, run());
  } catch (error) {
    throw failMergeSpan(span, error);
  }
}

/** withMergeSpan for a merge that gives the event loop turns between its steps (federation/fetch-traces.ts). */
export async function withMergeSpanAsync<T extends { spans: readonly unknown[]; warnings: readonly unknown[] }>(
  traceId: string,
  inputs: number,
  run: () => T | Promise<T>,
): Promise<T> {
  const span = startMergeSpan(traceId, inputs);
  if (span === undefined) return run();
  try {
    return endMergeSpan(span, await run());
  } catch (error) {
    throw failMergeSpan(span, error);
  }
}

function startMergeSpan(traceId: string, inputs: number): Span | undefined {
  if (activeParent() === undefined) return undefined;
  return trace.getTracer(TRACER_NAME).startSpan('merge trace', { attributes: { [ATTR.traceId]: traceId, [ATTR.mergeInputs]: inputs } });
}

function endMergeSpan<T extends { spans: readonly unknown[]; warnings: readonly unknown[] }>(span: Span, merged: T): T {
  span.setAttribute(ATTR.mergeSpans, merged.spans.length);
  span.setAttribute(ATTR.mergeWarnings, merged.warnings.length);
  span.end();
  return merged;
}

function failMergeSpan(span: Span, error: unknown): unknown {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
  span.end();
  return error;
}
