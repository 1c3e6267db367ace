/**
 * The multi-tenant Jaeger the tenancy tests query: the harness's Jaeger binary run with
 * jaeger-multitenant.yaml beside this file (memory storage split by tenant, the query API refusing a
 * request without an allowed `x-tenant` header, one OTLP/HTTP receiver per tenant). Only the server
 * definition lives here; private-servers.ts starts it and tenant-datasets.ts loads it. Why the write
 * path needs a receiver per tenant: docs/real-servers.md §7.
 */
import { join } from 'node:path';
import { REPO_DIR } from '../harness/paths.js';
import { startDetached } from '../harness/process.js';
import { ensureJaeger } from '../harness/provision.js';
import type { ServerDef } from '../harness/servers.js';

/** The header jaeger_query reads the tenant from (its `multi_tenancy.Header`). */
export const TENANT_HEADER = 'x-tenant';

/** The allow-list in jaeger-multitenant.yaml, in the order the tests name them. */
export const TENANTS = ['tenant-a', 'tenant-b'] as const;
export type Tenant = (typeof TENANTS)[number];

export interface MultiTenantJaegerPorts {
  query: number;
  queryGrpc: number;
  /** OTLP/HTTP receiver whose spans are stored under that tenant. */
  otlpHttp: Record<Tenant, number>;
  /** remote_storage's gRPC server: the tenant-aware writer the receivers' pipelines export to. */
  remoteStorage: number;
  health: number;
}

async function isOk(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.ok;
}

export function multiTenantJaegerServer(name: string, ports: MultiTenantJaegerPorts): ServerDef {
  return {
    name,
    needs: [],
    processes: [name],
    startTimeoutMs: 60_000,
    // The query API answers 401 to everything without a tenant, so the readiness probe names one.
    healthy: async () =>
      (await isOk(`http://127.0.0.1:${ports.health}/status`)) &&
      (await isOk(`http://127.0.0.1:${ports.query}/api/services`, { [TENANT_HEADER]: TENANTS[0] })),
    async start() {
      const bin = await ensureJaeger();
      startDetached({
        name,
        command: bin,
        args: ['--config', join(REPO_DIR, 'test', 'support', 'tenancy', 'jaeger-multitenant.yaml')],
        env: {
          JAEGER_QUERY_PORT: String(ports.query),
          JAEGER_QUERY_GRPC_PORT: String(ports.queryGrpc),
          JAEGER_OTLP_HTTP_PORT_TENANT_A: String(ports.otlpHttp['tenant-a']),
          JAEGER_OTLP_HTTP_PORT_TENANT_B: String(ports.otlpHttp['tenant-b']),
          JAEGER_REMOTE_STORAGE_PORT: String(ports.remoteStorage),
          JAEGER_HEALTH_PORT: String(ports.health),
          // remote_storage traces its gRPC server with a tracer of its own (jaeger internal/jtracer), always
          // exported over OTLP/gRPC to the default endpoint, 127.0.0.1:4317: the shared Jaeger, which then
          // lists a `jaeger` service. Nothing listens on port 9 (discard): the spans are dropped.
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9',
        },
      });
    },
  };
}
