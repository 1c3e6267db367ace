/**
 * Redaction of what callers ask for, not only of what they get: a search that filters by a redacted
 * key, by a value a value rule matches, or by the replacement text itself is refused before any
 * backend sees it. Backends search their unredacted data, so without this a caller could confirm a
 * guessed token (`http.request.header.authorization=Bearer abc…`) by whether a trace comes back.
 * Autocomplete answers lose the redacted keys and the values a rule matches, so they never offer
 * what search would refuse. Applied in the federation (federation/search.ts, metadata.ts,
 * remote-services.ts), which every API's search and autocomplete pass through; Jaeger's `tags`,
 * api_v3's `query.attributes` and Zipkin's `annotationQuery` are TraceQuery.attributes by then.
 *
 * The refusal is BAD_USER_INPUT with `extensions.reason: 'REDACTED_FILTER'`, not FORBIDDEN: the rule
 * is the gateway's for every caller (no principal may search by a secret), so the query, not the
 * caller's grant, is what must change; FORBIDDEN stays the answer to a grant (README, "Access
 * control"). It is also what every API already answers as the caller's error (GraphQL's code, a 400
 * in Jaeger's v1 and api_v3 envelopes and Zipkin's plain text). The message names the key or the rule,
 * never the value.
 */
import type { Operation, TraceQuery } from '../backends/backend.js';
import { ErrorCode, TracegateError } from '../errors.js';
import { compareOperations } from '../model/index.js';
import type { Redactor } from './redactor.js';

/** `extensions.reason` of a refused search: stable, for clients to branch on. */
export const REDACTED_FILTER = 'REDACTED_FILTER';

class RedactedFilterError extends TracegateError {
  constructor(message: string, argument: string) {
    super(ErrorCode.BAD_USER_INPUT, message, { argument, reason: REDACTED_FILTER });
  }
}

function refuseValue(redactor: Redactor, value: string, what: string, argument: string): void {
  if (value === redactor.replacement) throw new RedactedFilterError(`${what} is the redaction placeholder; it cannot be searched for`, argument);
  const rule = redactor.matchingValueRule(value);
  if (rule !== null)
    throw new RedactedFilterError(`${what} matches the redaction rule '${rule}'; searching by redacted values is not allowed`, argument);
}

/** Throws BAD_USER_INPUT (reason REDACTED_FILTER) for a search that filters by what redaction hides. */
export function checkSearch(query: TraceQuery, redactor: Redactor): void {
  for (const { key, value } of query.attributes) {
    if (redactor.isRedactedKey(key)) throw new RedactedFilterError(`attribute '${key}' is redacted; searching by it is not allowed`, 'attributes');
    refuseValue(redactor, value, `the value of attribute '${key}'`, 'attributes');
  }
  // Span names are redacted too (a URL with a token): no probing by operation name either.
  if (query.operation !== null) refuseValue(redactor, query.operation, 'the operation', 'operation');
  // Event names are redacted as well (federation/search-events.ts searches by them).
  if (query.eventName !== undefined) refuseValue(redactor, query.eventName, 'the event name', 'query.name');
}

/** Autocomplete keys without the redacted ones; values of a redacted key: none; other values without those a rule matches. */
export function redactNames<T extends { item: string }>(which: 'keys' | 'values', key: string | null, names: T[], redactor: Redactor): T[] {
  if (which === 'keys') return names.filter((n) => !redactor.isRedactedKey(n.item));
  if (key !== null && redactor.isRedactedKey(key)) return [];
  return names.filter((n) => n.item !== redactor.replacement && redactor.matchingValueRule(n.item) === null);
}

/**
 * Operation names are span names: redacted like them. Names that become equal (two URLs that
 * differed only by their token) are one entry, listing the backends of both, in the original order.
 */
export function redactOperations<T extends { item: Operation; sources: string[] }>(operations: T[], redactor: Redactor): T[] {
  const names = operations.map((entry) => redactor.redactText(entry.item.name));
  if (names.every((name, i) => name === operations[i]!.item.name)) return operations;
  const byKey = new Map<string, T>();
  for (const [i, entry] of operations.entries()) {
    const name = names[i]!;
    const key = `${name}\u0000${entry.item.spanKind}`;
    const existing = byKey.get(key);
    if (existing === undefined) byKey.set(key, { ...entry, item: { ...entry.item, name }, sources: [...entry.sources] });
    else for (const source of entry.sources) if (!existing.sources.includes(source)) existing.sources.push(source);
  }
  // Sorted again as federatedOperations sorts: by name, then kind.
  return [...byKey.values()].sort((a, b) => compareOperations(a.item, b.item));
}
