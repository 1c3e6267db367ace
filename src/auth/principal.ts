/**
 * Who a request acts for, as authentication found it (issue 14). Set on every request by
 * plugin.ts as `request.principal`; the GraphQL context and the compatible APIs read it. What a
 * principal may see (tenants' backends, admin fields) is decided elsewhere, from `tenants` and `admin`.
 */
export interface Principal {
  /** Stable id for audit and rate limits: `jwt:<iss>|<sub>`, `key:<id>`, or `anonymous`. Never a token. */
  id: string;
  kind: 'jwt' | 'apiKey' | 'anonymous';
  /** Tenants this principal may act for (from a claim or the API key's config); [] for anonymous. */
  tenants: string[];
  /** Admin grant: may read Query.backends / Query.cache. */
  admin: boolean;
  /** The raw bearer token, kept only for per-backend pass-through (never logged, never cached). */
  bearerToken: string | null;
}

/**
 * `auth.mode: none`: everybody is this principal, an admin, so the zero-config demo sees everything as it
 * always has. Frozen: one object is shared by every request.
 */
export const ANONYMOUS_ADMIN: Principal = Object.freeze({ id: 'anonymous', kind: 'anonymous', tenants: [], admin: true, bearerToken: null });

/** A request to an open route (/healthz, /readyz, /metrics, the explorer's page) while authentication is on. */
export const ANONYMOUS_OPEN: Principal = Object.freeze({ id: 'anonymous', kind: 'anonymous', tenants: [], admin: false, bearerToken: null });
