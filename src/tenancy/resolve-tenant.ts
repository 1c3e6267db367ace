/**
 * Which tenant a request acts for. The principal's tenants come from authentication (a token claim,
 * an API key's config: src/auth/), never from a header alone; `X-Tenant` only chooses among them when
 * a principal holds several. Without a `tenants` config there is no tenancy: every request is the
 * whole gateway (null), whatever it sends.
 *
 * - With `auth.mode: none` every caller is the anonymous admin: X-Tenant may name any configured tenant
 *   (a local deployment trying a tenant's view), and without it the request is the whole gateway.
 * - An authenticated principal holding one configured tenant acts for it; holding several, X-Tenant
 *   must name one of them; an admin holding none is the whole gateway; anyone else holding none, or
 *   naming a tenant it does not hold, is FORBIDDEN.
 */
import type { Principal } from '../auth/principal.js';
import { ForbiddenError } from '../errors.js';

export function resolveTenant(principal: Principal, requested: string | null, configured: ReadonlySet<string>): string | null {
  if (configured.size === 0) return null;
  if (principal.kind === 'anonymous') {
    if (requested === null) return principal.admin ? null : forbidden('this request carries no tenant');
    if (principal.admin && configured.has(requested)) return requested;
    return forbidden(`tenant '${requested}' is not granted to this caller`);
  }
  const held = principal.tenants.filter((t) => configured.has(t));
  if (requested !== null) {
    if (held.includes(requested)) return requested;
    return forbidden(`tenant '${requested}' is not granted to this caller`);
  }
  if (held.length === 1) return held[0]!;
  if (held.length > 1) return forbidden(`this caller holds several tenants (${held.join(', ')}): name one in the X-Tenant header`);
  if (principal.admin) return null;
  return forbidden('this caller holds no configured tenant');
}

function forbidden(message: string): never {
  throw new ForbiddenError(message);
}
