/**
 * Per-request context: the shared gateway, the request deadline, fresh DataLoaders (their memo never
 * outlives the request), the trace views they handed out (how a span finds its tree) and the collector
 * of backend outcomes that end up in `errors[]`.
 */
import type { LayeredCache } from '../cache/layered.js';
import type { LimitsConfig } from '../config/index.js';
import { createDeadline, type Deadline, type FanOutOptions, type Gateway } from '../federation/index.js';
import { createLoaders, type Loaders } from '../loaders/create-loaders.js';
import { TraceViews } from '../model/index.js';
import { OutcomeReport } from './outcome-report.js';

export interface RequestContext {
  gateway: Gateway;
  limits: LimitsConfig;
  deadline: Deadline;
  /** How this request's fan-outs call the backends (Gateway.fanOutOptions); the loaders use it too. */
  fanOut: FanOutOptions;
  loaders: Loaders;
  /** Every trace view this request's loaders produced: Span.parent/children find their tree here. */
  views: TraceViews;
  outcomes: OutcomeReport;
  /** Tenant scope from the X-Tenant header (cache keys are scoped by it); null when absent. */
  tenant: string | null;
  cache: LayeredCache | undefined;
  /** Relative search windows are rounded to this (µs) so refreshes share cache entries; 0 = none. */
  searchBucketUs: number;
}

export interface SharedState {
  gateway: Gateway;
  limits: LimitsConfig;
  cache: LayeredCache | undefined;
  searchBucketUs: number;
}

export function createContext(shared: SharedState, tenant: string | null, signal?: AbortSignal): RequestContext {
  const deadline = createDeadline(shared.gateway.federation.requestTimeoutMs, signal);
  const fanOut = shared.gateway.fanOutOptions(deadline, tenant);
  const views = new TraceViews();
  return {
    ...shared,
    deadline,
    fanOut,
    loaders: createLoaders(shared.gateway, fanOut, views),
    views,
    outcomes: new OutcomeReport(),
    tenant,
  };
}
