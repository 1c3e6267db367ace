/**
 * Global setup of the `integration` project: starts (or reuses) the real servers, loads the dataset
 * into every Jaeger and Zipkin (memory- and Elasticsearch-backed), and hands the dataset's base time
 * to the tests (`inject('datasetBaseUs')`; rebuild it with buildDataset). Servers this run started are
 * stopped at the end unless TRACEGATE_KEEP_BACKENDS=1; servers it found running are left alone.
 */
import type { TestProject } from 'vitest/node';
import { ensureDatasetLoaded } from './dataset/load.js';
import { DATASET_TARGETS } from './dataset/targets.js';
import { down, up } from './harness/servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    datasetBaseUs: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = Date.now();
  const result = await up(undefined, (line) => console.log(`[backends] ${line}`));
  console.log(
    `[backends] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (started: ${result.started.join(', ') || 'none'}; reused: ${result.reused.join(', ') || 'none'})`,
  );
  const dataset = await ensureDatasetLoaded(Object.values(DATASET_TARGETS));
  project.provide('datasetBaseUs', dataset.baseUs);
  return async () => {
    if (process.env.TRACEGATE_KEEP_BACKENDS === '1' || result.started.length === 0) return;
    await down(result.started);
  };
}
