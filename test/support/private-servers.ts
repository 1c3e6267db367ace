/**
 * Private instances of the real servers, for tests that load traces of their own. The shared servers
 * hold exactly the integration dataset, and suites read them as such (graphql-per-backend.int.test.ts
 * lists every service Jaeger, Zipkin and the Elasticsearch indexes hold), so a test that loads more
 * runs these instead: the same binaries and configs (test/support/harness/servers.ts), their own
 * ports, and, for the Jaeger writing to Elasticsearch, their own index prefix in the shared
 * Elasticsearch. Each start begins empty: a stale instance left by an interrupted run is stopped
 * first and the private indexes are deleted, so loading the same traces again never doubles them.
 */
import { down, ENDPOINTS, jaegerServer, up, zipkinServer } from './harness/servers.js';
import { multiTenantJaegerServer, TENANT_HEADER, TENANTS, type Tenant } from './tenancy/multitenant-jaeger.js';

/** Index prefix of the private Jaeger that writes to Elasticsearch. */
export const PRIVATE_ES_PREFIX = 'tgexact';

export const PRIVATE = {
  /** Memory storage; `query` serves api_v3 and v1, `otlp` is the OTLP/HTTP receiver. */
  jaeger: {
    def: jaegerServer('jaeger-exact', { query: 16746, queryGrpc: 16747, otlpHttp: 4378, otlpGrpc: 4377, health: 13193 }),
    query: 'http://127.0.0.1:16746',
    otlp: 'http://127.0.0.1:4378',
  },
  /** Writes to the shared Elasticsearch under PRIVATE_ES_PREFIX; read it with the `elasticsearch` backend's `indexPrefix`. */
  jaegerEs: {
    def: jaegerServer(
      'jaeger-es-exact',
      { query: 16756, queryGrpc: 16757, otlpHttp: 4388, otlpGrpc: 4387, health: 13203 },
      'elasticsearch',
      PRIVATE_ES_PREFIX,
    ),
    query: 'http://127.0.0.1:16756',
    otlp: 'http://127.0.0.1:4388',
  },
  /** Memory storage; holds Tracegate's own traces in the dogfood test (test/integration/telemetry/self-trace.int.test.ts). */
  jaegerSelf: {
    def: jaegerServer('jaeger-self', { query: 16786, queryGrpc: 16787, otlpHttp: 4418, otlpGrpc: 4417, health: 13233 }),
    query: 'http://127.0.0.1:16786',
    otlp: 'http://127.0.0.1:4418',
  },
  /** Memory storage. */
  zipkin: { def: zipkinServer('zipkin-exact', 19721), url: 'http://127.0.0.1:19721' },
  /**
   * Memory storage split by tenant: `query` answers only with an allowed `x-tenant` header, and each
   * tenant's spans go in through that tenant's own OTLP/HTTP receiver (docs/real-servers.md §7).
   * Started by startMultiTenantJaeger, which reuses a running one.
   */
  jaegerMultiTenant: {
    def: multiTenantJaegerServer('jaeger-multitenant', {
      query: 16766,
      queryGrpc: 16767,
      otlpHttp: { 'tenant-a': 4398, 'tenant-b': 4399 },
      remoteStorage: 17371,
      health: 13213,
    }),
    query: 'http://127.0.0.1:16766',
    otlp: { 'tenant-a': 'http://127.0.0.1:4398', 'tenant-b': 'http://127.0.0.1:4399' } satisfies Record<Tenant, string>,
  },
};

export type PrivateServerName = keyof typeof PRIVATE;

async function deletePrivateIndexes(): Promise<void> {
  const response = await fetch(`${ENDPOINTS.elasticsearch}/${PRIVATE_ES_PREFIX}-*`, { method: 'DELETE' });
  await response.arrayBuffer();
  if (!response.ok && response.status !== 404) throw new Error(`DELETE ${PRIVATE_ES_PREFIX}-* → ${response.status}`);
}

/** Stops the named private servers (those not running are skipped) and deletes what the private Jaeger wrote to Elasticsearch. */
export async function stopPrivateServers(names: readonly PrivateServerName[]): Promise<void> {
  await down(names.map((n) => PRIVATE[n].def.name));
  if (names.includes('jaegerEs')) await deletePrivateIndexes();
}

/**
 * Starts the named private servers empty and returns the function that stops them (register it in
 * afterAll). When one fails to start, those that did are stopped before the error is thrown.
 */
export async function startPrivateServers(names: readonly PrivateServerName[]): Promise<() => Promise<void>> {
  const stop = (): Promise<void> => stopPrivateServers(names);
  await stop();
  try {
    await up(names.map((n) => PRIVATE[n].def));
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return stop;
}

/** The span documents the private Jaeger wrote to Elasticsearch that match `query` (copies included), after a refresh. */
export async function privateSpanDocs(query: Record<string, unknown>): Promise<any[]> {
  const index = `${ENDPOINTS.elasticsearch}/${PRIVATE_ES_PREFIX}-jaeger-span-*`;
  await (await fetch(`${index}/_refresh`, { method: 'POST' })).arrayBuffer();
  const response = await fetch(`${index}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, size: 1000 }),
  });
  if (!response.ok) {
    await response.arrayBuffer();
    return [];
  }
  return ((await response.json()) as { hits: { hits: Array<{ _source: unknown }> } }).hits.hits.map((h) => h._source);
}

export interface MultiTenantJaeger {
  /** Query API base URL (v1 `/api/...` and api_v3); every request needs `tenantHeader`. */
  queryUrl: string;
  /** OTLP/HTTP base URL per tenant: what is posted there is stored under that tenant, whatever its headers say. */
  otlpUrls: Readonly<Record<Tenant, string>>;
  tenantHeader: typeof TENANT_HEADER;
  tenants: typeof TENANTS;
  /** Stops the server if this call started it; one found running is left running. */
  stop(): Promise<void>;
}

/**
 * Starts the multi-tenant Jaeger, or reuses one already running (it holds only the tenant datasets
 * test/support/tenancy/tenant-datasets.ts loads, so what a reused one holds is still known).
 */
export async function startMultiTenantJaeger(): Promise<MultiTenantJaeger> {
  const { def, query, otlp } = PRIVATE.jaegerMultiTenant;
  const { started } = await up([def]);
  return {
    queryUrl: query,
    otlpUrls: otlp,
    tenantHeader: TENANT_HEADER,
    tenants: TENANTS,
    stop: async () => {
      if (started.length > 0 && process.env.TRACEGATE_KEEP_BACKENDS !== '1') await down([def.name]);
    },
  };
}
