/** The servers global setup loads the dataset into: each Jaeger and Zipkin of the harness. */
import { ENDPOINTS } from '../harness/servers.js';
import type { JaegerTarget, ZipkinTarget } from './load.js';

export const DATASET_TARGETS = {
  jaeger: { kind: 'jaeger', query: ENDPOINTS.jaeger.query, otlp: ENDPOINTS.jaeger.otlp } satisfies JaegerTarget,
  zipkin: { kind: 'zipkin', url: ENDPOINTS.zipkin } satisfies ZipkinTarget,
  jaegerEs: { kind: 'jaeger', query: ENDPOINTS.jaegerEs.query, otlp: ENDPOINTS.jaegerEs.otlp } satisfies JaegerTarget,
  zipkinEs: { kind: 'zipkin', url: ENDPOINTS.zipkinEs } satisfies ZipkinTarget,
} as const;
