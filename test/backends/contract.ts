/**
 * The shared Backend contract suite (docs/architecture.md §2): every backend runs it, the real ones against
 * their real servers holding the integration dataset, the memory backend against its own fixture and
 * the demo data. Modelled on jaegertracing/jaeger `internal/storage/integration/integration.go`:
 * one battery, a backend lists only what it cannot do.
 *
 * Expectations are derived from the dataset (contract-expectations.ts), never hard-coded, so the
 * suite runs on any dataset. Precondition: within the dataset's time window the backend holds
 * exactly the dataset, unless `tolerances.sharedStore` says otherwise.
 *
 * Two ways to declare a limit, both by name, both explicit:
 * - `unsupported` skips checks: a capability name (its checks, and its refusal check) or a check
 *   name from CONTRACT_CHECKS. A capability the backend reports as false needs no listing: the suite
 *   then checks that the backend refuses such a query with BACKEND_UNSUPPORTED (never approximates).
 * - `tolerances` (contract-normalise.ts) forgive declared data losses when spans are compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, BackendCapabilities, BackendTrace, CallOptions, Operation } from '../../src/backends/backend.js';
import { BackendError } from '../../src/errors.js';
import { byText, CONTRACT_CHECKS, ContractContext, rejection, type ContractCheck } from './contract-context.js';
import { DatasetIndex, type ContractDataset } from './contract-expectations.js';
import { normaliseName, normaliseTrace, type ContractTolerances } from './contract-normalise.js';
import { registerSearchChecks } from './contract-search.js';

export type { ContractCheck } from './contract-context.js';
export type { ContractDataset } from './contract-expectations.js';
export type { ContractTolerances } from './contract-normalise.js';

export interface ContractSetup {
  /** A backend already holding `dataset`. */
  backend: Backend;
  dataset: ContractDataset;
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  unsupported?: Array<keyof BackendCapabilities | ContractCheck | (string & {})>;
  tolerances?: ContractTolerances;
}

export function runBackendContract(name: string, setup: () => Promise<ContractSetup>, options: ContractOptions = {}): void {
  const c = new ContractContext(name, options.tolerances ?? {}, new Set<string>(options.unsupported ?? []));

  describe(`${name} honours the Backend contract`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const ready = await setup();
      cleanup = ready.cleanup;
      c.backend = ready.backend;
      c.dataset = ready.dataset;
      c.data = new DatasetIndex(ready.dataset, new Set(c.tolerances.ignoredAttributeKeys ?? []));
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('lists only checks the suite knows as unsupported', () => {
      const known = new Set<string>(CONTRACT_CHECKS);
      expect([...c.unsupported].filter((id) => !known.has(id))).toEqual([]);
    });

    describe('getTraces', () => {
      c.check('getTraces', 'answers in the order of the ids, one entry per id, no spans for an unknown id, twice for a repeated id', async () => {
        const ids = [...c.data.traceIds].reverse();
        ids.splice(Math.floor(ids.length / 2), 0, c.unknownTraceId(0));
        ids.push(ids[0]!);
        const result = await c.backend.getTraces(ids, c.call());
        expect(result).toHaveLength(ids.length);
        result.forEach((entry, i) => {
          const id = ids[i]!;
          expect(entry instanceof Error, `entry ${i} (${id}) must be a trace, not an error`).toBe(false);
          const { spans, warnings } = entry as BackendTrace;
          expect(spans.length, `span count of ${id}`).toBe(c.data.traces.get(id)?.length ?? 0);
          expect(spans.every((s) => s.traceId === id)).toBe(true);
          // The dataset is clean: nothing is dropped while reading it.
          expect(warnings, `warnings of ${id}`).toEqual([]);
        });
        const [first, last] = [result[0] as BackendTrace, result.at(-1) as BackendTrace];
        expect(normaliseTrace(last.spans, c.tolerances)).toEqual(normaliseTrace(first.spans, c.tolerances));
      });

      c.check('getTraces', 'answers no spans and no warnings for every id it does not hold, and nothing for no ids', async () => {
        expect(await c.backend.getTraces([c.unknownTraceId(1), c.unknownTraceId(2)], c.call())).toEqual([
          { spans: [], warnings: [] },
          { spans: [], warnings: [] },
        ]);
        expect(await c.backend.getTraces([], c.call())).toEqual([]);
      });

      c.check(
        'spanFields',
        'returns every span as loaded: ids, parent, service, name, kind, times, status, attributes, resource, events, links',
        async () => {
          const ids = c.data.traceIds;
          const result = await c.backend.getTraces(ids, c.call());
          ids.forEach((id, i) => {
            expect(normaliseTrace((result[i] as BackendTrace).spans, c.tolerances), `trace ${id}`).toEqual(
              normaliseTrace(c.data.traces.get(id)!, c.tolerances),
            );
          });
        },
      );

      c.check('getTraces', 'names itself as the only source of every span', async () => {
        const result = await c.backend.getTraces(c.data.traceIds, c.call());
        const sources = new Set((result as BackendTrace[]).flatMap((t) => t.spans).map((s) => JSON.stringify(s.sources)));
        expect([...sources]).toEqual([JSON.stringify([c.backend.name])]);
      });
    });

    registerSearchChecks(c);

    describe('services and operations', () => {
      c.check('services', 'lists every service once, sorted', async () => {
        const services = await c.backend.getServices(c.call());
        expect(services).toEqual([...new Set(services)].sort(byText));
        const expected = [...new Set(c.data.services.map((s) => normaliseName(s, c.tolerances)))].sort(byText);
        if (c.tolerances.sharedStore) expect(services).toEqual(expect.arrayContaining(expected));
        else expect(services).toEqual(expected);
      });

      c.check('operations', 'lists each (name, kind) pair of a service once, sorted by name then kind', async () => {
        for (const service of c.data.services) {
          const operations = await c.backend.getOperations(service, null, c.call());
          // Without operationsBySpanKind a store keeps no kind per operation: compare the names.
          const project = (ops: Operation[]): unknown[] =>
            c.backend.capabilities.operationsBySpanKind ? ops : [...new Set(ops.map((o) => o.name))].sort(byText);
          const expected = project(c.expectedOperations(service, null));
          if (c.tolerances.sharedStore) expect(project(operations), service).toEqual(expect.arrayContaining(expected));
          else expect(project(operations), service).toEqual(expected);
        }
        expect(await c.backend.getOperations('no-such-service-7f3a', null, c.call())).toEqual([]);
      });

      c.check('operationsBySpanKind', 'lists only the operations of the span kind asked for', async (ctx) => {
        c.needs(ctx, 'operationsBySpanKind');
        for (const service of c.data.services) {
          for (const kind of new Set(c.expectedOperations(service, null).map((o) => o.spanKind))) {
            const operations = await c.backend.getOperations(service, kind, c.call());
            const expected = c.expectedOperations(service, kind);
            if (c.tolerances.sharedStore) expect(operations, `${service} ${kind}`).toEqual(expect.arrayContaining(expected));
            else expect(operations, `${service} ${kind}`).toEqual(expected);
          }
        }
      });
    });

    describe('getDependencies', () => {
      const expectEdges = async (window: { startUs: number; endUs: number }): Promise<void> => {
        const sortEdges = <T extends { parent: string; child: string }>(edges: T[]): T[] =>
          [...edges].sort((a, b) => byText(a.parent, b.parent) || byText(a.child, b.child));
        const edges = sortEdges(await c.backend.getDependencies(window, c.call()));
        const expected = sortEdges(
          c.data.expectedDependencies(window).map((e) => ({
            parent: normaliseName(e.parent, c.tolerances),
            child: normaliseName(e.child, c.tolerances),
            callCount: e.callCount,
            errorCount: c.tolerances.dependencyErrorCountUnknown ? null : e.errorCount,
          })),
        );
        if (c.tolerances.sharedStore || c.tolerances.storeDefinedDependencies) {
          const pairs = (list: Array<{ parent: string; child: string }>): string[] => list.map((e) => `${e.parent} → ${e.child}`);
          expect(pairs(edges)).toEqual(expect.arrayContaining(pairs(expected)));
        } else {
          expect(edges).toEqual(expected);
        }
      };

      c.check('dependencies', 'counts calls and failed calls between services over the window', async (ctx) => {
        c.needs(ctx, 'dependencies');
        await expectEdges(c.data.window);
      });

      c.check('dependencies.window', 'counts only calls starting inside a narrower window', async (ctx) => {
        c.needs(ctx, 'dependencies');
        const narrow = c.data.windowQuery().window;
        if (!c.tolerances.storeDefinedDependencies) {
          await expectEdges(narrow);
          return;
        }
        // The store windows by its own rule (Jaeger: whole traces inside the window): a narrower
        // window may only drop edges, and must drop some that the dataset puts outside it.
        const key = (e: { parent: string; child: string }) => `${e.parent} → ${e.child}`;
        const all = (await c.backend.getDependencies(c.data.window, c.call())).map(key);
        const some = (await c.backend.getDependencies(narrow, c.call())).map(key);
        expect(all).toEqual(expect.arrayContaining(some));
        const total = (edges: Array<{ callCount: number }>) => edges.reduce((n, e) => n + e.callCount, 0);
        if (total(c.data.expectedDependencies(narrow)) < total(c.data.expectedDependencies(c.data.window))) {
          expect(total(await c.backend.getDependencies(narrow, c.call()))).toBeLessThan(
            total(await c.backend.getDependencies(c.data.window, c.call())),
          );
        }
      });
    });

    describe('call.signal', () => {
      c.check('abort', 'rejects every call made with an already-aborted signal with BACKEND_TIMEOUT', async () => {
        const aborted = (): CallOptions => ({ signal: AbortSignal.abort(new Error('request deadline passed')) });
        const service = c.data.services[0]!;
        const calls: Array<[string, () => Promise<unknown>, keyof BackendCapabilities | null]> = [
          ['getTraces', () => c.backend.getTraces(c.data.traceIds.slice(0, 2), aborted()), null],
          ['findTraces', () => c.backend.findTraces(c.data.query({ service }), aborted()), null],
          ['getServices', () => c.backend.getServices(aborted()), null],
          ['getOperations', () => c.backend.getOperations(service, null, aborted()), null],
          ['getDependencies', () => c.backend.getDependencies(c.data.window, aborted()), 'dependencies'],
        ];
        for (const [method, attempt, capability] of calls) {
          const error = await rejection(attempt());
          expect(error, `${method} must reject`).toBeInstanceOf(BackendError);
          // A call the backend cannot serve at all may say so before it looks at the signal.
          const allowed =
            capability !== null && !c.backend.capabilities[capability] ? ['BACKEND_TIMEOUT', 'BACKEND_UNSUPPORTED'] : ['BACKEND_TIMEOUT'];
          expect(allowed, method).toContain((error as BackendError).code);
        }
      });

      c.check('abort', 'answers health even with an aborted signal, without throwing', async () => {
        const health = await c.backend.health({ signal: AbortSignal.abort() });
        expect(typeof health.healthy).toBe('boolean');
      });
    });

    describe('returned objects belong to the caller', () => {
      c.check('callerOwnsResults', 'returns the same spans after the caller mutated the previous answer', async () => {
        const id = c.data.traceIds[0]!;
        const [first] = (await c.backend.getTraces([id], c.call())) as BackendTrace[];
        const pristine = structuredClone(first!);
        const span = first!.spans[0]!;
        span.name = 'mutated';
        span.sources.push('someone-else');
        span.attributes.push({ key: 'mutated', type: 'BOOL', value: true });
        if (span.attributes[0]) span.attributes[0].value = 'mutated';
        span.events.length = 0;
        first!.spans.pop();
        first!.warnings.push('mutated');
        const [again] = (await c.backend.getTraces([id], c.call())) as BackendTrace[];
        expect(again).toEqual(pristine);
      });

      c.check('callerOwnsResults', 'returns the same summaries, services and operations after the caller mutated them', async () => {
        const service = c.data.services[0]!;
        const query = c.data.query({ service });
        const summaries = await c.backend.findTraces(query, c.call());
        const pristine = structuredClone(summaries);
        summaries[0]!.services.push('mutated');
        summaries[0]!.spanCount = -1;
        summaries.pop();
        expect(await c.backend.findTraces(query, c.call())).toEqual(pristine);

        const services = await c.backend.getServices(c.call());
        const servicesBefore = [...services];
        services.reverse().push('mutated');
        expect(await c.backend.getServices(c.call())).toEqual(servicesBefore);

        const operations = await c.backend.getOperations(service, null, c.call());
        const operationsBefore = structuredClone(operations);
        if (operations[0]) operations[0].name = 'mutated';
        operations.push({ name: 'mutated', spanKind: 'SERVER' });
        expect(await c.backend.getOperations(service, null, c.call())).toEqual(operationsBefore);
      });
    });

    // The dataset must be what the backend holds; a mistake here would make every check vacuous.
    it('was given a dataset with spans', () => {
      expect(c.dataset.spans.length).toBeGreaterThan(0);
    });
  });
}
