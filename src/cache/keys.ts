/**
 * The only place cache keys are built. A key holds, in order: the key-format version, the caller's
 * tenant/auth scope, the backend's identity (name plus a fingerprint of its configuration, so
 * pointing a backend elsewhere invalidates its entries), the kind of answer and the normalised
 * question. Two scopes can therefore never share an entry. Returns undefined for "not cacheable",
 * with the reason next to the check.
 *
 * Everything after the version sits in a Redis Cluster hash tag (`v3:{…}`), so the lock that guards
 * an entry across replicas (`lockKeyOf`, replica-flight.ts) hashes to the entry's slot and one script
 * can read both. The tag is the whole question, so entries still spread over the cluster as before.
 */
import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';
import type { TraceQuery, TimeWindow } from '../backends/backend.js';
import type { SpanKind, TraceId } from '../model/index.js';

/**
 * Bump when the key layout or the serialised value format changes: old entries are then ignored. v2: a
 * trace is `{ spans, warnings }` (backends/backend.ts BackendTrace), no longer a span list. v3: the
 * hash tag around everything after the version.
 */
export const KEY_FORMAT_VERSION = 'v3';

export type CacheKind = 'trace' | 'search' | 'services' | 'operations' | 'remoteServices' | 'dependencies' | 'autocomplete';

export interface BackendIdentity {
  name: string;
  /** Hash of the backend's connection-relevant configuration (kind, url, schema, index prefix...). */
  fingerprint: string;
}

/**
 * JSON with object keys sorted at every depth (arrays keep their order; undefined fields are left out,
 * as JSON.stringify leaves them out), so two configs that differ only in key order or in an explicit
 * `undefined` share a fingerprint. Strict: a value JSON cannot hold (a function, NaN, a cycle) throws
 * rather than silently dropping out of the backend's identity.
 */
const canonicalJson = configure({ deterministic: true, strict: true, circularValue: Error, bigint: true });

/**
 * Hash of the whole backend config block, nested objects included: headers (tenant, auth), TLS and
 * credentials change what a backend answers, so changing any of them must stop serving the entries
 * cached under the old settings.
 */
export function fingerprintOf(config: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 12);
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

function scopePart(scope: string | undefined): string {
  // Scopes are caller-supplied text: hash them so no value can forge a key boundary.
  return scope === undefined || scope === '' ? 'public' : `s.${hash(scope)}`;
}

function prefix(kind: CacheKind, scope: string | undefined, backend: BackendIdentity): string {
  return `${scopePart(scope)}:${backend.name}@${backend.fingerprint}:${kind}`;
}

/**
 * The version, then the rest as one hash tag. A `}` in a backend name only shortens the tag; it stays
 * inside the key, which is all `lockKeyOf` needs.
 */
function tagged(rest: string): string {
  return `${KEY_FORMAT_VERSION}:{${rest}}`;
}

/**
 * The cross-replica lock of an entry: the entry's key plus a suffix, so it has the entry's hash tag
 * (the same Cluster slot) and its key prefix, and can never equal an entry key (those end in `}`).
 */
export function lockKeyOf(entryKey: string): string {
  return `${entryKey}:lock`;
}

export function traceKey(scope: string | undefined, backend: BackendIdentity, id: TraceId): string {
  return tagged(`${prefix('trace', scope, backend)}:${id}`);
}

/**
 * Search answers are cacheable only for windows already rounded to the bucket (the resolver rounds
 * relative windows, and absolute ones the client chose): the key names the exact window, limit and
 * every filter, attributes sorted so their order does not split the cache.
 */
export function searchKey(scope: string | undefined, backend: BackendIdentity, query: TraceQuery): string | undefined {
  // A window wider than a month is an ad-hoc investigation, not a dashboard refresh: not worth the memory.
  if (query.window.endUs - query.window.startUs > 31 * 86_400_000_000) return undefined;
  const normalised = {
    s: query.service,
    o: query.operation,
    a: [...query.attributes].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.value < y.value ? -1 : 1)).map((f) => [f.key, f.value]),
    min: query.minDurationUs,
    max: query.maxDurationUs,
    w: [query.window.startUs, query.window.endUs],
    l: query.limit,
    // Only when set, so the keys of plain searches stay what they were.
    ...(query.eventName !== undefined ? { e: query.eventName } : {}),
  };
  return tagged(`${prefix('search', scope, backend)}:${hash(JSON.stringify(normalised))}`);
}

export function servicesKey(scope: string | undefined, backend: BackendIdentity): string {
  return tagged(prefix('services', scope, backend));
}

export function operationsKey(scope: string | undefined, backend: BackendIdentity, service: string, spanKind: SpanKind | null): string {
  return tagged(`${prefix('operations', scope, backend)}:${hash(JSON.stringify([service, spanKind]))}`);
}

export function remoteServicesKey(scope: string | undefined, backend: BackendIdentity, service: string): string {
  return tagged(`${prefix('remoteServices', scope, backend)}:${hash(service)}`);
}

export function dependenciesKey(scope: string | undefined, backend: BackendIdentity, window: TimeWindow): string {
  return tagged(`${prefix('dependencies', scope, backend)}:${window.startUs}-${window.endUs}`);
}

/** Autocomplete keys (key null) or the values of one key. */
export function autocompleteKey(scope: string | undefined, backend: BackendIdentity, key: string | null): string {
  return tagged(`${prefix('autocomplete', scope, backend)}:${key === null ? '*keys' : hash(key)}`);
}
