/**
 * What every check of the contract suite shares: the backend under test and its dataset (filled in
 * by the suite's beforeAll), the declared limits, and the helpers that call the backend and compare
 * answers. Check names live here too, so that every file registering checks speaks the same names.
 */
import { expect, it, type TestContext } from 'vitest';
import type { Backend, BackendCapabilities, CallOptions, Operation, TraceQuery } from '../../src/backends/backend.js';
import { BackendError } from '../../src/errors.js';
import { parseTraceId, type SpanKind, type TraceId } from '../../src/model/index.js';
import type { ContractDataset, DatasetIndex } from './contract-expectations.js';
import { normaliseName, type ContractTolerances } from './contract-normalise.js';

const CAPABILITIES = [
  'batchGetTraces',
  'searchByAttributes',
  'searchWithoutService',
  'searchByDuration',
  'operationsBySpanKind',
  'dependencies',
] as const;

/**
 * Every name `unsupported` may hold: the capabilities, and the checks that need no capability.
 * `batchGetTraces` gates no check of its own: whether many ids cost one call is not visible from
 * outside, and every backend must answer many ids either way.
 */
export const CONTRACT_CHECKS = [
  ...CAPABILITIES,
  'getTraces',
  'spanFields',
  'findTraces',
  'findTraces.summaries',
  'findTraces.resourceAttributes',
  'findTraces.errorAttribute',
  'findTraces.oneSpan',
  'findTraces.window',
  'findTraces.limit',
  'services',
  'operations',
  'dependencies.window',
  'abort',
  'callerOwnsResults',
] as const;

export type ContractCheck = (typeof CONTRACT_CHECKS)[number];

export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A query in one line, for assertion messages. */
export function describeQuery(query: TraceQuery): string {
  const { window, limit, ...rest } = query;
  const set = Object.entries(rest).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0));
  return `${JSON.stringify(Object.fromEntries(set))} in [${window.startUs}, ${window.endUs}] limit ${limit}`;
}

/** The rejection of `promise`, or undefined when it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

export class ContractContext {
  /** Set in the suite's beforeAll; reading them at registration time is a bug. */
  backend!: Backend;
  dataset!: ContractDataset;
  data!: DatasetIndex;

  constructor(
    readonly name: string,
    readonly tolerances: ContractTolerances,
    readonly unsupported: ReadonlySet<string>,
  ) {}

  call(): CallOptions {
    return { signal: new AbortController().signal };
  }

  /** Registers a test, or a skipped one when the backend lists the check as unsupported. */
  check(id: ContractCheck, title: string, fn: (ctx: TestContext) => Promise<void>): void {
    (this.unsupported.has(id) ? it.skip : it)(title, fn);
  }

  /** Skips the test when the backend reports the capability as false (its refusal test runs instead). */
  needs(ctx: TestContext, capability: keyof BackendCapabilities): void {
    if (!this.backend.capabilities[capability]) ctx.skip(`${this.name} reports ${capability}: false`);
  }

  async expectBackendError(promise: Promise<unknown>, code: BackendError['code']): Promise<void> {
    const error = await rejection(promise);
    expect(error, 'the call must reject with a BackendError').toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe(code);
    expect((error as BackendError).backend).toBe(this.backend.name);
  }

  /** A valid trace id the dataset does not hold; different salts give different ids. */
  unknownTraceId(salt: number): TraceId {
    for (let i = salt; ; i++) {
      const id = parseTraceId(`fedcba98765432100123456789a${i.toString(16).padStart(5, '0')}`);
      if (!this.data.traces.has(id)) return id;
    }
  }

  /** The trace ids found, restricted to the dataset's when the store holds other data. */
  async searchIds(query: TraceQuery): Promise<TraceId[]> {
    const ids = (await this.backend.findTraces(query, this.call())).map((s) => s.traceId);
    return this.tolerances.sharedStore ? ids.filter((id) => this.data.traces.has(id)) : ids;
  }

  async expectSearch(query: TraceQuery): Promise<void> {
    expect(await this.searchIds(query), describeQuery(query)).toEqual(this.data.expectedSearch(query));
  }

  /** The dataset's operations of a service as the backend can hold them (names and kinds per tolerances). */
  expectedOperations(service: string, kind: SpanKind | null): Operation[] {
    const seen = new Map<string, Operation>();
    for (const op of this.data.expectedOperations(service, null)) {
      const normalised = { name: normaliseName(op.name, this.tolerances), spanKind: this.tolerances.kindsBecome?.[op.spanKind] ?? op.spanKind };
      if (kind === null || normalised.spanKind === kind) seen.set(`${normalised.name}\u0000${normalised.spanKind}`, normalised);
    }
    return [...seen.values()].sort((a, b) => byText(a.name, b.name) || byText(a.spanKind, b.spanKind));
  }
}
