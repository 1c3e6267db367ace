/**
 * The shared Backend contract against the real Jaeger v2 (memory storage) holding the integration
 * dataset, through each API the adapter speaks: api_v3 (the main path) and the v1 JSON API.
 * Declared losses, each the server's, not the adapter's:
 * - v1 JSON turns OTLP links into FOLLOWS_FROM references without attributes;
 * - Jaeger's memory store builds its own service graph (every parent/child pair, same-service too,
 *   over traces overlapping the window; jaeger internal/storage/v2/memory/tenant.go getDependencies)
 *   and counts no errors.
 * api_v3 over HTTP has no multi-get, no dependencies and (before v2.14) no attribute filter: the
 * backend reports those capabilities false when pinned to v3, and the suite checks it refuses them.
 */
import { loadedDataset, jaegerBackend } from '../../support/real-backends.js';
import { runBackendContract } from '../contract.js';

for (const api of ['v3', 'v1'] as const) {
  runBackendContract(
    `jaeger (api ${api})`,
    async () => {
      const backend = jaegerBackend({ api });
      return { backend, dataset: { spans: loadedDataset().jaeger }, cleanup: () => backend.close() };
    },
    {
      tolerances: {
        ...(api === 'v1' ? { ignoresLinkRefType: true, dropsLinkAttributes: true } : {}),
        storeDefinedDependencies: true,
        dependencyErrorCountUnknown: true,
      },
    },
  );
}
