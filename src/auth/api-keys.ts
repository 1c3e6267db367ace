/**
 * Matches a presented API key against the configured SHA-256 digests. Only digests are configured,
 * so a leaked config file leaks no key. The presented key is hashed and compared with every
 * configured digest in constant time, without stopping at a match, so neither the comparison nor the
 * loop tells a caller how close a guess came or which entry it hit.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../errors.js';
import type { ApiKeyConfig } from './config.js';
import type { Principal } from './principal.js';

export function createApiKeyMatcher(keys: readonly ApiKeyConfig[]): (presented: string) => Principal {
  const entries = keys.map((key) => ({ key, digest: Buffer.from(key.sha256, 'hex') }));
  return (presented) => {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: ApiKeyConfig | undefined;
    for (const entry of entries) {
      if (timingSafeEqual(entry.digest, digest)) found ??= entry.key;
    }
    if (found === undefined) throw new UnauthenticatedError('the API key is not configured');
    return { id: `key:${found.id}`, kind: 'apiKey', tenants: [...found.tenants], admin: found.admin, bearerToken: null };
  };
}
