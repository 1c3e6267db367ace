/**
 * The shared Backend contract against the real Elasticsearch 8.8.2, reading the indexes that the
 * harness's real Jaeger (ES storage) and Zipkin (ES storage) collectors wrote from the integration
 * dataset: no hand-written documents. Tolerances are what each collector's index cannot carry, the
 * same as the matching query service's (test/backends/{jaeger,zipkin}/contract.int.test.ts).
 *
 * Dependencies are not checked here: in Elasticsearch the service graph is written by separate batch
 * jobs (jaeger's spark-dependencies, zipkin-dependencies), which the harness does not run, so the
 * dependency indexes are empty and the backend rightly answers no edges. Reading documents those
 * jobs write is therefore NOT verified against a real writer yet (noted on issue 4).
 */
import { elasticsearchBackend, loadedDataset } from '../../support/real-backends.js';
import { runBackendContract } from '../contract.js';

runBackendContract(
  'elasticsearch (jaeger schema)',
  async () => {
    const backend = elasticsearchBackend('jaeger');
    return { backend, dataset: { spans: loadedDataset().jaeger }, cleanup: () => backend.close() };
  },
  { unsupported: ['dependencies', 'dependencies.window'], tolerances: { ignoresLinkRefType: true, dropsLinkAttributes: true } },
);

runBackendContract(
  'elasticsearch (zipkin schema)',
  async () => {
    const backend = elasticsearchBackend('zipkin');
    return { backend, dataset: { spans: loadedDataset().zipkin }, cleanup: () => backend.close() };
  },
  {
    unsupported: ['findTraces.resourceAttributes', 'dependencies', 'dependencies.window'],
    tolerances: { attributeValuesAsText: true, lowerCasesNames: true, dropsLinks: true, dropsEventAttributes: true, dropsResource: true },
  },
);
