/**
 * Jaeger query API v1 with the real Jaeger as the oracle (issue 13): every request goes to the
 * harness's Jaeger v2 (127.0.0.1:16686) and to a Tracegate gateway fronting only that Jaeger, and the
 * two answers must be the same status and the same JSON after the normalisation of
 * test/support/api-diff/jaeger-normalise.ts (orders Jaeger leaves undefined, process ids, Tracegate's
 * `tracegate.backend` tag). Covered: services, both operation routes (every service, every kind), every
 * trace of the dataset by id (adjusted and `raw=true`, the id's other spellings), multi-get with a
 * missing and a repeated id, search with each parameter, dependencies, and the errors.
 *
 * Differences kept on purpose, each asserted as such below rather than normalised away:
 * - Jaeger writes error envelopes with Go's `http.Error`, as `text/plain`; Tracegate as
 *   `application/json` (the body is the same envelope).
 * - `limit` ≤ 0: Jaeger's memory store refuses it with a 500; Tracegate checks it first (400).
 * - `tags` that are not JSON: Go's scanner wording is not reproduced; Jaeger's prefix is.
 * - Which traces a search keeps under `limit` is Jaeger's storage order (the memory store's ring, not
 *   time); Tracegate keeps the most recent. The test checks the count and that each is Jaeger's.
 * - Tag search semantics are Tracegate's own, the same for every backend (src/backends/shared/
 *   match-query.ts): `error=true` means status ERROR (Jaeger v2's store never sees the synthetic `error`
 *   tag, so it finds nothing), and log (event) fields are not searched (Jaeger searches them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, expectSameAnswer, getBoth, httpBase } from '../../support/api-diff/http.js';
import { type JaegerRoute, normaliseJaeger } from '../../support/api-diff/jaeger-normalise.js';
import { type IntegrationDataset, TRACE_IDS } from '../../support/dataset/dataset.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { BACKEND_CONFIG, loadedDataset } from '../../support/real-backends.js';

const JAEGER = ENDPOINTS.jaeger.query;
const KINDS = ['server', 'client', 'producer', 'consumer', 'internal'] as const;

let gateway: TestGateway;
let ours: string;
let dataset: IntegrationDataset;

beforeAll(async () => {
  dataset = loadedDataset();
  // No cache: every answer comes from Jaeger.
  gateway = await startGateway({ backends: [BACKEND_CONFIG.jaeger], cache: { enabled: false } });
  ours = httpBase(gateway.url);
});
afterAll(() => gateway.close());

/** The same status and normalised JSON from Jaeger and Tracegate; Jaeger's answer. */
const same = (route: JaegerRoute, path: string): Promise<Answer> => expectSameAnswer(JAEGER, ours, path, (body) => normaliseJaeger(route, body));

const data = (answer: Answer): any => (answer.body as { data: any }).data;
const jaegerSpans = (id: string) => dataset.jaeger.filter((s) => s.traceId === id);
const everyTraceId = () => [...Object.values(TRACE_IDS), ...dataset.generated];
const services = () => [...new Set(dataset.jaeger.map((s) => s.service))].sort();

describe('services and operations', () => {
  it('GET /api/services lists the same services', async () => {
    expect(data(await same('services', '/api/services'))).toHaveLength(services().length);
  });

  it('GET /api/services/{service}/operations: the same names for every service, null for an unknown one', async () => {
    for (const service of services()) {
      const names = data(await same('operation-names', `/api/services/${encodeURIComponent(service)}/operations`));
      expect(names.length, service).toBeGreaterThan(0);
    }
    expect(data(await same('operation-names', '/api/services/no-such-service/operations'))).toBeNull();
  });

  it('GET /api/operations: the same {name, spanKind} for every service and every spanKind', async () => {
    let withKind = 0;
    for (const service of services()) {
      const all = data(await same('operations', `/api/operations?service=${encodeURIComponent(service)}`));
      expect(all.length, service).toBeGreaterThan(0);
      for (const kind of ['', ...KINDS]) {
        withKind += data(await same('operations', `/api/operations?service=${encodeURIComponent(service)}&spanKind=${kind}`)).length;
      }
    }
    expect(withKind).toBeGreaterThan(0);
    // Jaeger matches the kind text exactly: other text matches nothing (200, []), it is not an error.
    for (const kind of ['SERVER', 'sideways'])
      expect(data(await same('operations', `/api/operations?service=frontend&spanKind=${kind}`))).toEqual([]);
    expect(data(await same('operations', '/api/operations?service=no-such-service'))).toEqual([]);
  });
});

describe('traces by id', () => {
  it('GET /api/traces/{id}: every dataset trace the same, adjusted and raw; 404 for those Jaeger does not hold', async () => {
    let found = 0;
    for (const id of everyTraceId()) {
      const expected = jaegerSpans(id).length;
      for (const query of ['', '?raw=true', '?raw=false']) {
        const real = await same('traces', `/api/traces/${id}${query}`);
        expect(real.status, id).toBe(expected > 0 ? 200 : 404);
        if (expected > 0) expect(data(real)[0].spans, id).toHaveLength(expected);
      }
      if (expected > 0) found++;
    }
    expect(found).toBe(new Set(dataset.jaeger.map((s) => s.traceId)).size);
  });

  it('accepts the id in upper case, 64-bit ids padded to 32 and a start/end hint, as Jaeger does', async () => {
    const legacy = TRACE_IDS.LEGACY64.slice(16);
    for (const path of [
      `/api/traces/${TRACE_IDS.CHECKOUT.toUpperCase()}`,
      `/api/traces/${TRACE_IDS.LEGACY64}`,
      `/api/traces/${legacy.toUpperCase()}`,
      `/api/traces/${TRACE_IDS.CHECKOUT}?start=1&end=2`,
    ]) {
      expect((await same('traces', path)).status, path).toBe(200);
    }
  });

  it('multi-get: found traces in data, one `trace not found` entry per missing id, one trace per id given (repeats too)', async () => {
    const missing = '00000000000000000000000000dead01';
    const real = await same('traces', `/api/traces?traceID=${TRACE_IDS.CHECKOUT}&traceID=${TRACE_IDS.LEGACY64.slice(16)}&traceID=${missing}`);
    expect(real.status).toBe(200);
    expect(data(real)).toHaveLength(2);
    expect((real.body as any).errors).toEqual([{ msg: 'trace not found', traceID: '0000000000dead01' }]);
    const repeated = await same('traces', `/api/traces?traceID=${TRACE_IDS.LEGACY64}&traceID=${TRACE_IDS.LEGACY64.slice(16)}&raw=true`);
    expect(data(repeated)).toHaveLength(2);
    const zero = await same('traces', `/api/traces?traceID=0&traceID=${TRACE_IDS.CHECKOUT}`);
    expect((zero.body as any).errors).toEqual([{ msg: 'trace not found', traceID: '0000000000000000' }]);
  });
});

describe('search', () => {
  const q = (params: Record<string, string | number>) =>
    `/api/traces?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`;

  it('every service: the same traces', async () => {
    for (const service of services()) expect(data(await same('traces', q({ service }))).length, service).toBeGreaterThan(0);
  });

  it.each([
    ['an operation', { service: 'frontend', operation: 'GET /item' }, 3],
    ['an operation no span has', { service: 'frontend', operation: 'no such operation' }, 0],
    ['a tag', { service: 'frontend', tags: JSON.stringify({ 'customer.tier': 'gold' }) }, 1],
    ['two tags on one span', { service: 'frontend', tags: JSON.stringify({ 'customer.tier': 'silver', 'db.system': 'postgresql' }) }, 0],
    ['an int tag as text', { service: 'frontend', tags: JSON.stringify({ 'item.count': '4' }) }, 1],
    ['tags null (no filter)', { service: 'checkout', tags: 'null' }, 2],
    ['minDuration', { service: 'frontend', minDuration: '100ms' }, 3],
    ['maxDuration', { service: 'frontend', maxDuration: '15ms' }, 1],
    ['minDuration and maxDuration in other units', { service: 'frontend', minDuration: '0.05s', maxDuration: '150000us' }, 5],
    ['a compound duration', { service: 'frontend', minDuration: '1m', maxDuration: '1h30m' }, 0],
    ['a µs window around SPLIT', { service: 'frontend', start: 'SPLIT-1', end: 'SPLIT+1' }, 1],
    ['a window after every trace', { service: 'frontend', start: 'END', end: 'END+1000000' }, 0],
    ['start at or after end (nothing)', { service: 'frontend', start: 'SPLIT+1', end: 'SPLIT-1' }, 0],
    ['end only', { service: 'frontend', end: 'SPLIT+1' }, 3],
    ['lookback, which Jaeger ignores', { service: 'frontend', lookback: '1s' }, 7],
    ['lookback=custom beside start and end (Jaeger UI)', { service: 'frontend', lookback: 'custom', start: 'BASE', end: 'END' }, 7],
    ['a limit above the number of traces', { service: 'frontend', limit: 50 }, 7],
    ['raw=true', { service: 'checkout', raw: 'true' }, 2],
    ['an unknown service', { service: 'no-such-service' }, 0],
  ])('%s: the same traces', async (_, params, count) => {
    const split = dataset.jaeger.find((s) => s.traceId === TRACE_IDS.SPLIT && s.parentSpanId === null)!.startTimeUs;
    const end = Math.max(...dataset.jaeger.map((s) => s.startTimeUs)) + 1;
    const times: Record<string, number> = {
      'SPLIT-1': split - 1,
      'SPLIT+1': split + 1,
      BASE: dataset.baseUs - 1,
      END: end,
      'END+1000000': end + 1_000_000,
    };
    const resolved = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, times[v as string] ?? v]));
    const real = await same('traces', q(resolved));
    expect(real.status).toBe(200);
    expect(data(real)).toHaveLength(count);
  });

  it('limit: as many traces as Jaeger, each identical to the trace Jaeger has', async () => {
    const unlimited = normaliseJaeger('traces', (await getBoth(JAEGER, ours, q({ service: 'frontend' }))).real.body).data;
    const byId = new Map(unlimited.map((t: any) => [t.traceID, t]));
    for (const limit of [1, 2, 3]) {
      const { real, ours: answer } = await getBoth(JAEGER, ours, q({ service: 'frontend', limit }));
      expect(data(real)).toHaveLength(limit);
      const mine = normaliseJaeger('traces', answer.body).data;
      expect(mine).toHaveLength(limit);
      for (const trace of mine) expect(trace).toEqual(byId.get(trace.traceID));
    }
  });
});

describe('dependencies', () => {
  it('GET /api/dependencies: the same links for endTs/lookback in ms, and by default', async () => {
    const endTs = Date.now();
    const real = await same('dependencies', `/api/dependencies?endTs=${endTs}&lookback=${3_600_000}`);
    expect(data(real).length).toBeGreaterThan(0);
    await same('dependencies', '/api/dependencies');
    await same('dependencies', `/api/dependencies?endTs=${endTs}`);
    expect(data(await same('dependencies', `/api/dependencies?endTs=${endTs - 86_400_000}&lookback=1000`))).toEqual([]);
  });
});

describe('errors', () => {
  /** `exact`: the same msg; otherwise a text Tracegate's msg must hold (the reason is in the header). */
  it.each([
    ['an unknown trace id', '/api/traces/00000000000000000000000000dead01', 404, true],
    ['an unknown trace id, raw', '/api/traces/deadbeef?raw=true', 404, true],
    ['a malformed trace id', '/api/traces/zz12', 400, true],
    ['a malformed high half of a trace id', '/api/traces/4bf92f3577b34da6zz', 400, true],
    ['a trace id of 33 digits', `/api/traces/${TRACE_IDS.CHECKOUT}1`, 400, true],
    ['the all-zero trace id (no trace can have it)', '/api/traces/00000000000000000000000000000000', 404, true],
    ['a malformed multi-get id', `/api/traces?traceID=${TRACE_IDS.CHECKOUT}&traceID=zz`, 400, true],
    ['a bad raw', `/api/traces/${TRACE_IDS.CHECKOUT}?raw=maybe`, 400, true],
    ['a duration without unit', '/api/traces?service=frontend&minDuration=100', 400, true],
    ['a duration that is not one', '/api/traces?service=frontend&maxDuration=abc', 400, true],
    ['a duration in days', '/api/traces?service=frontend&minDuration=2d', 400, true],
    ['a unit running to the next digit', '/api/traces?service=frontend&minDuration=1s%20ms', 400, true],
    ['a sign alone', '/api/traces?service=frontend&maxDuration=-', 400, true],
    ['maxDuration below minDuration', '/api/traces?service=frontend&minDuration=2h&maxDuration=1h', 400, true],
    ['tags that are not JSON', '/api/traces?service=frontend&tags=notjson', 400, "malformed 'tags' parameter, cannot unmarshal JSON: "],
    ['tags that are an array', '/api/traces?service=frontend&tags=%5B1%5D', 400, true],
    ['a tag value that is a number', '/api/traces?service=frontend&tags=%7B%22a%22%3A1%7D', 400, true],
    ['a limit that is not a number', '/api/traces?service=frontend&limit=abc', 400, true],
    ['a start that is not a number', '/api/traces?service=frontend&start=yesterday', 400, true],
    ['search without service', '/api/traces', 400, true],
    ['search without service but with an operation', '/api/traces?operation=x', 400, true],
    ['operations without service', '/api/operations', 400, true],
    ['dependencies with a bad endTs', '/api/dependencies?endTs=now', 400, true],
    ['dependencies with a bad lookback', '/api/dependencies?lookback=1h', 400, true],
  ])('%s: the same status and envelope', async (_, path, status, msg) => {
    const { real, ours: answer } = await getBoth(JAEGER, ours, path);
    expect(real.status).toBe(status);
    expect(answer.status).toBe(status);
    const [jaeger, mine] = [real.body as any, answer.body as any];
    expect(Object.keys(mine).sort()).toEqual(Object.keys(jaeger).sort());
    expect({ ...mine, errors: null }).toEqual({ ...jaeger, errors: null });
    expect(mine.errors.map((e: any) => e.code)).toEqual(jaeger.errors.map((e: any) => e.code));
    if (msg === true) expect(mine.errors).toEqual(jaeger.errors);
    else expect(mine.errors[0].msg).toContain(msg);
    // Go's http.Error: Jaeger's errors are text/plain; Tracegate's application/json.
    expect([real.type, answer.type]).toEqual(['text/plain', 'application/json']);
  });

  it("documented differences: tag search by error=true and by a log field (Tracegate's one search semantics)", async () => {
    const search = (service: string, tags: Record<string, string>) =>
      getBoth(JAEGER, ours, `/api/traces?service=${service}&tags=${encodeURIComponent(JSON.stringify(tags))}`);
    const ids = (answer: Answer) => data(answer).map((t: any) => t.traceID);
    const error = await search('frontend', { error: 'true' });
    expect([ids(error.real), ids(error.ours)]).toEqual([[], [TRACE_IDS.CHECKOUT]]);
    const logField = await search('checkout', { 'validation.rules': '12' });
    expect([ids(logField.real), ids(logField.ours)]).toEqual([[TRACE_IDS.CHECKOUT], []]);
  });

  it('documented difference: a limit of 0', async () => {
    const limit = await getBoth(JAEGER, ours, '/api/traces?service=frontend&limit=0');
    expect([limit.real.status, limit.ours.status]).toEqual([500, 400]);
    expect((limit.ours.body as any).errors[0].msg).toContain("'limit' must be between 1 and");
  });
});
