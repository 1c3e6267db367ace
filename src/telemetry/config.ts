/**
 * The `telemetry` config block: Tracegate's traces of its own work, exported over OTLP/HTTP (README,
 * "Operating Tracegate" → "Tracing Tracegate itself"). Off by default: then no SDK is loaded and every
 * hook in the request path is a no-op of @opentelemetry/api.
 */
import { z } from 'zod';

const TRACING_DEFAULTS = {
  enabled: false,
  endpoint: 'http://localhost:4318/v1/traces',
  serviceName: 'tracegate',
  sampleRatio: 1,
  headers: {},
  exportTimeoutMs: 10_000,
};

const tracingConfigSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        "Trace Tracegate's own work (a span per API request, backend call, merge and GraphQL execution) and send `traceparent` to the backends.",
      ),
    endpoint: z
      .url()
      .default(TRACING_DEFAULTS.endpoint)
      .describe('OTLP/HTTP (JSON) traces URL spans are exported to, path included, e.g. `http://collector:4318/v1/traces`.'),
    serviceName: z.string().min(1).default(TRACING_DEFAULTS.serviceName).describe('`service.name` of the exported spans.'),
    sampleRatio: z
      .number()
      .min(0)
      .max(1)
      .default(TRACING_DEFAULTS.sampleRatio)
      .describe("Share of new traces recorded (trace-id ratio); a request carrying a `traceparent` follows its caller's sampled flag instead."),
    headers: z.record(z.string(), z.string()).default({}).describe("Extra headers on every export request (a collector's credentials)."),
    exportTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(TRACING_DEFAULTS.exportTimeoutMs)
      .describe('Longest wait for one export request, and for the last flush at shutdown.'),
  })
  .default(TRACING_DEFAULTS);

export const telemetryConfigSchema = z
  .strictObject({ tracing: tracingConfigSchema })
  .default({ tracing: TRACING_DEFAULTS })
  .describe("Tracegate's own telemetry.");

export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;
export type TracingConfig = TelemetryConfig['tracing'];
