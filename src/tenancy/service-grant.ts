/**
 * A tenant grant's `services` (tenancy/config.ts): the only services that tenant sees. Applied where
 * every API's answers leave the federation, next to redaction (loaders/create-loaders.ts for traces,
 * federation/metadata.ts, search.ts and remote-services.ts for lists and searches), so GraphQL, the
 * Jaeger APIs and the Zipkin API hide the same things:
 * - a trace keeps only the spans of granted services, its tree rebuilt over them; with none left it is
 *   not found, exactly like a trace no backend holds (nothing says it exists);
 * - services, operations, remote services and dependency edges of other services are left out; asking
 *   for another service's operations or searching by it answers nothing, without calling a backend;
 * - a search without a service keeps the hits that touch a granted service;
 * - attribute keys and values (autocomplete) are not tied to a service in any backend, so a tenant
 *   limited to services gets none rather than other services' values.
 */
import type { DependencyLink } from '../backends/backend.js';
import { buildTraceTree, type MergedTrace, type TraceSummary } from '../model/index.js';

export class ServiceGrant {
  private readonly traces = new WeakMap<MergedTrace, MergedTrace | null>();

  constructor(readonly services: ReadonlySet<string>) {}

  sees(service: string): boolean {
    return this.services.has(service);
  }

  /** The trace as this tenant sees it, or null when no span of it is of a granted service. Memoised per merged trace. */
  trace(trace: MergedTrace): MergedTrace | null {
    let seen = this.traces.get(trace);
    if (seen === undefined) {
      const spans = trace.spans.filter((span) => this.services.has(span.service));
      seen = spans.length === 0 ? null : spans.length === trace.spans.length ? trace : { ...trace, spans, tree: buildTraceTree(spans) };
      this.traces.set(trace, seen);
    }
    return seen;
  }

  summary(hit: TraceSummary): boolean {
    return hit.services.some((service) => this.services.has(service));
  }

  dependency(link: Pick<DependencyLink, 'parent' | 'child'>): boolean {
    return this.services.has(link.parent) && this.services.has(link.child);
  }
}
