/**
 * One circuit breaker: cockatiel's CircuitBreakerPolicy with a ConsecutiveBreaker, and the few things
 * Tracegate needs around it. It owns when a call is refused; what counts as a failure is its caller's
 * (`verdict`), and so is the error a refused call gets (`refusal`), made once per opening so the log
 * gets it once (backends/shared/backend-failure.ts logs each error object once) however many calls
 * it refuses.
 *
 * Refused at once: every call while open, and, unlike cockatiel, every call while the half-open probe
 * is in flight (cockatiel makes them wait for the probe's verdict: against a frozen backend that is a
 * whole timeout for every request, what the breaker is there to prevent).
 */
import { BrokenCircuitError, type CircuitBreakerPolicy, CircuitState, circuitBreaker, ConsecutiveBreaker, handleWhen } from 'cockatiel';

export type CircuitStateName = 'closed' | 'open' | 'halfOpen';

export interface CircuitStatus {
  /** `halfOpen` also once the cool-off has passed and the next call will be the probe. */
  state: CircuitStateName;
  /** Epoch ms of the last opening; null while closed. */
  openedAt: number | null;
  /** Epoch ms from which a call probes; null while closed. */
  probeAt: number | null;
  /** What the failure that opened it said (public text); null while closed. */
  cause: string | null;
}

/** How a circuit's caller judges an outcome. */
export interface CircuitVerdict {
  /** A thrown error that counts against the target. `isProbe`: thrown by the half-open probe. */
  isFailure(error: unknown, isProbe: boolean): boolean;
  /** A returned value that is a failure all the same (a batch whose every entry failed); none by default. */
  isFailedResult?(value: unknown): boolean;
  /** Public text of a failure, for the status and the refusal. */
  describe(failure: unknown): string;
}

export interface CircuitEvents {
  onState?(circuit: Circuit, state: CircuitStateName): void;
  onRefused?(circuit: Circuit): void;
}

export interface CircuitOptions {
  consecutiveFailures: number;
  halfOpenAfterMs: number;
}

export class Circuit {
  private readonly policy: CircuitBreakerPolicy;
  private openedAt: number | null = null;
  private cause: string | null = null;
  private refusalError: Error | undefined;
  private board: CircuitEvents = {};

  constructor(
    /** The circuit's label in metrics: a backend instance's, or `redis`. */
    readonly label: string,
    private readonly options: CircuitOptions,
    verdict: CircuitVerdict,
    private readonly refusal: (status: CircuitStatus) => Error,
    /** The owner's own listener (Redis logs each opening and closing); the metrics attach theirs apart. */
    private readonly events: CircuitEvents = {},
  ) {
    const isProbe = () => this.policy.state === CircuitState.HalfOpen;
    let handled = handleWhen((error) => verdict.isFailure(error, isProbe()));
    if (verdict.isFailedResult) handled = handled.orWhenResult(verdict.isFailedResult);
    this.policy = circuitBreaker(handled, {
      halfOpenAfter: options.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.consecutiveFailures),
    });
    this.policy.onBreak((reason) => {
      this.openedAt = Date.now();
      this.cause = 'error' in reason ? verdict.describe(reason.error) : 'value' in reason ? verdict.describe(reason.value) : 'isolated';
      this.refusalError = undefined;
    });
    this.policy.onReset(() => {
      this.openedAt = null;
      this.cause = null;
      this.refusalError = undefined;
    });
    this.policy.onStateChange(() => {
      const state = this.status().state;
      this.events.onState?.(this, state);
      this.board.onState?.(this, state);
    });
  }

  /** The gateway's CircuitBoard, told of state changes and refusals (for the metrics). */
  attach(board: CircuitEvents): void {
    this.board = board;
  }

  status(now = Date.now()): CircuitStatus {
    const state = this.policy.state;
    if (state === CircuitState.Closed || this.openedAt === null) return { state: 'closed', openedAt: null, probeAt: null, cause: null };
    const probeAt = this.openedAt + this.options.halfOpenAfterMs;
    const name: CircuitStateName = state === CircuitState.HalfOpen || now >= probeAt ? 'halfOpen' : 'open';
    return { state: name, openedAt: this.openedAt, probeAt, cause: this.cause };
  }

  /** Runs `work` unless the circuit refuses it, in which case it throws the refusal without calling it. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.policy.state === CircuitState.HalfOpen) throw this.refuse();
    try {
      return await this.policy.execute(work);
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw this.refuse();
      throw error;
    }
  }

  private refuse(): Error {
    this.events.onRefused?.(this);
    this.board.onRefused?.(this);
    this.refusalError ??= this.refusal(this.status());
    return this.refusalError;
  }
}

/** "circuit open since 19:02:11.532Z after …": the text a refusal, /readyz and Query.backends show. */
export function describeOpenCircuit(status: CircuitStatus): string {
  const since = status.openedAt === null ? 'now' : new Date(status.openedAt).toISOString();
  const probe = status.probeAt === null ? '' : `; the first call after ${new Date(status.probeAt).toISOString()} probes it`;
  return `circuit open since ${since} (${status.cause ?? 'failures in a row'})${probe}`;
}
