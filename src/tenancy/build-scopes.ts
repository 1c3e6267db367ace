/**
 * One BackendScope per tenant, built at start-up from the configured backends and the `tenants` grants
 * (tenancy/config.ts), plus the whole-gateway scope (tenant null). A tenant whose grant overrides a
 * backend's config gets an instance of its own built from the effective config; a backend it uses as
 * configured is the shared instance. Every instance comes back with the config it was built from, so
 * the cache can give each its own identity (cache/create-cache.ts).
 */
import type { Backend, BackendDeps } from '../backends/backend.js';
import { backendFactories } from '../backends/registry.js';
import type { BackendConfig } from '../config/load.js';
import { BackendScope } from './backend-scope.js';
import type { TenantsConfig } from './config.js';
import { effectiveBackendConfig } from './effective-config.js';
import { ServiceGrant } from './service-grant.js';

export interface BuiltInstance {
  backend: Backend;
  /** What its cache identity is the fingerprint of; `{kind}` for an instance a test handed in. */
  config: Record<string, unknown>;
}

export interface BuiltScopes {
  scopes: ReadonlyMap<string | null, BackendScope>;
  instances: BuiltInstance[];
}

export interface ScopeInputs {
  /** The configured backends, in config order, and the instance built for each. */
  backends: ReadonlyArray<{ config: BackendConfig | undefined; backend: Backend }>;
  /** Names of the backends a query naming none runs on (federation.defaultBackends, else the enabled ones). */
  defaults: ReadonlySet<string>;
  tenants: TenantsConfig;
  deps: (name: string) => BackendDeps;
  /** What the gateway puts around each instance it builds here (resilience/index.ts), given its config and label. */
  wrap?: (backend: Backend, config: BackendConfig, label: string) => Backend;
}

export function buildScopes(inputs: ScopeInputs): BuiltScopes {
  const { backends, defaults, tenants } = inputs;
  const configured = new Set(backends.map((b) => b.backend.name));
  const instances: BuiltInstance[] = backends.map(({ backend, config }) => ({ backend, config: config ?? { kind: backend.kind } }));
  const all = backends.map((b) => b.backend);
  const scopes = new Map<string | null, BackendScope>();
  scopes.set(
    null,
    new BackendScope(
      null,
      all,
      all.filter((b) => defaults.has(b.name)),
      configured,
      undefined,
      new Set(),
    ),
  );

  for (const [tenant, grant] of Object.entries(tenants)) {
    const granted: Backend[] = [];
    for (const { backend, config } of backends) {
      if (!grant.backends.includes(backend.name)) continue;
      const override = grant.backendOverrides[backend.name];
      if (override === undefined) {
        granted.push(backend);
        continue;
      }
      if (config === undefined) throw new Error(`tenants.${tenant}.backendOverrides.${backend.name}: overrides need backends built from config`);
      const effective = effectiveBackendConfig(config, override, `tenants.${tenant}.backendOverrides.${backend.name}`);
      const factory = backendFactories.get(effective.kind)!;
      const label = `${backend.name}@${tenant}`;
      const built = factory.create(effective, inputs.deps(label));
      const instance = inputs.wrap ? inputs.wrap(built, effective, label) : built;
      instances.push({ backend: instance, config: effective });
      granted.push(instance);
    }
    const services = grant.services ? new ServiceGrant(new Set(grant.services)) : undefined;
    const tenantDefaults = granted.filter((b) => defaults.has(b.name));
    scopes.set(tenant, new BackendScope(tenant, granted, tenantDefaults, configured, services, new Set(grant.passBearerTo)));
  }
  return { scopes, instances };
}
