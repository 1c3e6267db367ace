/**
 * The service graph every API answers (GraphQL `dependencies`, Jaeger `/api/dependencies`, Zipkin
 * `/api/v2/dependencies`): the backends' own graphs (metadata.ts) plus the edges only merged traces
 * show (derived-dependencies-edges.ts), from a bounded sample of the window's traces
 * (derived-dependencies-sample.ts), with a report of what was sampled.
 *
 * The derived part is kept in an in-process LRU per gateway, keyed by tenant, backends and the exact
 * window (relative windows arrive already rounded to the search bucket, so refreshes share a key). It
 * is stored only when complete: every backend's own graph and every sampling call answered, and the
 * time budget did not stop the sample (the other limits cut the same way every time, so such an
 * answer is stored, with its report saying so). It is never stored when the cache is off, or for a
 * request whose backends get the caller's own token (their answers are the caller's).
 */
import { LRUCache } from 'lru-cache';
import type { Backend, TimeWindow } from '../backends/backend.js';
import type { FederationConfig } from '../config/index.js';
import type { BackendOutcome, TraceId } from '../model/index.js';
import { deriveEdges, reportedEdges, unionEdges, type GraphEdge } from './derived-dependencies-edges.js';
import { sampleTraces, type SampleLimit } from './derived-dependencies-sample.js';
import type { FanOutOptions } from './fan-out.js';
import type { TraceLookup } from './fetch-traces.js';
import { federatedDependencies } from './metadata.js';

export interface DerivationReport {
  tracesSampled: number;
  servicesSearched: number;
  backendCalls: number;
  /** Some limit cut the sample: edges of traces left out are missing and counts are of the sample. */
  truncated: boolean;
  limitsHit: SampleLimit[];
  latencyMs: number;
  /** The derived part came from the cache: no sampling call was made for this answer. */
  cached: boolean;
}

export interface DependencyGraph {
  items: GraphEdge[];
  outcomes: BackendOutcome[];
  /** Null when `federation.derivedDependencies.enabled` is off. */
  derivation: DerivationReport | null;
}

/** The parts of a request context (server/context.ts) the graph needs. */
export interface GraphRequest {
  gateway: { federation: Pick<FederationConfig, 'dependencyCounts' | 'derivedDependencies'> };
  fanOut: FanOutOptions;
  loaders: { traces(backends: readonly Backend[], raw: boolean): { load(id: TraceId): Promise<TraceLookup> } };
  tenant: string | null;
  /** Undefined when the gateway's cache is off. */
  cache: object | undefined;
}

interface CachedDerivation {
  edges: GraphEdge[];
  report: Omit<DerivationReport, 'cached'>;
}

/** One LRU per gateway: its entries die with it (tests build many). */
const caches = new WeakMap<object, LRUCache<string, CachedDerivation>>();

function cacheOf(gateway: object, ttlSeconds: number): LRUCache<string, CachedDerivation> {
  let cache = caches.get(gateway);
  if (cache === undefined) caches.set(gateway, (cache = new LRUCache({ max: 256, ttl: ttlSeconds * 1000 })));
  return cache;
}

function cacheKey(request: GraphRequest, window: TimeWindow, backends: readonly Backend[]): string | undefined {
  if (request.cache === undefined || request.gateway.federation.derivedDependencies.cacheSeconds <= 0) return undefined;
  // The caller's own token reaches some backend: what it answers is the caller's, not the tenant's.
  if (backends.some((b) => request.fanOut.callHeaders?.(b) !== undefined)) return undefined;
  return JSON.stringify([request.tenant, backends.map((b) => b.name), window.startUs, window.endUs]);
}

export async function dependencyGraph(window: TimeWindow, backends: readonly Backend[], request: GraphRequest): Promise<DependencyGraph> {
  const { dependencyCounts, derivedDependencies: config } = request.gateway.federation;
  const ownGraph = (): ReturnType<typeof federatedDependencies> => federatedDependencies(window, backends, request.fanOut, dependencyCounts);
  if (!config.enabled) {
    const own = await ownGraph();
    return { items: unionEdges(own.items, [], dependencyCounts), outcomes: own.outcomes, derivation: null };
  }

  const key = cacheKey(request, window, backends);
  const cache = key === undefined ? undefined : cacheOf(request.gateway, config.cacheSeconds);
  const hit = key === undefined ? undefined : cache?.get(key);
  if (hit !== undefined) {
    const own = await ownGraph();
    return { items: unionEdges(own.items, hit.edges, dependencyCounts), outcomes: own.outcomes, derivation: { ...hit.report, cached: true } };
  }

  const started = performance.now();
  const loader = request.loaders.traces(backends, false);
  const load = (ids: readonly TraceId[]): Promise<TraceLookup[]> => Promise.all(ids.map((id) => loader.load(id)));
  // The sample does not depend on the backends' graphs, only the counting does: both run at once.
  const [own, sample] = await Promise.all([ownGraph(), sampleTraces(window, backends, request.fanOut, load, config)]);
  const services = request.fanOut.services;
  const edges = deriveEdges(sample.traces, window, reportedEdges(own.items)).filter((e) => services === undefined || services.dependency(e.item));
  const report: Omit<DerivationReport, 'cached'> = {
    tracesSampled: sample.traces.length,
    servicesSearched: sample.servicesSearched,
    backendCalls: sample.backendCalls,
    truncated: sample.limitsHit.length > 0,
    limitsHit: sample.limitsHit,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
  };
  const isComplete =
    sample.failures.length === 0 && !sample.limitsHit.includes('timeBudget') && own.outcomes.every((o) => o.state === 'OK' || o.state === 'SKIPPED');
  if (key !== undefined && isComplete) cache?.set(key, { edges, report });
  return {
    items: unionEdges(own.items, edges, dependencyCounts),
    outcomes: [...own.outcomes, ...sample.failures],
    derivation: { ...report, cached: false },
  };
}
