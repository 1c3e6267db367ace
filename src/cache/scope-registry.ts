/**
 * Which cache scopes (tenants, server/context.ts) may have cache entries. Tenants come from config,
 * but a deployment may configure many, and each new one opens a fresh partition of the cache that
 * evicts everyone else's entries. So at most `max` scopes hold entries at a time; a scope's slot is
 * freed after `idleSeconds` without a request.
 *
 * A scope beyond the limit (or longer than MAX_SCOPE_LENGTH) is still answered, only without the
 * cache, as if caching were off for that request: refusing the query would turn a cache policy
 * into an outage for a legitimate new tenant, and falling back to the public scope would let it
 * read entries it must not share. Scopes already admitted keep their slot however long a flood of
 * new values lasts, because each request refreshes it; the flood's own slots free up once it stops.
 * The anonymous (public) scope is always admitted.
 */
import type { RedisLogger } from './redis.js';

/** Tenant names are short; anything longer is not a scope worth a cache partition. */
export const MAX_SCOPE_LENGTH = 256;

export interface ScopeLimits {
  max: number;
  idleSeconds: number;
}

export class ScopeRegistry {
  /** Scope → last request (epoch ms), least recently seen first (Map keeps insertion order). */
  private readonly lastSeen = new Map<string, number>();
  private isFullLogged = false;

  constructor(
    private readonly limits: ScopeLimits,
    private readonly logger?: Pick<RedisLogger, 'warn'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `scope` may read and write the cache; records the request for admitted scopes. */
  admit(scope: string | undefined): boolean {
    if (scope === undefined || scope === '') return true;
    if (scope.length > MAX_SCOPE_LENGTH) return false;
    const now = this.now();
    if (this.lastSeen.delete(scope)) {
      this.lastSeen.set(scope, now);
      return true;
    }
    const idleMs = this.limits.idleSeconds * 1000;
    for (const [old, seenAt] of this.lastSeen) {
      if (now - seenAt < idleMs) break;
      this.lastSeen.delete(old);
    }
    if (this.lastSeen.size >= this.limits.max) {
      if (!this.isFullLogged) {
        this.isFullLogged = true;
        this.logger?.warn(
          { cache: 'scopes', max: this.limits.max, idleSeconds: this.limits.idleSeconds },
          'cache scope limit reached: requests of a new tenant are served without the cache until a scope has been idle for idleSeconds',
        );
      }
      return false;
    }
    this.isFullLogged = false;
    this.lastSeen.set(scope, now);
    return true;
  }

  get size(): number {
    return this.lastSeen.size;
  }
}
