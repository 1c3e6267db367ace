/**
 * The settings an operator tunes for running Tracegate rather than for what it answers: background
 * health checks (server/health-monitor.ts), response compression (server/compression.ts) and the
 * shutdown deadline (src/index.ts). README, "Operating Tracegate", explains each.
 */
import { z } from 'zod';

const HEALTH_DEFAULTS = { intervalMs: 10_000, timeoutMs: 2_000, unhealthyAfter: 1 };

export const healthConfigSchema = z
  .strictObject({
    intervalMs: z
      .number()
      .int()
      .min(100)
      .default(HEALTH_DEFAULTS.intervalMs)
      .describe('Time between two background health checks of every backend; `/readyz` answers from the last one and never calls a backend.'),
    timeoutMs: z
      .number()
      .int()
      .positive()
      .default(HEALTH_DEFAULTS.timeoutMs)
      .describe("Deadline of one backend's health check; a check that misses it counts as failed."),
    unhealthyAfter: z
      .number()
      .int()
      .positive()
      .default(HEALTH_DEFAULTS.unhealthyAfter)
      .describe('Failed checks in a row before a backend is reported unhealthy (one success makes it healthy again).'),
  })
  .default(HEALTH_DEFAULTS);

const COMPRESSION_DEFAULTS = { enabled: true, thresholdBytes: 1024, brotliQuality: 4 };

export const compressionSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(COMPRESSION_DEFAULTS.enabled)
      .describe("Compress responses (GraphQL, Jaeger, Zipkin, Lens) with brotli or gzip, as the client's `Accept-Encoding` asks."),
    thresholdBytes: z
      .number()
      .int()
      .min(0)
      .default(COMPRESSION_DEFAULTS.thresholdBytes)
      .describe('Smallest response body that is compressed; smaller ones cost more CPU than the bytes they save.'),
    brotliQuality: z
      .number()
      .int()
      .min(0)
      .max(11)
      .default(COMPRESSION_DEFAULTS.brotliQuality)
      .describe(
        "Brotli quality, 0–11; 4 compresses a trace better than gzip at about gzip's CPU cost, 11 (zlib's default) costs many times more (bench/RESULTS.md).",
      ),
  })
  .default(COMPRESSION_DEFAULTS);

export const shutdownTimeoutSchema = z
  .number()
  .int()
  .positive()
  .default(25_000)
  .describe(
    "On SIGTERM or SIGINT, how long in-flight requests may take to finish before the process exits anyway; keep it below the orchestrator's grace period (Kubernetes: 30 s).",
  );

export type HealthConfig = z.infer<typeof healthConfigSchema>;
