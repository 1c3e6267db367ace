/**
 * What a Jaeger query service can do exactly depends on which of its APIs answer (index.ts probes
 * them once, or the config pins one): api_v3 is the stable API, the v1 JSON API alone has a
 * multi-get, attribute search that every version honours, and dependencies.
 */
import type { BackendCapabilities } from '../backend.js';

export interface JaegerApis {
  v3: boolean;
  v1: boolean;
}

export function jaegerCapabilities(apis: JaegerApis): BackendCapabilities {
  return {
    // api_v3 has no multi-get, and the v1 one is lossy: only a v1-only Jaeger batches.
    batchGetTraces: apis.v1 && !apis.v3,
    searchByAttributes: apis.v1,
    searchWithoutService: false,
    searchByDuration: true,
    operationsBySpanKind: true,
    dependencies: apis.v1,
  };
}
