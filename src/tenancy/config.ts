/**
 * The `tenants` config block (README, "Access control" → "Tenants and grants"): what each tenant may
 * query. A principal's tenants come from its token's claim or its API key's config (src/auth/), never
 * from a header alone; a tenant's grant names the backends it may query, optionally the services it may
 * see, per-backend config overrides (headers such as Jaeger's `x-tenant` or `X-Scope-OrgID`, an
 * Elasticsearch `apiKey` or `indexPrefix`: any field of that backend's own config but `name` and
 * `kind`), and the backends the caller's own bearer token is forwarded to.
 */
import { z } from 'zod';

const backendName = z.string().min(1);

const tenantGrantSchema = z.strictObject({
  backends: z
    .array(backendName)
    .min(1)
    .describe('Backends this tenant may query; a query naming another is FORBIDDEN, and a query naming none runs on these (those enabled).'),
  services: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('If set, the only services this tenant sees: spans of other services are removed from traces, lists and searches.'),
  backendOverrides: z
    .record(backendName, z.record(z.string(), z.unknown()))
    .default({})
    .describe(
      "Per backend, config fields that replace the backend's own for this tenant (`headers` are merged): e.g. `{jaeger: {headers: {x-tenant: acme}}}`, `{es: {indexPrefix: acme}}`. Validated by the backend's schema at start-up.",
    ),
  passBearerTo: z
    .array(backendName)
    .default([])
    .describe(
      "Backends that receive the caller's own `Authorization: Bearer` token (Jaeger's bearer-token propagation); their answers are never cached.",
    ),
});

export const tenantsConfigSchema = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a tenant name is 1-64 letters, digits, _ . -'), tenantGrantSchema)
  .default({})
  .describe('Tenants and their grants (README, "Tenants and grants"); empty: no tenancy, every caller sees every backend.');

export type TenantsConfig = z.infer<typeof tenantsConfigSchema>;
