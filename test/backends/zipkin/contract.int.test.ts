/**
 * The shared Backend contract against the real Zipkin (in-memory storage) holding the integration
 * dataset. Zipkin API v2 cannot carry everything OTLP can; the losses are declared by name.
 */
import { loadedDataset, zipkinBackend } from '../../support/real-backends.js';
import { runBackendContract } from '../contract.js';

runBackendContract('zipkin', async () => {
  const backend = zipkinBackend();
  return { backend, dataset: { spans: loadedDataset().zipkin }, cleanup: () => backend.close() };
}, {
  tolerances: {
    attributeValuesAsText: true,
    lowerCasesNames: true,
    dropsLinks: true,
    dropsEventAttributes: true,
    dropsResource: true,
  },
});
