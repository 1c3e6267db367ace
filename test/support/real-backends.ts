/**
 * Canonical backends pointed at the harness's real servers, built through the same factories and
 * config schemas as production, and the dataset those servers hold.
 */
import { inject } from 'vitest';
import { pino } from 'pino';
import type { Backend } from '../../src/backends/backend.js';
import { elasticsearchBackendFactory } from '../../src/backends/elasticsearch/index.js';
import { jaegerBackendFactory } from '../../src/backends/jaeger/index.js';
import { zipkinBackendFactory } from '../../src/backends/zipkin/index.js';
import { buildDataset, type IntegrationDataset } from './dataset/dataset.js';
import { ENDPOINTS } from './harness/servers.js';

export const silentDeps = { logger: pino({ level: 'silent' }) };

/** The dataset global setup loaded (same base time as the servers hold). */
export function loadedDataset(): IntegrationDataset {
  return buildDataset(inject('datasetBaseUs'));
}

export function jaegerBackend(overrides: Record<string, unknown> = {}): Backend {
  return jaegerBackendFactory.create(
    jaegerBackendFactory.configSchema.parse({ kind: 'jaeger', name: 'jaeger', url: ENDPOINTS.jaeger.query, ...overrides }),
    silentDeps,
  );
}

export function zipkinBackend(overrides: Record<string, unknown> = {}): Backend {
  return zipkinBackendFactory.create(
    zipkinBackendFactory.configSchema.parse({ kind: 'zipkin', name: 'zipkin', url: ENDPOINTS.zipkin, ...overrides }),
    silentDeps,
  );
}

/** An `elasticsearch` backend reading what the harness's ES-backed Jaeger or Zipkin wrote. */
export function elasticsearchBackend(schema: 'jaeger' | 'zipkin', overrides: Record<string, unknown> = {}): Backend {
  const config = elasticsearchBackendFactory.configSchema.parse({
    kind: 'elasticsearch',
    name: `es-${schema}`,
    urls: [ENDPOINTS.elasticsearch],
    schema,
    ...overrides,
  });
  return elasticsearchBackendFactory.create(config, silentDeps);
}

/** Gateway config blocks for the real servers (what a user writes in tracegate.yaml). */
export const BACKEND_CONFIG = {
  jaeger: { kind: 'jaeger', name: 'jaeger', url: ENDPOINTS.jaeger.query },
  zipkin: { kind: 'zipkin', name: 'zipkin', url: ENDPOINTS.zipkin },
  esJaeger: { kind: 'elasticsearch', name: 'es-jaeger', urls: [ENDPOINTS.elasticsearch], schema: 'jaeger' },
  esZipkin: { kind: 'elasticsearch', name: 'es-zipkin', urls: [ENDPOINTS.elasticsearch], schema: 'zipkin' },
} as const;
