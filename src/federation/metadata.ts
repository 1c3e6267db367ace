/**
 * Services, operations and dependencies: unions across backends, each entry listing the backends
 * that reported it. Dependency call counts of an edge several backends report are summed (backends
 * holding different traffic, the usual split by team or region) or, with `federation.dependencyCounts:
 * max`, the largest is kept (backends holding copies of the same traffic); no backend can say which.
 */
import type { Backend, DependencyLink, Operation, TimeWindow } from '../backends/backend.js';
import type { BackendOutcome, SpanKind } from '../model/index.js';
import { redactNames, redactOperations } from '../redaction/index.js';
import { fanOut, type FanOutOptions } from './fan-out.js';

export interface Sourced<T> {
  item: T;
  sources: string[];
}

export interface Federated<T> {
  items: T[];
  outcomes: BackendOutcome[];
}

/** Entries unioned by `key`, each listing the backends that reported it, in first-seen order. */
export function collect<T>(
  entries: Array<{ backend: Backend; value?: T[] }>,
  key: (item: T) => string,
  combine?: (a: T, b: T) => T,
): Array<Sourced<T>> {
  const byKey = new Map<string, Sourced<T>>();
  for (const entry of entries) {
    for (const item of entry.value ?? []) {
      const k = key(item);
      const existing = byKey.get(k);
      if (existing === undefined) byKey.set(k, { item, sources: [entry.backend.name] });
      else {
        if (!existing.sources.includes(entry.backend.name)) existing.sources.push(entry.backend.name);
        if (combine) existing.item = combine(existing.item, item);
      }
    }
  }
  return [...byKey.values()];
}

export async function federatedServices(backends: readonly Backend[], options: FanOutOptions): Promise<Federated<Sourced<string>>> {
  const entries = await fanOut(backends, (b, call) => b.getServices(call), options);
  const { services } = options;
  const items = collect(entries, (s) => s)
    .filter((s) => services === undefined || services.sees(s.item))
    .sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
  return { items, outcomes: entries.map((e) => e.outcome) };
}

export async function federatedOperations(
  service: string,
  spanKind: SpanKind | null,
  backends: readonly Backend[],
  options: FanOutOptions,
): Promise<Federated<Sourced<Operation>>> {
  // Another tenant's service: nothing, and no backend asked.
  if (options.services !== undefined && !options.services.sees(service)) return { items: [], outcomes: [] };
  const entries = await fanOut(backends, (b, call) => b.getOperations(service, spanKind, call), {
    ...options,
    skipReason: (b) =>
      spanKind !== null && !b.capabilities.operationsBySpanKind ? `${b.kind} backend does not record span kinds of operations` : null,
  });
  const items = collect(entries, (o) => `${o.name}\u0000${o.spanKind}`).sort((a, b) =>
    a.item.name < b.item.name ? -1 : a.item.name > b.item.name ? 1 : a.item.spanKind < b.item.spanKind ? -1 : 1,
  );
  // Operation names are span names: redacted like them (a URL with a token).
  return { items: options.redaction === undefined ? items : redactOperations(items, options.redaction), outcomes: entries.map((e) => e.outcome) };
}

export async function federatedDependencies(
  window: TimeWindow,
  backends: readonly Backend[],
  options: FanOutOptions,
  counts: 'sum' | 'max' = 'sum',
): Promise<Federated<Sourced<DependencyLink>>> {
  const combine = (a: number, b: number): number => (counts === 'sum' ? a + b : Math.max(a, b));
  const entries = await fanOut(backends, (b, call) => b.getDependencies(window, call), {
    ...options,
    skipReason: (b) => (b.capabilities.dependencies ? null : `${b.kind} backend has no dependency data`),
  });
  const items = collect(
    entries,
    (d) => `${d.parent}\u0000${d.child}`,
    (a, b) => ({
      parent: a.parent,
      child: a.child,
      callCount: combine(a.callCount, b.callCount),
      errorCount: a.errorCount === null && b.errorCount === null ? null : combine(a.errorCount ?? 0, b.errorCount ?? 0),
    }),
  )
    .filter((d) => options.services === undefined || options.services.dependency(d.item))
    .sort((a, b) => (`${a.item.parent}\u0000${a.item.child}` < `${b.item.parent}\u0000${b.item.child}` ? -1 : 1));
  return { items, outcomes: entries.map((e) => e.outcome) };
}

/** Autocomplete keys or values: only backends that keep them are asked; the others are skipped. */
export async function federatedNames(
  which: 'keys' | 'values',
  key: string | null,
  backends: readonly Backend[],
  options: FanOutOptions,
): Promise<Federated<Sourced<string>>> {
  // Attribute keys and values belong to no service in any backend: a tenant limited to services gets none.
  if (options.services !== undefined) return { items: [], outcomes: [] };
  const entries = await fanOut(backends, (b, call) => (which === 'keys' ? b.getAttributeKeys!(call) : b.getAttributeValues!(key ?? '', call)), {
    ...options,
    skipReason: (b) => ((which === 'keys' ? b.getAttributeKeys : b.getAttributeValues) ? null : `${b.kind} backend keeps no autocomplete data`),
  });
  const items = collect(entries, (s) => s).sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
  // Never offer what a search would refuse: redacted keys, their values, values a rule matches.
  return {
    items: options.redaction === undefined ? items : redactNames(which, key, items, options.redaction),
    outcomes: entries.map((e) => e.outcome),
  };
}
