/**
 * The shared Backend contract against the real Elasticsearch 8.8.2, reading the indexes that the
 * harness's real Jaeger (ES storage) and Zipkin (ES storage) collectors wrote from the integration
 * dataset: no hand-written documents. Tolerances are what each collector's index cannot carry, the
 * same as the matching query service's (test/backends/{jaeger,zipkin}/contract.int.test.ts).
 */
import { elasticsearchBackend, loadedDataset } from '../../support/real-backends.js';
import { runBackendContract } from '../contract.js';

runBackendContract(
  'elasticsearch (jaeger schema)',
  async () => {
    const backend = elasticsearchBackend('jaeger');
    return { backend, dataset: { spans: loadedDataset().jaeger }, cleanup: () => backend.close() };
  },
  { tolerances: { ignoresLinkRefType: true, dropsLinkAttributes: true } },
);

runBackendContract(
  'elasticsearch (zipkin schema)',
  async () => {
    const backend = elasticsearchBackend('zipkin');
    return { backend, dataset: { spans: loadedDataset().zipkin }, cleanup: () => backend.close() };
  },
  {
    unsupported: ['findTraces.resourceAttributes'],
    tolerances: { attributeValuesAsText: true, lowerCasesNames: true, dropsLinks: true, dropsEventAttributes: true, dropsResource: true },
  },
);
