/**
 * Background health checks: every `health.intervalMs` each backend's `health()` is called once,
 * under `health.timeoutMs`, and the last results are kept for /readyz (health.ts). So a readiness
 * probe costs no backend call however often it comes (a probe per replica every few seconds used to
 * fan out to every backend), and a flapping backend is smoothed by `unhealthyAfter`.
 *
 * The first round starts when the monitor is made; a probe that comes before it has finished waits
 * for that one round rather than starting its own. Rounds never overlap: the next is scheduled when
 * one finishes. The timer is unref'd (it never keeps the process alive) and `stop()` ends it and
 * aborts a round in flight.
 *
 * What it hands out also says where each backend's circuit breaker stands (resilience/), read live, not
 * as of the last round: while the circuit is open the backend is unhealthy whatever its probe said, with
 * the circuit's detail (the breaker does not refuse health probes, so the probe keeps running). Once the
 * cool-off has passed it shows HALF_OPEN and the probe's own verdict again, so a replica whose every
 * backend had its circuit open is not held out of rotation by the breaker alone.
 */
import type { Backend, BackendHealth } from '../backends/backend.js';
import type { Config } from '../config/index.js';
import { circuitStatusOf, describeOpenCircuit } from '../resilience/index.js';

export interface BackendCheck extends BackendHealth {
  name: string;
  kind: Backend['kind'];
  /** The backend's circuit breaker; absent when it has none (turned off, or a backend handed in by a test). */
  circuit?: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
}

const CIRCUIT_NAMES = { closed: 'CLOSED', open: 'OPEN', halfOpen: 'HALF_OPEN' } as const;

/** `check` as the backend's circuit makes it now. */
function withCircuit(backend: Backend, check: BackendCheck): BackendCheck {
  const status = circuitStatusOf(backend);
  if (status === undefined) return check;
  const circuit = CIRCUIT_NAMES[status.state];
  if (status.state !== 'open') return { ...check, circuit };
  return { ...check, circuit, healthy: false, detail: describeOpenCircuit(status) };
}

export class HealthMonitor {
  private results: BackendCheck[] | null = null;
  private readonly failures = new Map<string, number>();
  private firstRound: Promise<void>;
  private timer: NodeJS.Timeout | undefined;
  private readonly stopped = new AbortController();

  constructor(
    private readonly backends: readonly Backend[],
    private readonly config: Config['health'],
  ) {
    this.firstRound = this.round();
  }

  /** The last round's results, in backend order; waits for the first round if none has finished. */
  async current(): Promise<readonly BackendCheck[]> {
    if (this.results === null) await this.firstRound;
    return (this.results ?? []).map((check, i) => withCircuit(this.backends[i]!, check));
  }

  stop(): void {
    this.stopped.abort();
    clearTimeout(this.timer);
  }

  private async round(): Promise<void> {
    const checks = await Promise.all(this.backends.map((backend) => this.check(backend)));
    if (this.stopped.signal.aborted) return;
    this.results = checks;
    this.timer = setTimeout(() => void this.round(), this.config.intervalMs);
    this.timer.unref();
  }

  private async check(backend: Backend): Promise<BackendCheck> {
    const signal = AbortSignal.any([this.stopped.signal, AbortSignal.timeout(this.config.timeoutMs)]);
    const started = performance.now();
    let health: BackendHealth;
    try {
      health = await backend.health({ signal });
    } catch (error) {
      // The contract says health() reports rather than throws; a backend that throws anyway is unhealthy,
      // not a crash, and its error text (our bug's internals) is not shown to callers of /readyz or Query.backends.
      void error;
      health = { healthy: false, latencyMs: Math.round(performance.now() - started), detail: 'health check failed unexpectedly', version: null };
    }
    const failures = health.healthy ? 0 : (this.failures.get(backend.name) ?? 0) + 1;
    this.failures.set(backend.name, failures);
    if (!health.healthy && failures < this.config.unhealthyAfter) {
      // Not yet `unhealthyAfter` failures in a row: still counted healthy, with what the failed check said.
      health = {
        ...health,
        healthy: true,
        detail: `failed check ${failures} of ${this.config.unhealthyAfter} allowed: ${health.detail ?? 'unhealthy'}`,
      };
    }
    return { name: backend.name, kind: backend.kind, ...health };
  }
}
