/**
 * Starts the OpenTelemetry tracing SDK for Tracegate's own traces: a tracer provider with a
 * parent-based trace-id-ratio sampler, a batching OTLP/HTTP exporter, the AsyncLocalStorage context
 * manager (the active span follows each request across awaits) and the W3C trace-context propagator
 * (`traceparent` in and out), all registered as the process's globals that @opentelemetry/api hands
 * to the hooks (spans.ts, request-spans.ts, propagation.ts). index.ts starts it before the server and
 * stops it after; tests start it in-process the same way.
 *
 * The SDK is imported only here and only when tracing is on, so a gateway with it off neither loads
 * it nor pays for it: every hook then meets @opentelemetry/api's no-op globals. One SDK per process:
 * the globals admit one registration.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import type { TracingConfig } from './config.js';

export interface TracingSdk {
  /** Exports what is still buffered (waiting up to `exportTimeoutMs`), then unregisters the globals. */
  shutdown(): Promise<void>;
}

/** Null when tracing is off: nothing is loaded or registered. */
export async function startTracing(config: TracingConfig): Promise<TracingSdk | null> {
  if (!config.enabled) return null;
  const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { resourceFromAttributes }, sdk, { OTLPTraceExporter }] =
    await Promise.all([
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/core'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-http'),
    ]);
  const exporter = new OTLPTraceExporter({ url: config.endpoint, headers: { ...config.headers }, timeoutMillis: config.exportTimeoutMs });
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter, exportTimeoutMillis: config.exportTimeoutMs })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const taken = new Error('telemetry.tracing: another OpenTelemetry SDK is already registered in this process');
  if (!context.setGlobalContextManager(contextManager)) throw taken;
  if (!trace.setGlobalTracerProvider(provider)) {
    context.disable();
    throw taken;
  }
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    async shutdown() {
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        propagation.disable();
        context.disable();
      }
    },
  };
}
