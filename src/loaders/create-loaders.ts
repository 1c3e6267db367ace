/**
 * DataLoaders, created fresh for every request (server/context.ts). One loader per backend
 * selection and `raw` flag: every trace lookup of a request with the same selection lands in one
 * batch, so `traces(ids: [50 ids])` or 50 `trace` fields become one getTraces call per backend.
 */
import DataLoader from 'dataloader';
import type { Backend } from '../backends/backend.js';
import { logBackendFailure } from '../backends/shared/backend-failure.js';
import { fetchTraces, type Deadline, type Gateway, type TraceLookup } from '../federation/index.js';
import type { TraceId } from '../model/index.js';

export interface Loaders {
  traces(backends: readonly Backend[], raw: boolean): DataLoader<TraceId, TraceLookup>;
}

export function createLoaders(gateway: Gateway, deadline: Deadline, scope?: string): Loaders {
  const traceLoaders = new Map<string, DataLoader<TraceId, TraceLookup>>();
  return {
    traces(backends, raw) {
      const key = `${raw ? 'raw' : 'adjusted'}:${backends.map((b) => b.name).join(',')}`;
      let loader = traceLoaders.get(key);
      if (!loader) {
        loader = new DataLoader<TraceId, TraceLookup>(
          (ids) =>
            fetchTraces(
              ids,
              backends,
              { lenientTraceIds: gateway.federation.lenientTraceIds, raw, clockSkew: gateway.federation.clockSkew, maxClockSkewUs: gateway.federation.maxClockSkewUs },
              {
                deadline,
                ...(scope !== undefined ? { scope } : {}),
                timeoutMs: (b) => gateway.timeoutMs(b),
                onUnexpected: (b, error) => gateway.logger.error({ err: error, backend: b.name }, 'unexpected backend error'),
                onFailure: (b, outcome, error) => logBackendFailure(gateway.logger, b.name, outcome.code ?? outcome.state, error, outcome.reason ?? undefined),
                onOutcome: (outcome) => gateway.outcomeListener?.recordOutcome(outcome),
              },
            ),
          { maxBatchSize: 1_000 },
        );
        traceLoaders.set(key, loader);
      }
      return loader;
    },
  };
}
