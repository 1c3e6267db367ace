/**
 * The configured backends and the federation settings, shared by every request. Picks the backends
 * a query runs against: the ones it names (validated, in configuration order) or the default set.
 */
import type { Backend } from '../backends/backend.js';
import type { FederationConfig } from '../config/index.js';
import { UnknownBackendError } from '../errors.js';
import type { BackendOutcome } from '../model/index.js';

export interface GatewayLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutcomeListener {
  recordOutcome(outcome: BackendOutcome): void;
}

export class Gateway {
  /** Set by the server to feed metrics; every fan-out reports to it. */
  outcomeListener: OutcomeListener | undefined;

  private readonly byName: Map<string, Backend>;
  private readonly defaults: Backend[];
  private readonly timeouts: Map<string, number>;

  constructor(
    readonly backends: readonly Backend[],
    readonly federation: FederationConfig,
    timeoutsMs: ReadonlyMap<string, number>,
    enabled: ReadonlySet<string>,
    readonly logger: GatewayLogger,
  ) {
    this.byName = new Map(backends.map((b) => [b.name, b]));
    this.timeouts = new Map(timeoutsMs);
    const defaultNames = federation.defaultBackends;
    this.defaults = defaultNames
      ? backends.filter((b) => defaultNames.includes(b.name))
      : backends.filter((b) => enabled.has(b.name));
  }

  isDefault(backend: Backend): boolean {
    return this.defaults.includes(backend);
  }

  timeoutMs(backend: Backend): number {
    return this.timeouts.get(backend.name) ?? 5_000;
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
