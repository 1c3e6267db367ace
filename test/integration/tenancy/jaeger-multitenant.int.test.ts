/**
 * The oracle for Tracegate's tenancy tests (issue 14): a real Jaeger with query multi-tenancy on, tenant-a
 * holding the integration dataset and tenant-b its rewritten twin (test/support/tenancy/). Proves that
 * Jaeger itself keeps the tenants apart on every read path Tracegate uses (services, operations, trace
 * by id, search, dependencies; v1 and api_v3), and records exactly how it refuses a request without an
 * allowed tenant, which is what Tracegate will see when it sends the wrong header or none.
 * docs/real-servers.md §7 has the configuration and the source these answers come from.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceId } from '../../../src/model/index.js';
import { type MultiTenantJaeger, startMultiTenantJaeger } from '../../support/private-servers.js';
import { ensureTenantDatasetsLoaded } from '../../support/tenancy/load-tenants.js';
import { type Tenant, TENANTS } from '../../support/tenancy/multitenant-jaeger.js';
import type { TenantDataset } from '../../support/tenancy/tenant-datasets.js';

let jaeger: MultiTenantJaeger;
let data: Record<Tenant, TenantDataset>;

beforeAll(async () => {
  jaeger = await startMultiTenantJaeger();
  data = await ensureTenantDatasetsLoaded(jaeger);
}, 300_000);
afterAll(() => jaeger?.stop());

const other = (tenant: Tenant): Tenant => (tenant === 'tenant-a' ? 'tenant-b' : 'tenant-a');

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

async function get(path: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${jaeger.queryUrl}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

async function getAs(tenant: Tenant, path: string): Promise<any> {
  const answer = await get(path, { [jaeger.tenantHeader]: tenant });
  expect(answer.status, `${path} as ${tenant}: ${answer.text.slice(0, 200)}`).toBe(200);
  return JSON.parse(answer.text);
}

/** A window around both datasets (10 minutes apart), so only the tenant can keep the other's traces out. */
function window(): { startUs: number; endUs: number } {
  const bases = TENANTS.map((t) => data[t].baseUs);
  return { startUs: Math.min(...bases) - 3_600_000_000, endUs: Math.max(...bases) + 3_600_000_000 };
}

const v1Search = (service: string): string => {
  const { startUs, endUs } = window();
  return `/api/traces?service=${encodeURIComponent(service)}&start=${startUs}&end=${endUs}&limit=1000`;
};

const v3Search = (service: string): string => {
  const { startUs, endUs } = window();
  const iso = (us: number) => new Date(us / 1000).toISOString();
  // v2.13.0 still names the result limit query.num_traces (docs/formats/jaeger.md §2.1).
  return `/api/v3/traces?query.service_name=${encodeURIComponent(service)}&query.start_time_min=${iso(startUs)}&query.start_time_max=${iso(endUs)}&query.num_traces=1000`;
};

const NOT_FOUND_V1 = '{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}';
const NOT_FOUND_V3 = '{"error":{"httpCode":404,"message":"No traces found"}}';
/** Held by neither tenant (nor by the integration dataset). */
const NOBODYS_TRACE = parseTraceId('0badc0de0badc0de0badc0de0badc0de');

describe.each(TENANTS)('as %s', (tenant) => {
  it('lists exactly its own services, in v1 and api_v3', async () => {
    const v1 = await getAs(tenant, '/api/services');
    expect([...v1.data].sort()).toEqual(data[tenant].services);
    const v3 = await getAs(tenant, '/api/v3/services');
    expect([...v3.services].sort()).toEqual(data[tenant].services);
  });

  it('returns every one of its own traces whole', async () => {
    for (const id of data[tenant].traceIds) {
      const body = await getAs(tenant, `/api/traces/${id}`);
      const want = data[tenant].spans.filter((s) => s.traceId === id);
      expect(body.data[0].spans.map((s: { spanID: string }) => s.spanID).sort(), id).toEqual(want.map((s) => s.spanId).sort());
      const services = Object.values(body.data[0].processes as Record<string, { serviceName: string }>).map((p) => p.serviceName);
      expect(
        services.every((s) => data[tenant].services.includes(s)),
        id,
      ).toBe(true);
    }
  });

  it('answers for a trace id of the other tenant exactly as for one nobody holds, in v1 and api_v3', async () => {
    const as = { [jaeger.tenantHeader]: tenant };
    expect(await get(`/api/traces/${NOBODYS_TRACE}`, as)).toEqual({
      status: 404,
      contentType: 'text/plain; charset=utf-8',
      text: `${NOT_FOUND_V1}\n`,
    });
    expect(await get(`/api/v3/traces/${NOBODYS_TRACE}`, as)).toEqual({
      status: 404,
      contentType: 'text/plain; charset=utf-8',
      text: `${NOT_FOUND_V3}\n`,
    });
    for (const id of data[other(tenant)].traceIds) {
      expect(await get(`/api/traces/${id}`, as), id).toEqual(await get(`/api/traces/${NOBODYS_TRACE}`, as));
      expect(await get(`/api/v3/traces/${id}`, as), id).toEqual(await get(`/api/v3/traces/${NOBODYS_TRACE}`, as));
    }
  });

  it('finds exactly its own traces by searching each of its services', async () => {
    const found = new Set<string>();
    for (const service of data[tenant].services) {
      const body = await getAs(tenant, v1Search(service));
      // v1 writes a 64-bit id short (LEGACY64): normalise before comparing.
      for (const trace of body.data as Array<{ traceID: string }>) found.add(parseTraceId(trace.traceID));
    }
    expect([...found].sort()).toEqual([...data[tenant].traceIds].sort());
  });

  it("finds nothing under the other tenant's services: no traces, no operations", async () => {
    const as = { [jaeger.tenantHeader]: tenant };
    for (const service of data[other(tenant)].services) {
      expect(await get(v1Search(service), as), service).toEqual({
        status: 200,
        contentType: 'application/json',
        text: '{"data":[],"total":0,"limit":0,"offset":0,"errors":null}',
      });
      expect(await get(v3Search(service), as), service).toEqual({ status: 404, contentType: 'text/plain; charset=utf-8', text: `${NOT_FOUND_V3}\n` });
      expect((await getAs(tenant, `/api/operations?service=${encodeURIComponent(service)}`)).data, service).toEqual([]);
      expect((await getAs(tenant, `/api/v3/operations?service=${encodeURIComponent(service)}`)).operations, service).toEqual([]);
    }
  });

  it('builds its dependency links from its own services only', async () => {
    const { endUs } = window();
    const body = await getAs(tenant, `/api/dependencies?endTs=${Math.floor(endUs / 1000)}&lookback=${3 * 3_600_000}`);
    const named = (body.data as Array<{ parent: string; child: string }>).flatMap((l) => [l.parent, l.child]);
    expect(named.length).toBeGreaterThan(0);
    expect([...new Set(named)].filter((s) => !data[tenant].services.includes(s))).toEqual([]);
  });
});

describe('without an allowed tenant header', () => {
  const MISSING = 'missing tenant header';
  const UNKNOWN = 'unknown tenant';
  // Every path is behind the same handler (cmd/query/app/server.go wraps the whole router), the
  // placeholder UI page included.
  const paths = () => [
    '/',
    '/api/services',
    `/api/traces/${data['tenant-a'].marker}`,
    v1Search('frontend'),
    '/api/v3/services',
    `/api/v3/traces/${data['tenant-a'].marker}`,
  ];
  const cases: Array<{ description: string; headers: Record<string, string>; body: string }> = [
    { description: 'no header at all', headers: {}, body: MISSING },
    { description: 'an empty x-tenant', headers: { 'x-tenant': '' }, body: MISSING },
    { description: 'the tenant in X-Scope-OrgID (not the configured header)', headers: { 'X-Scope-OrgID': 'tenant-a' }, body: MISSING },
    { description: 'the tenant in x-tenant-id', headers: { 'x-tenant-id': 'tenant-a' }, body: MISSING },
    { description: 'a tenant outside the allow-list', headers: { 'x-tenant': 'tenant-c' }, body: UNKNOWN },
    { description: 'an allowed tenant in another case (tenants compare exactly)', headers: { 'x-tenant': 'Tenant-A' }, body: UNKNOWN },
    { description: 'two tenants in one value, as fetch joins repeated headers', headers: { 'x-tenant': 'tenant-a, tenant-b' }, body: UNKNOWN },
  ];
  it.each(cases)('refuses $description with 401 and a plain-text reason on every path', async ({ headers, body }) => {
    for (const path of paths()) {
      expect(await get(path, headers), path).toEqual({ status: 401, contentType: 'text/plain; charset=utf-8', text: body });
    }
  });
});

/** GET with the header lines exactly as given (fetch would join repeated names into one line). */
function rawGet(path: string, headers: Record<string, string | string[]>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${jaeger.queryUrl}${path}`, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('header edge cases', () => {
  it('reads only the first of two x-tenant lines', async () => {
    for (const [first, second] of [TENANTS, [...TENANTS].reverse()] as Array<[Tenant, Tenant]>) {
      const answer = await rawGet('/api/services', { 'x-tenant': [first, second] });
      expect(answer.status).toBe(200);
      expect([...JSON.parse(answer.text).data].sort(), `${first} then ${second}`).toEqual(data[first].services);
    }
  });

  it('matches the header name in any case', async () => {
    const answer = await rawGet('/api/services', { 'X-TENANT': 'tenant-b' });
    expect([...JSON.parse(answer.text).data].sort()).toEqual(data['tenant-b'].services);
  });
});
