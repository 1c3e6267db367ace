/**
 * The backends one request may use, as its tenant's grant (tenancy/config.ts) decides: the instances
 * built for that tenant (its own config overrides make them distinct objects, and distinct cache
 * identities), which of them a query that names none runs on, the services it may see and the backends
 * that get the caller's bearer token. Built once per tenant at start-up (tenancy/build-scopes.ts); the
 * `null` tenant is the whole gateway, as it is without tenancy.
 */
import type { Backend } from '../backends/backend.js';
import { ForbiddenError, UnknownBackendError } from '../errors.js';
import type { ServiceGrant } from './service-grant.js';

export class BackendScope {
  private readonly byName: Map<string, Backend>;

  constructor(
    /** The tenant name, or null for the whole gateway. */
    readonly tenant: string | null,
    /** Granted backend instances, in config order. */
    readonly backends: readonly Backend[],
    /** Those a query naming none runs on. */
    readonly defaults: readonly Backend[],
    /** Every configured backend's name: a name outside the grant is FORBIDDEN, an unknown one UNKNOWN_BACKEND. */
    private readonly configured: ReadonlySet<string>,
    readonly services: ServiceGrant | undefined,
    /** Backends that receive the caller's own bearer token (and are never cached for this scope). */
    readonly bearerTo: ReadonlySet<string>,
  ) {
    this.byName = new Map(backends.map((b) => [b.name, b]));
  }

  /** The backends a query naming `names` (null: none) runs on; throws for a name it may not use. */
  select(names: readonly string[] | null | undefined): Backend[] {
    if (names === null || names === undefined) return [...this.defaults];
    const granted = [...this.byName.keys()];
    for (const name of names) {
      if (this.byName.has(name)) continue;
      if (this.configured.has(name)) throw new ForbiddenError(`backend '${name}' is not granted to this caller; granted: ${granted.join(', ')}`);
      throw new UnknownBackendError(name, granted);
    }
    const wanted = new Set(names);
    return this.backends.filter((b) => wanted.has(b.name));
  }

  isDefault(backend: Backend): boolean {
    return this.defaults.includes(backend);
  }
}
