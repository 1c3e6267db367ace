/**
 * The configured backends and the federation settings, shared by every request. Holds the backend
 * scope of each tenant (tenancy/backend-scope.ts: which backends a query may run against, named or by
 * default) and is the one place that says how a request calls them (`fanOutOptions`) and merges what
 * they return (`mergeOptions`).
 */
import type { Backend } from '../backends/backend.js';
import { logBackendFailure } from '../backends/shared/backend-failure.js';
import type { FederationConfig } from '../config/index.js';
import type { BackendOutcome } from '../model/index.js';
import type { Redactor } from '../redaction/index.js';
import { BackendScope } from '../tenancy/backend-scope.js';
import type { Deadline } from './deadline.js';
import type { FanOutOptions, RequestCache } from './fan-out.js';
import type { MergeOptions } from './merge.js';

export interface GatewayLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutcomeListener {
  recordOutcome(outcome: BackendOutcome): void;
}

/** The cache in front of the backends, as each request's tenant scope sees it (cache/backend-caches.ts). */
export interface ScopedCaches {
  forScope(scope: string | undefined): RequestCache;
}

export interface GatewayOptions {
  backends: readonly Backend[];
  /** Absent when caching is off. */
  caches?: ScopedCaches;
  federation: FederationConfig;
  /** Each backend's own call timeout (ms), by name; 5,000 for a name not listed. */
  timeoutsMs: ReadonlyMap<string, number>;
  /** Backends a query that names none runs against, unless `federation.defaultBackends` lists them. */
  enabled: ReadonlySet<string>;
  logger: GatewayLogger;
  /** Told every backend outcome of every fan-out (the metrics). */
  outcomeListener?: OutcomeListener;
  /** Redaction rules every request's answers go through; absent when redaction is off. */
  redaction?: Redactor;
  /**
   * Each tenant's backends (tenancy/build-scopes.ts), the whole gateway under `null`; absent: no
   * tenancy, the one scope is built here from `backends`.
   */
  scopes?: ReadonlyMap<string | null, BackendScope>;
}

export class Gateway {
  readonly backends: readonly Backend[];
  readonly federation: FederationConfig;
  readonly logger: GatewayLogger;
  private readonly outcomeListener: OutcomeListener | undefined;
  private readonly redaction: Redactor | undefined;
  private readonly caches: ScopedCaches | undefined;
  private readonly scopes: ReadonlyMap<string | null, BackendScope>;
  private readonly timeouts: Map<string, number>;
  /** What every request of a scope shares in its fan-out options (fanOutOptions). */
  private readonly optionsByScope = new WeakMap<BackendScope, Omit<FanOutOptions, 'deadline'>>();

  constructor(options: GatewayOptions) {
    const { backends, federation } = options;
    this.backends = backends;
    this.federation = federation;
    this.logger = options.logger;
    this.outcomeListener = options.outcomeListener;
    this.redaction = options.redaction;
    this.caches = options.caches;
    this.timeouts = new Map(options.timeoutsMs);
    this.scopes = options.scopes ?? new Map([[null, wholeGatewayScope(backends, defaultBackendNames(backends, federation, options.enabled))]]);
  }

  /** The backends of `tenant` (null: the whole gateway). A tenant name comes from config (tenancy/resolve-tenant.ts). */
  scope(tenant: string | null): BackendScope {
    const scope = this.scopes.get(tenant);
    if (scope === undefined) throw new Error(`no backend scope for tenant '${tenant}'`);
    return scope;
  }

  isDefault(backend: Backend): boolean {
    return this.scope(null).isDefault(backend);
  }

  timeoutMs(backend: Backend): number {
    return this.timeouts.get(backend.name) ?? 5_000;
  }

  /**
   * How every fan-out of one request calls the backends: under the request's deadline, through the
   * cache under the request's scope, each backend under its own timeout, failures to the log (once
   * each), outcomes to the listener, answers through the redaction rules.
   * Built once per request (server/context.ts) and used by the loaders and the resolvers alike. Only
   * the deadline and a caller's bearer token are the request's own: the rest is built once per scope.
   */
  fanOutOptions(deadline: Deadline, scope: BackendScope = this.scope(null), bearerToken: string | null = null): FanOutOptions {
    let shared = this.optionsByScope.get(scope);
    if (shared === undefined) this.optionsByScope.set(scope, (shared = this.scopeOptions(scope)));
    // Only to the backends the tenant's grant names (passBearerTo), and never cached for them (cacheFor).
    if (bearerToken === null || scope.bearerTo.size === 0) return { ...shared, deadline };
    const bearer = { authorization: `Bearer ${bearerToken}` };
    return { ...shared, deadline, callHeaders: (b: Backend) => (scope.bearerTo.has(b.name) ? bearer : undefined) };
  }

  private scopeOptions(scope: BackendScope): Omit<FanOutOptions, 'deadline'> {
    const listener = this.outcomeListener;
    const cache = this.caches === undefined ? undefined : cacheFor(this.caches, scope);
    return {
      ...(cache !== undefined ? { cache } : {}),
      ...(scope.services !== undefined ? { services: scope.services } : {}),
      timeoutMs: (b) => this.timeoutMs(b),
      onUnexpected: (b, error) => this.logger.error({ err: error, backend: b.name }, 'unexpected backend error'),
      onFailure: (b, outcome, error) => logBackendFailure(this.logger, b.name, outcome.code ?? outcome.state, error, outcome.reason ?? undefined),
      ...(listener !== undefined ? { onOutcome: (outcome: BackendOutcome) => listener.recordOutcome(outcome) } : {}),
      ...(this.redaction !== undefined ? { redaction: this.redaction } : {}),
    };
  }

  /** How traces fetched with or without `raw` are merged, from the federation settings. */
  mergeOptions(raw: boolean): MergeOptions {
    const { lenientTraceIds, clockSkew, maxClockSkewUs } = this.federation;
    return { lenientTraceIds, raw, clockSkew, maxClockSkewUs };
  }

  async close(): Promise<void> {
    const instances = new Set([...this.scopes.values()].flatMap((s) => s.backends));
    for (const backend of this.backends) instances.add(backend);
    await Promise.allSettled([...instances].map((b) => b.close()));
  }
}

/** `federation.defaultBackends` when set, else the enabled backends. */
export function defaultBackendNames(backends: readonly Backend[], federation: FederationConfig, enabled: ReadonlySet<string>): Set<string> {
  const names = federation.defaultBackends;
  return new Set(backends.filter((b) => (names ? names.includes(b.name) : enabled.has(b.name))).map((b) => b.name));
}

function wholeGatewayScope(backends: readonly Backend[], defaults: ReadonlySet<string>): BackendScope {
  const names = new Set(backends.map((b) => b.name));
  return new BackendScope(
    null,
    backends,
    backends.filter((b) => defaults.has(b.name)),
    names,
    undefined,
    new Set(),
  );
}

/**
 * The cache as one scope sees it: entries under the tenant's name (and each backend's identity, the
 * fingerprint of its effective config), and none for a backend that gets the caller's own token, whose
 * answers depend on who asks.
 */
function cacheFor(caches: ScopedCaches, scope: BackendScope): RequestCache {
  const inner = caches.forScope(scope.tenant ?? undefined);
  if (scope.bearerTo.size === 0) return inner;
  return { viewOf: (backend) => (scope.bearerTo.has(backend.name) ? undefined : inner.viewOf(backend)) };
}
