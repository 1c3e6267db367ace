/**
 * What each backend folder exports from its index.ts: its kind, the zod schema of its config block
 * (merged into the global config schema by registry.ts) and a factory.
 */
import { z } from 'zod';
import { circuitBreakerConfigSchema, hedgeConfigSchema } from '../resilience/config.js';
import type { Backend, BackendDeps, BackendKind } from './backend.js';

/** Fields every backend's config block has. */
export const baseBackendConfigSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'name must be 1-64 characters of letters, digits, _ . -')
    .describe('Unique name, shown in span sources, errors and the backend status list.'),
  timeoutMs: z.number().int().positive().max(300_000).default(5_000).describe('Per-call timeout; the request deadline may cut it shorter.'),
  enabled: z.boolean().default(true).describe('Whether fan-out includes this backend when a query names no backends.'),
  // Applied by the gateway around the instance it builds (resilience/resilient-backend.ts), not by the backend.
  circuitBreaker: circuitBreakerConfigSchema,
  hedge: hedgeConfigSchema,
});

export const headersConfigSchema = z.record(z.string(), z.string()).default({}).describe('Extra headers on every request (auth, tenant).');

/** TLS towards a backend (the HTTP backends and Elasticsearch's client). */
export const tlsConfigSchema = z
  .strictObject({
    caFile: z.string().optional().describe('PEM file of a CA to trust in addition to the system ones.'),
    insecureSkipVerify: z.boolean().default(false).describe('Skip certificate verification: for test clusters only.'),
  })
  .default({ insecureSkipVerify: false });

/** HTTP options shared by backends that speak HTTP through http/http-client.ts (Jaeger, Zipkin). */
export const httpBackendConfigSchema = baseBackendConfigSchema.extend({
  url: z.url().describe('Base URL of the query service.'),
  headers: headersConfigSchema,
  tls: tlsConfigSchema,
  maxConcurrency: z
    .number()
    .int()
    .positive()
    .max(256)
    .default(8)
    .describe('Most HTTP calls to this backend in flight at once (per-id fetches on APIs that cannot batch).'),
});

export type BaseBackendConfig = z.infer<typeof baseBackendConfigSchema>;
export type HttpBackendConfig = z.infer<typeof httpBackendConfigSchema>;

export interface BackendFactory<C extends BaseBackendConfig & { kind: BackendKind }> {
  readonly kind: C['kind'];
  readonly configSchema: z.ZodType<C, unknown>;
  create(config: C, deps: BackendDeps): Backend;
}
