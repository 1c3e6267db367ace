/**
 * Traces whose spans live in two backends come back whole through both compatible APIs (issue 13): a
 * gateway fronting the harness's real Jaeger and real Zipkin together answers the dataset's SPLIT
 * trace (frontend/checkout in Jaeger, payments/ledger in Zipkin), BOTH (the same three spans in each)
 * and SKEWED (its Zipkin half 2.5 s behind) through Jaeger's v1 `/api/traces/{id}` and Zipkin's
 * `/api/v2/trace/{id}`: every span once, its parent, its service and the backends that held it (the
 * `tracegate.backend` tag) as the dataset (test/support/dataset/dataset.ts) says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../../src/model/index.js';
import { getAnswer, httpBase } from '../../support/api-diff/http.js';
import { type IntegrationDataset, SKEW_US, TRACE_IDS } from '../../support/dataset/dataset.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { BACKEND_CONFIG, loadedDataset } from '../../support/real-backends.js';

const SOURCE_TAG = 'tracegate.backend';

let gateway: TestGateway;
let base: string;
let dataset: IntegrationDataset;

beforeAll(async () => {
  dataset = loadedDataset();
  // No cache: every answer is merged from the servers' own.
  gateway = await startGateway({ backends: [BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin], cache: { enabled: false } });
  base = httpBase(gateway.url);
});
afterAll(() => gateway.close());

/** What each span of a trace should come back as: parent, service, start and the backends that hold it. */
interface Expected {
  parent: string | null;
  service: string;
  startUs: number;
  sources: string;
}

function expected(id: string): Map<string, Expected> {
  const held = (list: readonly Span[]) => new Set(list.filter((s) => s.traceId === id).map((s) => s.spanId));
  const [inJaeger, inZipkin] = [held(dataset.jaeger), held(dataset.zipkin)];
  const out = new Map<string, Expected>();
  for (const span of [...dataset.jaeger, ...dataset.zipkin].filter((s) => s.traceId === id)) {
    const sources = [inJaeger.has(span.spanId) ? 'jaeger' : null, inZipkin.has(span.spanId) ? 'zipkin' : null].filter((s) => s !== null);
    out.set(span.spanId, { parent: span.parentSpanId, service: span.service, startUs: span.startTimeUs, sources: sources.join(',') });
  }
  return out;
}

/** Jaeger v1 trace → one row per span in the shape of Expected (start as written). */
async function viaJaeger(id: string, query = ''): Promise<Array<[string, Expected]>> {
  const answer = await getAnswer(base, `/api/traces/${id}${query}`);
  expect(answer.status).toBe(200);
  const body = answer.body as any;
  expect(body.errors).toBeNull();
  expect(body.data).toHaveLength(1);
  const [trace] = body.data;
  return trace.spans.map((s: any) => {
    const parent = s.references.find((r: any) => r.refType === 'CHILD_OF')?.spanID ?? null;
    const source = s.tags.filter((t: any) => t.key === SOURCE_TAG);
    expect(source, s.spanID).toHaveLength(1);
    return [s.spanID, { parent, service: trace.processes[s.processID].serviceName, startUs: s.startTime, sources: source[0].value }];
  });
}

async function viaZipkin(id: string): Promise<Array<[string, Expected]>> {
  const response = await fetch(`${base}/api/v2/trace/${id}`);
  expect(response.status).toBe(200);
  // Every backend answered: no partial-answer header.
  expect(response.headers.get('x-tracegate-partial')).toBeNull();
  const spans = (await response.json()) as any[];
  return spans.map((s) => [
    s.id,
    { parent: s.parentId ?? null, service: s.localEndpoint.serviceName, startUs: s.timestamp, sources: s.tags[SOURCE_TAG] },
  ]);
}

/** Every span once, and as expected. */
function expectWhole(rows: Array<[string, Expected]>, want: Map<string, Expected>): void {
  expect(rows.map(([id]) => id).sort()).toEqual([...want.keys()].sort());
  expect(new Map(rows)).toEqual(want);
}

describe.each([
  ['SPLIT', TRACE_IDS.SPLIT, { jaeger: 4, zipkin: 4, both: 0 }],
  ['BOTH', TRACE_IDS.BOTH, { jaeger: 0, zipkin: 0, both: 3 }],
])('%s through both facades', (_, id, counts) => {
  it('the dataset holds it in the backends the test expects', () => {
    const bySources = [...expected(id).values()].map((e) => e.sources);
    expect({
      jaeger: bySources.filter((s) => s === 'jaeger').length,
      zipkin: bySources.filter((s) => s === 'zipkin').length,
      both: bySources.filter((s) => s === 'jaeger,zipkin').length,
    }).toEqual(counts);
  });

  it("Jaeger's /api/traces/{id}: every span once, parents, services and tracegate.backend", async () => {
    expectWhole(await viaJaeger(id), expected(id));
    expectWhole(await viaJaeger(id, '?raw=true'), expected(id));
  });

  it("Zipkin's /api/v2/trace/{id}: every span once, parents, services and tracegate.backend", async () => {
    expectWhole(await viaZipkin(id), expected(id));
  });

  it('Jaeger multi-get and Zipkin traceMany return it whole beside another trace', async () => {
    const other = TRACE_IDS.CHECKOUT;
    const jaeger = (await getAnswer(base, `/api/traces?traceID=${id}&traceID=${other}`)).body as any;
    const trace = jaeger.data.find((t: any) => t.spans[0].traceID === id.replace(/^0{16}/, ''));
    expect(trace.spans).toHaveLength(expected(id).size);
    const zipkin = (await getAnswer(base, `/api/v2/traceMany?traceIds=${id},${other}`)).body as any[][];
    expect(zipkin.find((spans) => spans[0]!.traceId === id)).toHaveLength(expected(id).size);
  });
});

describe('SKEWED through both facades', () => {
  const server = '0000000000005c03';

  it("the Zipkin half is moved into its Jaeger parent (centred, as Jaeger's adjuster and Lens do), and kept raw", async () => {
    const want = expected(TRACE_IDS.SKEWED);
    const client = [...want.entries()].find(([spanId]) => spanId === want.get(server)!.parent)![1];
    // The client lasts 80 ms, the server 60 ms: centred, the server starts 10 ms after the client.
    // The dataset's true skew is SKEW_US, which put it 5 ms after: the 5 ms are the centring guess.
    const corrected = client.startUs + 10_000;
    expect(corrected - want.get(server)!.startUs).toBe(SKEW_US + 5_000);
    const shifted = new Map(want).set(server, { ...want.get(server)!, startUs: corrected });
    expectWhole(await viaJaeger(TRACE_IDS.SKEWED), shifted);
    expectWhole(await viaZipkin(TRACE_IDS.SKEWED), shifted);
    expectWhole(await viaJaeger(TRACE_IDS.SKEWED, '?raw=true'), want);
    const warnings = ((await getAnswer(base, `/api/traces/${TRACE_IDS.SKEWED}`)).body as any).data[0].warnings;
    expect(warnings).toEqual([`span ${server} (payments) shifted by ${SKEW_US + 5_000} µs to fit inside its parent 0000000000005c02 (frontend)`]);
  });
});
