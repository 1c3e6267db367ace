/**
 * What each backend folder exports from its index.ts: its kind, the zod schema of its config block
 * (merged into the global config schema by registry.ts) and a factory.
 */
import { z } from 'zod';
import type { Backend, BackendDeps, BackendKind } from './backend.js';

/** Fields every backend's config block has. */
export const baseBackendConfigSchema = z.strictObject({
  /** Unique; shown in span sources, errors and the backend status list. */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'name must be 1-64 characters of letters, digits, _ . -'),
  /** Per-call timeout; the request deadline may cut it shorter. */
  timeoutMs: z.number().int().positive().max(300_000).default(5_000),
  /** Whether fan-out includes this backend when a query names no backends. */
  enabled: z.boolean().default(true),
});

/** Extra headers on every request: auth, tenant. */
export const headersConfigSchema = z.record(z.string(), z.string()).default({});

/** TLS towards a backend (the HTTP backends and Elasticsearch's client). */
export const tlsConfigSchema = z
  .strictObject({
    /** PEM file of a CA to trust in addition to the system ones. */
    caFile: z.string().optional(),
    /** Skip certificate verification: for test clusters only. */
    insecureSkipVerify: z.boolean().default(false),
  })
  .default({ insecureSkipVerify: false });

/** HTTP options shared by backends that speak HTTP through http/http-client.ts (Jaeger, Zipkin). */
export const httpBackendConfigSchema = baseBackendConfigSchema.extend({
  url: z.url(),
  headers: headersConfigSchema,
  tls: tlsConfigSchema,
  /** Upper bound on concurrent HTTP calls to this backend (per-id fetches on non-batching APIs). */
  maxConcurrency: z.number().int().positive().max(256).default(8),
});

export type BaseBackendConfig = z.infer<typeof baseBackendConfigSchema>;
export type HttpBackendConfig = z.infer<typeof httpBackendConfigSchema>;

export interface BackendFactory<C extends BaseBackendConfig & { kind: BackendKind }> {
  readonly kind: C['kind'];
  readonly configSchema: z.ZodType<C, any>;
  create(config: C, deps: BackendDeps): Backend;
}
