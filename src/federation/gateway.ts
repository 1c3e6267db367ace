/**
 * The configured backends and the federation settings, shared by every request. Picks the backends
 * a query runs against (the ones it names, validated, in configuration order, or the default set),
 * and is the one place that says how a request calls them (`fanOutOptions`) and merges what they
 * return (`mergeOptions`).
 */
import type { Backend } from '../backends/backend.js';
import { logBackendFailure } from '../backends/shared/backend-failure.js';
import type { FederationConfig } from '../config/index.js';
import { UnknownBackendError } from '../errors.js';
import type { BackendOutcome } from '../model/index.js';
import type { Redactor } from '../redaction/index.js';
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
}

export class Gateway {
  readonly backends: readonly Backend[];
  readonly federation: FederationConfig;
  readonly logger: GatewayLogger;
  private readonly outcomeListener: OutcomeListener | undefined;
  private readonly redaction: Redactor | undefined;
  private readonly caches: ScopedCaches | undefined;
  private readonly byName: Map<string, Backend>;
  private readonly defaults: Backend[];
  private readonly timeouts: Map<string, number>;

  constructor(options: GatewayOptions) {
    const { backends, federation } = options;
    this.backends = backends;
    this.federation = federation;
    this.logger = options.logger;
    this.outcomeListener = options.outcomeListener;
    this.redaction = options.redaction;
    this.caches = options.caches;
    this.byName = new Map(backends.map((b) => [b.name, b]));
    this.timeouts = new Map(options.timeoutsMs);
    const defaultNames = federation.defaultBackends;
    this.defaults = defaultNames ? backends.filter((b) => defaultNames.includes(b.name)) : backends.filter((b) => options.enabled.has(b.name));
  }

  isDefault(backend: Backend): boolean {
    return this.defaults.includes(backend);
  }

  timeoutMs(backend: Backend): number {
    return this.timeouts.get(backend.name) ?? 5_000;
  }

  /**
   * How every fan-out of one request calls the backends: under the request's deadline, through the
   * cache under the request's scope, each backend under its own timeout, failures to the log (once
   * each), outcomes to the listener, answers through the redaction rules.
   * Built once per request (server/context.ts) and used by the loaders and the resolvers alike.
   */
  fanOutOptions(deadline: Deadline, scope: string | null): FanOutOptions {
    const listener = this.outcomeListener;
    return {
      deadline,
      ...(this.caches !== undefined ? { cache: this.caches.forScope(scope ?? undefined) } : {}),
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

  /** Throws UnknownBackendError (a user error) for a name that is not configured. */
  select(names: readonly string[] | null | undefined): Backend[] {
    if (names === null || names === undefined) return [...this.defaults];
    const known = this.backends.map((b) => b.name);
    for (const name of names) if (!this.byName.has(name)) throw new UnknownBackendError(name, known);
    const wanted = new Set(names);
    return this.backends.filter((b) => wanted.has(b.name));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.backends.map((b) => b.close()));
  }
}
