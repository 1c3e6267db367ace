/**
 * The contract suite's findTraces checks, and the refusals a backend owes for capabilities it
 * reports as false. Registered by contract.ts inside its describe block; the expected answers come
 * from contract-expectations.ts.
 */
import { describe, expect } from 'vitest';
import type { BackendCapabilities, BackendTrace } from '../../src/backends/backend.js';
import { summarizeTrace, type TraceId } from '../../src/model/index.js';
import { describeQuery, type ContractContext } from './contract-context.js';
import { normaliseSummary } from './contract-normalise.js';

export function registerSearchChecks(c: ContractContext): void {
  describe('findTraces', () => {
    c.check('findTraces', 'finds the traces holding a span of each service, newest first, ties by trace id', async () => {
      for (const service of c.data.services) await c.expectSearch(c.data.query({ service }));
    });

    c.check('findTraces', 'finds traces by service and operation', async () => {
      for (const query of c.data.operationQueries(8)) await c.expectSearch(query);
    });

    c.check('findTraces', 'offers only found traces whole, each exactly what getTraces answers for its id (CallOptions.onWholeTrace)', async () => {
      let offeredAny = false;
      for (const service of c.data.services) {
        const offered = new Map<TraceId, BackendTrace>();
        const found = await c.backend.findTraces(c.data.query({ service }), { ...c.call(), onWholeTrace: (id, trace) => offered.set(id, trace) });
        const ids = [...offered.keys()];
        expect(
          ids.filter((id) => !found.some((s) => s.traceId === id)),
          `${service}: offered traces that are not hits`,
        ).toEqual([]);
        if (ids.length === 0) continue;
        offeredAny = true;
        const fetched = await c.backend.getTraces(ids, c.call());
        ids.forEach((id, i) => {
          expect(offered.get(id), `${service}: trace ${id}`).toEqual(fetched[i]);
        });
      }
      // Every search API over HTTP reads whole traces; only the in-process memory store offers none.
      if (!offeredAny) expect(c.backend.kind).toBe('memory');
    });

    c.check('findTraces', 'finds nothing for a service it does not hold', async () => {
      expect(await c.backend.findTraces(c.data.query({ service: 'no-such-service-7f3a' }), c.call())).toEqual([]);
    });

    c.check('findTraces.summaries', 'summarises each found trace: root, start, duration, counts, services, sources', async () => {
      const found = await c.backend.findTraces(c.data.query({ service: c.data.services[0]! }), c.call());
      for (const summary of found.filter((s) => c.data.traces.has(s.traceId))) {
        const spans = c.data.traces.get(summary.traceId)!.map((s) => ({ ...s, sources: [c.backend.name] }));
        expect(normaliseSummary(summary, c.tolerances), summary.traceId).toEqual(
          normaliseSummary(summarizeTrace({ traceId: summary.traceId, spans, warnings: [] }), c.tolerances),
        );
      }
    });

    c.check('searchByAttributes', 'finds traces by service and a span attribute, typed values compared as text', async (ctx) => {
      c.needs(ctx, 'searchByAttributes');
      const queries = c.data.attributeQueries();
      if (queries.length === 0) throw new Error('the contract dataset must allow this check: the dataset has no searchable span attribute');
      for (const query of queries) await c.expectSearch(query);
    });

    c.check('findTraces.resourceAttributes', 'finds traces by a resource attribute', async (ctx) => {
      c.needs(ctx, 'searchByAttributes');
      const query = c.tolerances.dropsResource ? undefined : c.data.resourceAttributeQuery();
      if (query === undefined) throw new Error('the contract dataset must allow this check: no resource attribute to search (dataset or tolerance)');
      await c.expectSearch(query);
    });

    c.check('findTraces.errorAttribute', 'treats error=true / error=false as the span status', async (ctx) => {
      c.needs(ctx, 'searchByAttributes');
      const queries = c.data.errorQueries();
      if (queries.length === 0) throw new Error('the contract dataset must allow this check: no service with both failed and successful spans');
      for (const query of queries) await c.expectSearch(query);
    });

    c.check('findTraces.oneSpan', 'matches service and attribute on the same span, not on two spans of one trace', async (ctx) => {
      c.needs(ctx, 'searchByAttributes');
      const probe = c.data.oneSpanQuery();
      if (probe === undefined)
        throw new Error('the contract dataset must allow this check: the dataset has no trace telling one-span from any-span matching');
      const ids = await c.searchIds(probe.query);
      expect(ids, describeQuery(probe.query)).not.toContain(probe.mustNotFind);
      expect(ids, describeQuery(probe.query)).toEqual(c.data.expectedSearch(probe.query));
    });

    c.check('searchByDuration', 'bounds the duration of the matching span by min, max, and both', async (ctx) => {
      c.needs(ctx, 'searchByDuration');
      for (const query of c.data.durationQueries()) await c.expectSearch(query);
    });

    c.check('findTraces.window', 'finds only traces with a matching span starting inside the window', async () => {
      await c.expectSearch(c.data.windowQuery());
      const before = c.data.query({
        service: c.data.services[0]!,
        window: { startUs: c.data.window.startUs - 7_200_000_000, endUs: c.data.window.startUs - 3_600_000_000 },
      });
      expect(await c.searchIds(before)).toEqual([]);
    });

    c.check('findTraces.limit', 'returns at most limit traces: the newest', async () => {
      const query = c.data.limitQuery();
      if (query === undefined) throw new Error('the contract dataset must allow this check: no service with three traces');
      const found = await c.backend.findTraces(query, c.call());
      expect(found.length).toBeLessThanOrEqual(query.limit);
      if (!c.tolerances.sharedStore) expect(found.map((s) => s.traceId)).toEqual(c.data.expectedSearch(query));
    });

    c.check('searchWithoutService', 'searches every service when the query names none', async (ctx) => {
      c.needs(ctx, 'searchWithoutService');
      await c.expectSearch(c.data.query({}));
      const [withAttribute] = c.data.attributeQueries();
      if (withAttribute && c.backend.capabilities.searchByAttributes) await c.expectSearch({ ...withAttribute, service: null });
    });
  });

  describe('refuses what it cannot do with BACKEND_UNSUPPORTED', () => {
    const refusals: Array<[keyof BackendCapabilities, () => Promise<unknown>]> = [
      [
        'searchByAttributes',
        () => c.backend.findTraces(c.data.query({ service: c.data.services[0]!, attributes: [{ key: 'http.route', value: '/' }] }), c.call()),
      ],
      ['searchWithoutService', () => c.backend.findTraces(c.data.query({}), c.call())],
      ['searchByDuration', () => c.backend.findTraces(c.data.query({ service: c.data.services[0]!, minDurationUs: 1 }), c.call())],
      ['operationsBySpanKind', () => c.backend.getOperations(c.data.services[0]!, 'SERVER', c.call())],
      ['dependencies', () => c.backend.getDependencies(c.data.window, c.call())],
    ];
    for (const [capability, attempt] of refusals) {
      // Always asserts: a capability reported true must serve the query, one reported false must refuse it.
      c.check(capability, `serves a query needing ${capability} exactly when it reports ${capability}: true`, async () => {
        if (c.backend.capabilities[capability]) await expect(attempt()).resolves.toBeDefined();
        else await c.expectBackendError(attempt(), 'BACKEND_UNSUPPORTED');
      });
    }
  });
}
