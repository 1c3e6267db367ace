/**
 * Loads both tenant datasets (tenant-datasets.ts) into the multi-tenant Jaeger and waits until each
 * tenant's own query API shows every span. Idempotent like test/support/dataset/load.ts, whose OTLP
 * sender it reuses: a tenant already holding its marker trace is not sent it again, and the base time
 * is read back from the marker, so a reused server and the tests agree on what it holds.
 */
import type { TraceId } from '../../../src/model/index.js';
import { sendSpans } from '../dataset/load.js';
import { sleep } from '../harness/process.js';
import type { MultiTenantJaeger } from '../private-servers.js';
import type { Tenant } from './multitenant-jaeger.js';
import { buildTenantDatasets, TENANT_B_OFFSET_US, type TenantDataset } from './tenant-datasets.js';

type Server = Pick<MultiTenantJaeger, 'queryUrl' | 'otlpUrls' | 'tenantHeader'>;

/** Start times (µs) of the spans `tenant` sees in trace `id`; [] when it sees none (404). */
async function spanStarts(server: Server, tenant: Tenant, id: TraceId): Promise<number[]> {
  const url = `${server.queryUrl}/api/traces/${id}`;
  const response = await fetch(url, { headers: { [server.tenantHeader]: tenant }, signal: AbortSignal.timeout(10_000) });
  if (response.status === 404) {
    await response.arrayBuffer();
    return [];
  }
  if (!response.ok) throw new Error(`GET ${url} as ${tenant} → ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const body = (await response.json()) as { data: Array<{ spans: Array<{ startTime: number }> }> };
  return body.data[0]?.spans.map((s) => s.startTime) ?? [];
}

async function heldBase(server: Server, tenant: Tenant, marker: TraceId): Promise<number | null> {
  const starts = await spanStarts(server, tenant, marker);
  return starts.length === 0 ? null : Math.min(...starts);
}

async function waitUntilSeen(server: Server, dataset: TenantDataset, timeoutMs = 60_000): Promise<void> {
  const want = new Map<TraceId, number>();
  for (const s of dataset.spans) want.set(s.traceId, (want.get(s.traceId) ?? 0) + 1);
  const deadline = Date.now() + timeoutMs;
  for (const [id, count] of want) {
    for (;;) {
      const seen = (await spanStarts(server, dataset.tenant, id)).length;
      if (seen >= count) break;
      if (Date.now() > deadline) throw new Error(`${dataset.tenant} sees ${seen} of ${count} spans of trace ${id} after ${timeoutMs / 1000} s`);
      await sleep(250);
    }
  }
}

/**
 * Makes tenant-a hold the integration dataset and tenant-b its rewritten twin, and returns both.
 * tenant-a's base time comes from whichever tenant already holds its dataset, else from now (minus
 * 10 minutes, whole seconds).
 */
export async function ensureTenantDatasetsLoaded(server: Server, nowUs = Date.now() * 1000): Promise<Record<Tenant, TenantDataset>> {
  const probe = buildTenantDatasets(0);
  const heldA = await heldBase(server, 'tenant-a', probe['tenant-a'].marker);
  const heldB = await heldBase(server, 'tenant-b', probe['tenant-b'].marker);
  const bases = [...new Set([heldA, heldB === null ? null : heldB - TENANT_B_OFFSET_US].filter((b): b is number => b !== null))];
  if (bases.length > 1)
    throw new Error(
      `the multi-tenant Jaeger holds the tenant datasets at inconsistent base times (tenant-a ${heldA}, tenant-b ${heldB}): run \`npm run backends:down -- jaeger-multitenant\` and try again`,
    );
  const datasets = buildTenantDatasets(bases[0] ?? Math.floor(nowUs / 1_000_000) * 1_000_000 - 600_000_000);
  const held: Record<Tenant, boolean> = { 'tenant-a': heldA !== null, 'tenant-b': heldB !== null };
  await Promise.all(
    Object.values(datasets).map(async (dataset) => {
      if (!held[dataset.tenant]) await sendSpans({ kind: 'jaeger', query: server.queryUrl, otlp: server.otlpUrls[dataset.tenant] }, dataset.spans);
      await waitUntilSeen(server, dataset);
    }),
  );
  return datasets;
}
