/**
 * Per-request context: who asks (the principal authentication found) and for which tenant, the
 * backends that tenant may use, the shared gateway, the request deadline, fresh DataLoaders (their
 * memo never outlives the request), the trace views they handed out (how a span finds its tree) and
 * the collector of backend outcomes that end up in `errors[]`. Every API (GraphQL, Jaeger, Zipkin)
 * builds its requests' contexts with `contextForRequest`.
 */
import type { FastifyRequest } from 'fastify';
import { ANONYMOUS_ADMIN, type Principal } from '../auth/principal.js';
import type { Backend } from '../backends/backend.js';
import type { LayeredCache } from '../cache/layered.js';
import type { LimitsConfig } from '../config/index.js';
import { createDeadline, WholeTraces, type Deadline, type FanOutOptions, type Gateway } from '../federation/index.js';
import { createLoaders, type Loaders } from '../loaders/create-loaders.js';
import { TraceViews } from '../model/index.js';
import type { BackendScope } from '../tenancy/backend-scope.js';
import { resolveTenant } from '../tenancy/resolve-tenant.js';
import { RequestTrail } from '../audit/trail.js';
import type { HealthMonitor } from './health-monitor.js';
import { OutcomeReport } from './outcome-report.js';

export interface RequestContext {
  gateway: Gateway;
  health: HealthMonitor;
  limits: LimitsConfig;
  deadline: Deadline;
  /** How this request's fan-outs call the backends (Gateway.fanOutOptions); the loaders use it too. */
  fanOut: FanOutOptions;
  loaders: Loaders;
  /** Every trace view this request's loaders produced: Span.parent/children find their tree here. */
  views: TraceViews;
  outcomes: OutcomeReport;
  principal: Principal;
  /** The tenant this request acts for (tenancy/resolve-tenant.ts); null: the whole gateway. */
  tenant: string | null;
  /** The backends this request may use; `select` picks among them. */
  scope: BackendScope;
  /** The backends a query naming `names` (none: null) runs on; FORBIDDEN outside the tenant's grant. */
  select(names: readonly string[] | null | undefined): Backend[];
  /** What this request asked and which backends answered how, for its audit line (audit/). */
  trail: RequestTrail;
  cache: LayeredCache | undefined;
  /** Relative search windows are rounded to this (µs) so refreshes share cache entries; 0 = none. */
  searchBucketUs: number;
}

export interface SharedState {
  gateway: Gateway;
  /** The background backend health checks (server/health-monitor.ts). */
  health: HealthMonitor;
  limits: LimitsConfig;
  cache: LayeredCache | undefined;
  searchBucketUs: number;
  /** Names of the configured tenants (`tenants`); empty: no tenancy. */
  tenants: ReadonlySet<string>;
}

export interface Caller {
  principal: Principal;
  tenant: string | null;
}

/** The caller of a request with no authentication in front (tests, benchmarks): the whole gateway. */
export const WHOLE_GATEWAY: Caller = { principal: ANONYMOUS_ADMIN, tenant: null };

export function createContext(shared: SharedState, caller: Caller = WHOLE_GATEWAY, signal?: AbortSignal): RequestContext {
  const deadline = createDeadline(shared.gateway.federation.requestTimeoutMs, signal);
  const scope = shared.gateway.scope(caller.tenant);
  const trail = new RequestTrail();
  trail.tenant = caller.tenant;
  const fanOut: FanOutOptions = {
    ...withTrail(shared.gateway.fanOutOptions(deadline, scope, caller.principal.bearerToken), trail),
    wholeTraces: new WholeTraces(),
  };
  const views = new TraceViews();
  return {
    ...shared,
    principal: caller.principal,
    tenant: caller.tenant,
    scope,
    select: (names) => scope.select(names),
    deadline,
    fanOut,
    loaders: createLoaders(shared.gateway, fanOut, views, trail),
    views,
    outcomes: new OutcomeReport(),
    trail,
  };
}

/**
 * Every backend outcome of the request also goes to its trail, after the gateway's own listeners. A
 * batch fetch that answers one trace id with an error is an OK call to fan-out (onOutcome) but a
 * failure for that id, which federation/fetch-traces.ts reports to onFailure only, after the call's
 * onOutcome: such a failure of a backend the trail already holds is recorded too. (Fan-out's own
 * failures reach onFailure first and onOutcome after; the trail keeps the backends in call order.)
 */
function withTrail(fanOut: FanOutOptions, trail: RequestTrail): FanOutOptions {
  const { onOutcome, onFailure } = fanOut;
  return {
    ...fanOut,
    onOutcome: (outcome) => {
      onOutcome?.(outcome);
      trail.recordOutcome(outcome);
    },
    onFailure: (backend, outcome, error) => {
      onFailure?.(backend, outcome, error);
      if (trail.backends.has(outcome.backend)) trail.recordOutcome(outcome);
    },
  };
}

/**
 * The context of an HTTP request: its principal (set by the authentication hook, auth/plugin.ts; the
 * anonymous admin when authentication is off) and the tenant it acts for, which `X-Tenant` may only
 * choose among the principal's own. Throws ForbiddenError (403 in every API's shape).
 */
export function contextForRequest(shared: SharedState, request: FastifyRequest): RequestContext {
  const principal = request.principal as Principal | null;
  // Fail closed: the hook sets a principal on every request, so none means it did not run.
  if (principal === null) throw new Error('request has no principal: the authentication hook did not run');
  const header = request.headers['x-tenant'];
  const requested = typeof header === 'string' && header !== '' ? header : null;
  const ctx = createContext(shared, { principal, tenant: resolveTenant(principal, requested, shared.tenants) });
  request.trail = ctx.trail;
  return ctx;
}
