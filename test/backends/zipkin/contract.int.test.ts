/**
 * The shared Backend contract against the real Zipkin (in-memory storage) holding the integration
 * dataset. Zipkin API v2 cannot carry everything OTLP can; the losses are declared by name:
 * - tags are strings, names lower-cased on ingest, no links, annotations without attributes, no
 *   resource (an endpoint holds only the service): so no resource attribute can be searched either;
 * - annotationQuery can ask for the `error` tag, never for its absence: error=false is refused with
 *   BACKEND_UNSUPPORTED (the refusal is tested in test/backends/zipkin/query.test.ts);
 * - the service graph is Zipkin's own linker (zipkin2 internal/DependencyLinker: RPC pairs only,
 *   windowed by trace).
 */
import { loadedDataset, zipkinBackend } from '../../support/real-backends.js';
import { runBackendContract } from '../contract.js';

runBackendContract(
  'zipkin',
  async () => {
    const backend = zipkinBackend();
    return { backend, dataset: { spans: loadedDataset().zipkin }, cleanup: () => backend.close() };
  },
  {
    unsupported: ['findTraces.resourceAttributes', 'findTraces.errorAttribute'],
    tolerances: {
      attributeValuesAsText: true,
      lowerCasesNames: true,
      dropsLinks: true,
      dropsEventAttributes: true,
      dropsResource: true,
      storeDefinedDependencies: true,
    },
  },
);
