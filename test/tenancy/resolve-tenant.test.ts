/** Which tenant a request acts for (src/tenancy/resolve-tenant.ts): from the principal, never from a header alone. */
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_ADMIN, ANONYMOUS_OPEN, type Principal } from '../../src/auth/principal.js';
import { ForbiddenError } from '../../src/errors.js';
import { resolveTenant } from '../../src/tenancy/resolve-tenant.js';

const CONFIGURED = new Set(['acme', 'globex', 'initech']);
const user = (tenants: string[], admin = false): Principal => ({ id: 'jwt:i|u', kind: 'jwt', tenants, admin, bearerToken: null });

describe('resolveTenant', () => {
  it('without tenants configured every request is the whole gateway, whatever it sends', () => {
    expect(resolveTenant(user(['acme']), 'globex', new Set())).toBeNull();
    expect(resolveTenant(ANONYMOUS_ADMIN, 'x', new Set())).toBeNull();
  });

  it('a principal holding one tenant acts for it; X-Tenant may name it but no other', () => {
    expect(resolveTenant(user(['acme']), null, CONFIGURED)).toBe('acme');
    expect(resolveTenant(user(['acme']), 'acme', CONFIGURED)).toBe('acme');
    expect(() => resolveTenant(user(['acme']), 'globex', CONFIGURED)).toThrow(ForbiddenError);
    expect(() => resolveTenant(user(['acme']), 'ACME', CONFIGURED)).toThrow(ForbiddenError);
  });

  it('a principal holding several must choose one with X-Tenant', () => {
    expect(() => resolveTenant(user(['acme', 'globex']), null, CONFIGURED)).toThrow(/several tenants/);
    expect(resolveTenant(user(['acme', 'globex']), 'globex', CONFIGURED)).toBe('globex');
  });

  it('tenants the config does not know are not held; an admin holding none is the whole gateway, anyone else is refused', () => {
    expect(resolveTenant(user(['umbrella', 'acme']), null, CONFIGURED)).toBe('acme');
    expect(() => resolveTenant(user(['umbrella']), null, CONFIGURED)).toThrow(/no configured tenant/);
    expect(() => resolveTenant(user(['umbrella']), 'umbrella', CONFIGURED)).toThrow(ForbiddenError);
    expect(resolveTenant(user([], true), null, CONFIGURED)).toBeNull();
    expect(() => resolveTenant(user([], false), null, CONFIGURED)).toThrow(ForbiddenError);
  });

  it('without authentication the anonymous admin may pick a configured tenant to see its view; the open-route principal may not', () => {
    expect(resolveTenant(ANONYMOUS_ADMIN, null, CONFIGURED)).toBeNull();
    expect(resolveTenant(ANONYMOUS_ADMIN, 'initech', CONFIGURED)).toBe('initech');
    expect(() => resolveTenant(ANONYMOUS_ADMIN, 'umbrella', CONFIGURED)).toThrow(ForbiddenError);
    expect(() => resolveTenant(ANONYMOUS_OPEN, null, CONFIGURED)).toThrow(ForbiddenError);
  });
});
