/**
 * What the span indices can answer exactly, by schema. Dependencies count as served in both: they are
 * what the dependency jobs wrote (often nothing, since the jobs are separate deployments).
 */
import { ALL_CAPABILITIES, type BackendCapabilities } from '../backend.js';
import type { EsSchema } from './index-names.js';

export function elasticsearchCapabilities(schema: EsSchema): BackendCapabilities {
  return {
    ...ALL_CAPABILITIES,
    // Jaeger's service documents hold no span kind; Zipkin's span documents hold `kind`.
    operationsBySpanKind: schema === 'zipkin',
  };
}
