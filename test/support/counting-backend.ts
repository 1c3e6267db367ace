/**
 * Wraps a real backend and counts the calls that reach it, so integration tests can assert how many
 * backend calls a query made (batching, single-flight, cache hits) against real servers.
 */
import type { Backend, CallOptions, TimeWindow, TraceQuery } from '../../src/backends/backend.js';
import type { SpanKind, TraceId } from '../../src/model/index.js';

export class CountingBackend implements Backend {
  readonly calls: Array<{ method: string; ids?: readonly TraceId[] }> = [];

  constructor(readonly inner: Backend) {}

  get name() {
    return this.inner.name;
  }
  get kind() {
    return this.inner.kind;
  }
  get capabilities() {
    return this.inner.capabilities;
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  reset(): void {
    this.calls.length = 0;
  }

  getTraces(ids: readonly TraceId[], call: CallOptions) {
    this.calls.push({ method: 'getTraces', ids: [...ids] });
    return this.inner.getTraces(ids, call);
  }
  findTraces(query: TraceQuery, call: CallOptions) {
    this.calls.push({ method: 'findTraces' });
    return this.inner.findTraces(query, call);
  }
  getServices(call: CallOptions) {
    this.calls.push({ method: 'getServices' });
    return this.inner.getServices(call);
  }
  getOperations(service: string, kind: SpanKind | null, call: CallOptions) {
    this.calls.push({ method: 'getOperations' });
    return this.inner.getOperations(service, kind, call);
  }
  getDependencies(window: TimeWindow, call: CallOptions) {
    this.calls.push({ method: 'getDependencies' });
    return this.inner.getDependencies(window, call);
  }
  health(call: CallOptions) {
    return this.inner.health(call);
  }
  close() {
    return this.inner.close();
  }
}
