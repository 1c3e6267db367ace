/**
 * What the multi-tenant Jaeger holds: tenant-a holds exactly the integration dataset's Jaeger share
 * (test/support/dataset/dataset.ts), tenant-b the same traces built at another base time with every
 * trace id and every service name rewritten, so any answer naming a trace or a service tells which
 * tenant it came from. Loading lives in load-tenants.ts.
 */
import { parseTraceId, type Span, type TraceId } from '../../../src/model/index.js';
import { buildDataset, TRACE_IDS } from '../dataset/dataset.js';
import type { Tenant } from './multitenant-jaeger.js';

/** tenant-b's dataset starts 10 minutes before tenant-a's: their time ranges never overlap either. */
export const TENANT_B_OFFSET_US = -600_000_000;

/** XORed into the low 64 bits, so a 64-bit id (LEGACY64) stays a 64-bit id in tenant-b. */
const TENANT_B_ID_MASK = 0xbbbb_bbbb_bbbb_bbbbn;

const tenantBService = (service: string): string => `${service}-tenant-b`;

function tenantBTraceId(id: TraceId): TraceId {
  const low = (BigInt(`0x${id.slice(16)}`) ^ TENANT_B_ID_MASK).toString(16).padStart(16, '0');
  return parseTraceId(`${id.slice(0, 16)}${low}`);
}

export interface TenantDataset {
  tenant: Tenant;
  /** The base time the dataset was built at (its marker trace's root starts there). */
  baseUs: number;
  spans: Span[];
  /** Every trace id, in dataset order. */
  traceIds: TraceId[];
  /** Every service name, sorted. */
  services: string[];
  /** The trace whose presence says the tenant holds the dataset, its root at `baseUs`. */
  marker: TraceId;
}

const toTenantB = (span: Span): Span => ({
  ...span,
  traceId: tenantBTraceId(span.traceId),
  service: tenantBService(span.service),
  links: span.links.map((link) => ({ ...link, traceId: tenantBTraceId(link.traceId) })),
});

function describe(tenant: Tenant, baseUs: number, spans: Span[], marker: TraceId): TenantDataset {
  return {
    tenant,
    baseUs,
    spans,
    traceIds: [...new Set(spans.map((s) => s.traceId))],
    services: [...new Set(spans.map((s) => s.service))].sort(),
    marker,
  };
}

/** Both tenants' datasets for tenant-a's base time; throws if they share a trace id or a service. */
export function buildTenantDatasets(tenantABaseUs: number): Record<Tenant, TenantDataset> {
  const a = describe('tenant-a', tenantABaseUs, buildDataset(tenantABaseUs).jaeger, TRACE_IDS.CHECKOUT);
  const bBaseUs = tenantABaseUs + TENANT_B_OFFSET_US;
  const b = describe('tenant-b', bBaseUs, buildDataset(bBaseUs).jaeger.map(toTenantB), tenantBTraceId(TRACE_IDS.CHECKOUT));
  const sharedIds = a.traceIds.filter((id) => b.traceIds.includes(id));
  const sharedServices = a.services.filter((s) => b.services.includes(s));
  if (sharedIds.length > 0 || sharedServices.length > 0)
    throw new Error(`the tenant datasets overlap: trace ids [${sharedIds.join(', ')}], services [${sharedServices.join(', ')}]`);
  return { 'tenant-a': a, 'tenant-b': b };
}
