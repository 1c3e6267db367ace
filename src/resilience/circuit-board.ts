/**
 * Every circuit of one gateway (each backend instance's and Redis's), for the metrics (server/metrics.ts)
 * to read and to be told of refusals. Built with the backends (server/build-gateway.ts); holds no
 * decisions of its own.
 */
import type { Circuit, CircuitEvents, CircuitStateName } from './circuit.js';

/** Why a call was refused without being made. */
export type RefusalReason = 'circuitOpen' | 'deadline';

export interface CircuitListener {
  refused(label: string, reason: RefusalReason): void;
  stateChanged?(label: string, state: CircuitStateName): void;
}

export class CircuitBoard implements CircuitEvents {
  private readonly all: Circuit[] = [];
  private listener: CircuitListener | undefined;

  add(circuit: Circuit): void {
    this.all.push(circuit);
    circuit.attach(this);
  }

  get circuits(): readonly Circuit[] {
    return this.all;
  }

  /** One subscriber (the metrics registry). */
  watch(listener: CircuitListener): void {
    this.listener = listener;
  }

  onState(circuit: Circuit, state: CircuitStateName): void {
    this.listener?.stateChanged?.(circuit.label, state);
  }

  onRefused(circuit: Circuit): void {
    this.listener?.refused(circuit.label, 'circuitOpen');
  }

  refusedForDeadline(label: string): void {
    this.listener?.refused(label, 'deadline');
  }
}
