/**
 * Degrading fast when a backend or Redis stalls (README, "Circuit breakers and deadlines"): circuit
 * breakers, deadline-aware calls and hedged trace fetches.
 */
import type { Backend } from '../backends/backend.js';
import type { CircuitBoard } from './circuit-board.js';
import { ResilientBackend, type ResilienceSettings } from './resilient-backend.js';

export { CircuitBoard } from './circuit-board.js';
export { Circuit, describeOpenCircuit, type CircuitStateName } from './circuit.js';
export { circuitStatusOf } from './resilient-backend.js';

/**
 * `backend` behind its circuit breaker, deadline check and (if configured) hedging, registered on
 * `board`. `label` names it in metrics (`name@tenant` for a tenant's own instance).
 */
export function withResilience(backend: Backend, settings: ResilienceSettings, label: string, board: CircuitBoard): Backend {
  return new ResilientBackend(backend, settings, label, board);
}
