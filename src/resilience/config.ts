/**
 * The per-backend resilience settings (README, "Circuit breakers and deadlines"): the circuit breaker
 * in front of each backend instance and the optional hedged trace fetch. Part of every backend's config
 * block (backends/factory.ts); the Redis breaker's settings live with the rest of Redis's (cache/config.ts).
 */
import { z } from 'zod';

export const circuitBreakerConfigSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('Stop calling this backend after `consecutiveFailures` failures in a row (`BACKEND_UNAVAILABLE`, circuit open).'),
    consecutiveFailures: z
      .number()
      .int()
      .positive()
      .default(5)
      .describe('Failures in a row (timeouts, connection errors, 5xx, unreadable answers) that open the circuit.'),
    halfOpenAfterMs: z
      .number()
      .int()
      .positive()
      .default(5_000)
      .describe('How long an open circuit refuses calls before it lets one probe call through; its success closes the circuit.'),
  })
  .default({ enabled: true, consecutiveFailures: 5, halfOpenAfterMs: 5_000 });

export const hedgeConfigSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        'For a backend behind several replicas: a trace fetch not answered after its observed p95 is sent a second time, the first answer wins.',
      ),
    minDelayMs: z.number().int().positive().default(50).describe('The second request never starts sooner than this.'),
  })
  .default({ enabled: false, minDelayMs: 50 });

/** The Redis breaker (cache.redis.breaker). */
export const redisBreakerConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Stop sending commands to Redis after `consecutiveFailures` failed or timed-out commands in a row.'),
    consecutiveFailures: z.number().int().positive().default(3).describe('Failed or timed-out commands in a row that open the breaker.'),
    halfOpenAfterMs: z
      .number()
      .int()
      .positive()
      .default(2_000)
      .describe('How long the breaker skips Redis (lookups are misses, nothing is written) before one command probes it.'),
  })
  .default({ enabled: true, consecutiveFailures: 3, halfOpenAfterMs: 2_000 });

export type CircuitBreakerConfig = z.infer<typeof circuitBreakerConfigSchema>;
export type HedgeConfig = z.infer<typeof hedgeConfigSchema>;
