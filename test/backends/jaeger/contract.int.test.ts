/**
 * The shared Backend contract against the real Jaeger v2 (memory storage) holding the integration
 * dataset, through each API the adapter speaks: api_v3 (the main path) and the v1 JSON API.
 */
import { loadedDataset, jaegerBackend } from '../../support/real-backends.js';
import { runBackendContract } from '../contract.js';

for (const api of ['v3', 'v1'] as const) {
  runBackendContract(`jaeger (api ${api})`, async () => {
    const backend = jaegerBackend({ api });
    return { backend, dataset: { spans: loadedDataset().jaeger }, cleanup: () => backend.close() };
  });
}
