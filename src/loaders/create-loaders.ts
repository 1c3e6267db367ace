/**
 * DataLoaders, created fresh for every request (server/context.ts). One loader per backend
 * selection and `raw` flag: every trace lookup of a request with the same selection lands in one
 * batch, so `traces(ids: [50 ids])` or 50 `trace` fields become one getTraces call per backend.
 * Every trace view they produce joins the request's TraceViews, where its spans find their tree.
 *
 * This is where every API's traces (GraphQL, Jaeger v1 and api_v3, Zipkin) leave the federation, so
 * it is where they are cut to the services the request's tenant may see and then redacted (README,
 * "Tenants and grants", "Redaction"): after the cache and the merge, on the way out, by the request's
 * fan-out options.
 */
import DataLoader from 'dataloader';
import type { Backend } from '../backends/backend.js';
import { fetchTraces, type FanOutOptions, type Gateway, type TraceLookup } from '../federation/index.js';
import { compactTraceId, TraceView, type TraceId, type TraceViews } from '../model/index.js';
import type { RequestTrail } from '../audit/trail.js';
import type { Redactor } from '../redaction/index.js';
import type { ServiceGrant } from '../tenancy/service-grant.js';

export interface Loaders {
  traces(backends: readonly Backend[], raw: boolean): DataLoader<TraceId, TraceLookup>;
}

/** `fanOut`: the request's fan-out options (Gateway.fanOutOptions), shared with its resolvers. */
export function createLoaders(gateway: Gateway, fanOut: FanOutOptions, views: TraceViews, trail?: RequestTrail): Loaders {
  const traceLoaders = new Map<string, DataLoader<TraceId, TraceLookup>>();
  return {
    traces(backends, raw) {
      const key = `${raw ? 'raw' : 'adjusted'}:${backends.map((b) => b.name).join(',')}`;
      let loader = traceLoaders.get(key);
      if (!loader) {
        const merge = gateway.mergeOptions(raw);
        loader = new DataLoader<TraceId, TraceLookup>(
          async (ids) => {
            if (trail !== undefined) for (const id of ids) trail.recordTraceId(compactTraceId(id));
            const fetched = await fetchTraces(ids, backends, merge, fanOut);
            const { redaction, services } = fanOut;
            const seen = services === undefined ? fetched : fetched.map((lookup) => visibleLookup(lookup, services));
            const lookups = redaction === undefined ? seen : seen.map((lookup) => redactLookup(lookup, redaction));
            for (const lookup of lookups) if (lookup.view !== null) views.add(lookup.view);
            return lookups;
          },
          { maxBatchSize: 1_000 },
        );
        traceLoaders.set(key, loader);
      }
      return loader;
    },
  };
}

/** The trace as the request's tenant may see it (tenancy/service-grant.ts): no span of its services, no trace. */
function visibleLookup(lookup: TraceLookup, services: ServiceGrant): TraceLookup {
  if (lookup.view === null) return lookup;
  const trace = services.trace(lookup.view.trace);
  if (trace === lookup.view.trace) return lookup;
  return { ...lookup, view: trace === null ? null : new TraceView(trace, lookup.view.backendStatus) };
}

function redactLookup(lookup: TraceLookup, redaction: Redactor): TraceLookup {
  if (lookup.view === null) return lookup;
  const trace = redaction.trace(lookup.view.trace);
  return trace === lookup.view.trace ? lookup : { ...lookup, view: new TraceView(trace, lookup.view.backendStatus) };
}
