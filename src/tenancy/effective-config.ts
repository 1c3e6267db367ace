/**
 * A backend's config as one tenant's grant makes it: the backend's own block with the tenant's
 * `backendOverrides` over it (`headers` merged, other fields replaced), validated by the backend's own
 * schema. This config is what the tenant's instance is built from and what its cache identity is the
 * fingerprint of (cache/keys.ts), so two tenants share cache entries only when every field their
 * backend requests depend on is the same.
 */
import type { BackendKind } from '../backends/backend.js';
import { backendFactories } from '../backends/registry.js';
import type { BackendConfig } from '../config/load.js';
import type { TenantsConfig } from './config.js';

const FIXED_FIELDS = new Set(['name', 'kind']);

/** Throws an Error naming the config path for a grant that names no backend or overrides what it may not. */
export function effectiveBackendConfig(base: BackendConfig, override: Record<string, unknown> | undefined, at: string): BackendConfig {
  if (override === undefined) return base;
  for (const key of Object.keys(override)) if (FIXED_FIELDS.has(key)) throw new Error(`${at}.${key}: a tenant cannot override a backend's ${key}`);
  const merged: Record<string, unknown> = { ...base, ...override };
  const baseHeaders = (base as { headers?: Record<string, string> }).headers;
  const overrideHeaders = override.headers as Record<string, string> | undefined;
  if (baseHeaders !== undefined || overrideHeaders !== undefined) merged.headers = mergeHeaders(baseHeaders ?? {}, overrideHeaders ?? {});
  const factory = backendFactories.get(base.kind as BackendKind);
  if (!factory) throw new Error(`${at}: no backend kind '${base.kind}'`);
  const result = factory.configSchema.safeParse(merged);
  if (!result.success) throw new Error(`${at}: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return result.data as BackendConfig;
}

/** Header names are case-insensitive: an override of `X-Tenant` replaces a configured `x-tenant`. */
function mergeHeaders(base: Record<string, string>, override: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const overridden = new Set(Object.keys(override).map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(base)) if (!overridden.has(k.toLowerCase())) out[k] = v;
  return { ...out, ...override };
}

/** Start-up check of every grant against the configured backends; returns the problems, one line each. */
export function checkTenants(tenants: TenantsConfig, backends: readonly BackendConfig[]): string[] {
  const byName = new Map(backends.map((b) => [b.name, b]));
  const problems: string[] = [];
  for (const [tenant, grant] of Object.entries(tenants)) {
    const at = `tenants.${tenant}`;
    const names = (field: string, list: readonly string[]) => {
      for (const [i, name] of list.entries()) if (!byName.has(name)) problems.push(`${at}.${field}[${i}]: unknown backend '${name}'`);
    };
    names('backends', grant.backends);
    names('passBearerTo', grant.passBearerTo);
    names('backendOverrides', Object.keys(grant.backendOverrides));
    for (const name of [...grant.passBearerTo, ...Object.keys(grant.backendOverrides)]) {
      if (byName.has(name) && !grant.backends.includes(name))
        problems.push(`${at}: backend '${name}' is configured for this tenant but not in its backends`);
    }
    for (const [name, override] of Object.entries(grant.backendOverrides)) {
      const base = byName.get(name);
      if (!base) continue;
      try {
        effectiveBackendConfig(base, override, `${at}.backendOverrides.${name}`);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  return problems;
}
