/**
 * Zipkin API v2 with the real Zipkin as the oracle (issue 13): every request goes to the harness's
 * Zipkin 3.6.1 (127.0.0.1:9411) and to a Tracegate gateway fronting only that Zipkin, and the two
 * answers must be the same status and the same JSON after the normalisation of
 * test/support/api-diff/zipkin-normalise.ts (orders Zipkin leaves undefined, Tracegate's
 * `tracegate.backend` tag, the peer.service tag written back as the remote endpoint), or, for errors,
 * the same status and the same text. Covered: services, spans and remoteServices of every service,
 * autocomplete, every trace of the dataset by id, traceMany, search with each parameter, dependencies,
 * and the errors. The dataset has no remote endpoint, so a private Zipkin of this file's own, loaded
 * with spans that have them (and IPs, ports, shared halves, a span without duration, debug), is diffed
 * the same way for remoteServices, traces and dependencies.
 *
 * Differences kept on purpose, each asserted as such below rather than normalised away:
 * - Zipkin serves its errors as `text/*` (Armeria), Tracegate as `text/plain`; the text is the same.
 * - `annotationQuery` terms met by different spans of one trace: Zipkin's memory store matches them,
 *   Tracegate does not (every filter holds on one span, as on Zipkin's Elasticsearch storage and Jaeger).
 * - A bare `annotationQuery` key other than `error` and `remoteServiceName` are refused (400): no
 *   backend call can answer them exactly, and an approximation would be wrong for some backend.
 * - `error=<message>`: the error tag is the span's status in Tracegate's model, which has no filter on
 *   the status message; the Zipkin backend skips it and X-Tracegate-Partial says so.
 * - `limit` above limits.maxSearchLimit is refused (400), as every Tracegate API refuses it.
 * - The dataset's HOME trace has a `peer.service` tag without remote endpoint; it comes back as
 *   `remoteEndpoint.serviceName` (normalisation 5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, expectSameAnswer, getAnswer, getBoth, httpBase } from '../../support/api-diff/http.js';
import { normaliseZipkin, type ZipkinRoute } from '../../support/api-diff/zipkin-normalise.js';
import { type IntegrationDataset, TRACE_IDS } from '../../support/dataset/dataset.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { down, ENDPOINTS, up, zipkinServer } from '../../support/harness/servers.js';
import { BACKEND_CONFIG, loadedDataset } from '../../support/real-backends.js';

const ZIPKIN = ENDPOINTS.zipkin;

let gateway: TestGateway;
let ours: string;
let dataset: IntegrationDataset;

beforeAll(async () => {
  dataset = loadedDataset();
  // No cache: every answer comes from Zipkin.
  gateway = await startGateway({ backends: [BACKEND_CONFIG.zipkin], cache: { enabled: false } });
  ours = httpBase(gateway.url);
});
afterAll(() => gateway.close());

/** The same status and normalised JSON from Zipkin and Tracegate; Zipkin's answer. */
const same = (route: ZipkinRoute, path: string): Promise<Answer> => expectSameAnswer(ZIPKIN, ours, path, (body) => normaliseZipkin(route, body));

const list = (answer: Answer): any[] => answer.body as any[];
const zipkinSpans = (id: string) => dataset.zipkin.filter((s) => s.traceId === id);
const services = () => [...new Set(dataset.zipkin.map((s) => s.service))].sort();
const q = (path: string, params: Record<string, string | number>) =>
  `${path}?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`;

describe('names', () => {
  it('GET /api/v2/services: the same sorted list', async () => {
    expect(list(await same('names', '/api/v2/services'))).toEqual(services());
  });

  it('GET /api/v2/spans and /remoteServices: the same names for every service, an unknown and an empty one', async () => {
    for (const serviceName of [...services(), 'no-such-service', '', 'FRONTEND']) {
      const spans = list(await same('names', q('/api/v2/spans', { serviceName })));
      if (services().includes(serviceName)) expect(spans.length, serviceName).toBeGreaterThan(0);
      await same('names', q('/api/v2/remoteServices', { serviceName }));
    }
  });

  it('GET /api/v2/autocompleteKeys and /autocompleteValues: the same lists', async () => {
    await same('names', '/api/v2/autocompleteKeys');
    for (const key of ['http.route', 'customer.tier', 'no-such-key']) await same('names', q('/api/v2/autocompleteValues', { key }));
  });
});

describe('traces by id', () => {
  it('GET /api/v2/trace/{id}: every dataset trace the same; `<id> not found` for those Zipkin does not hold', async () => {
    let found = 0;
    for (const id of [...Object.values(TRACE_IDS), ...dataset.generated]) {
      const expected = zipkinSpans(id).length;
      const real = await same('trace', `/api/v2/trace/${id}`);
      expect(real.status, id).toBe(expected > 0 ? 200 : 404);
      if (expected > 0) {
        expect(list(real), id).toHaveLength(expected);
        found++;
      } else expect(real.text).toBe(`${id.replace(/^0{16}/, '')} not found`);
    }
    expect(found).toBe(new Set(dataset.zipkin.map((s) => s.traceId)).size);
  });

  it('accepts the 16-digit form of a 64-bit id, the padded one and spaces around it, as Zipkin does', async () => {
    const home = TRACE_IDS.HOME.slice(16);
    for (const path of [`/api/v2/trace/${home}`, `/api/v2/trace/${TRACE_IDS.HOME}`, `/api/v2/trace/%20${home}%20`, '/api/v2/trace/abc']) {
      await same('trace', path);
    }
  });

  it('GET /api/v2/traceMany: the found traces, missing ones left out', async () => {
    const ids = [TRACE_IDS.HOME.slice(16), TRACE_IDS.SEARCH, TRACE_IDS.CHECKOUT, dataset.generated[1]!, '00000000000000000000000000dead01'];
    expect(list(await same('traces', q('/api/v2/traceMany', { traceIds: ids.join(',') })))).toHaveLength(3);
    expect(list(await same('traces', q('/api/v2/traceMany', { traceIds: `${TRACE_IDS.CHECKOUT},${TRACE_IDS.FULFIL}` })))).toEqual([]);
  });

  it("the peer.service tag Zipkin holds comes back as the remote endpoint (the one form Tracegate's model keeps)", async () => {
    const { real, ours: answer } = await getBoth(ZIPKIN, ours, `/api/v2/trace/${TRACE_IDS.HOME.slice(16)}`);
    const [zipkin, mine] = [real.body as any[], answer.body as any[]].map((spans) => spans.find((s) => s.id === '00000000000000a4'));
    expect(zipkin.tags['peer.service']).toBe('postgres');
    expect(zipkin.remoteEndpoint).toBeUndefined();
    expect(mine.tags['peer.service']).toBeUndefined();
    expect(mine.remoteEndpoint).toEqual({ serviceName: 'postgres' });
  });
});

describe('search', () => {
  it.each([
    ['the defaults (limit 10, lookback a day)', {}, 10],
    ['a service', { serviceName: 'frontend' }, 3],
    ['a service in upper case (Zipkin lower-cases it)', { serviceName: 'FRONTEND' }, 3],
    ['a service and a span name', { serviceName: 'search', spanName: 'query' }, 1],
    ['a span name in upper case', { serviceName: 'inventory', spanName: 'COUNT STOCK' }, 3],
    ['a span name alone', { spanName: 'db query' }, 6],
    ['spanName=all (any)', { serviceName: 'catalog', spanName: 'all' }, 4],
    ['an annotationQuery tag', { annotationQuery: 'shard=a' }, 1],
    ['an annotationQuery tag on several traces', { annotationQuery: 'customer.tier=gold' }, 2],
    ['an annotationQuery value with a slash', { annotationQuery: 'http.route=/home' }, 1],
    ['the bare term error (status ERROR)', { annotationQuery: 'error' }, 5],
    ['error and a tag', { annotationQuery: 'error and customer.tier=silver' }, 2],
    ['a service and an error tag of another service', { serviceName: 'frontend', annotationQuery: 'error=token expired' }, 0],
    ['minDuration', { serviceName: 'catalog', minDuration: 50_000 }, 3],
    ['minDuration and maxDuration', { serviceName: 'catalog', minDuration: 10_000, maxDuration: 30_000 }, 2],
    ['minDuration alone', { minDuration: 100_000 }, 3],
    ['endTs and lookback (ms) around BOTH and SPLIT', { endTs: 'B+2600', lookback: 2_000 }, 4],
    ['a 1 ms window on HOME', { endTs: 'B+1000', lookback: 1 }, 1],
    ['endTs empty (now)', { endTs: '', serviceName: 'search' }, 1],
    ['limit', { limit: 3 }, 3],
    ['limit with a plus sign', { limit: '+5' }, 5],
    ['a limit above the number of traces', { limit: 100 }, 11],
    ['an unknown service', { serviceName: 'no-such-service' }, 0],
    ['empty values (absent)', { serviceName: '', spanName: '', annotationQuery: '', minDuration: '', lookback: '' }, 10],
  ])('%s: the same traces', async (_, params, count) => {
    const baseMs = Math.floor(dataset.baseUs / 1000);
    const times: Record<string, number> = { 'B+2600': baseMs + 2_600, 'B+1000': baseMs + 1_000 };
    const resolved = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, times[v as string] ?? v]));
    const real = await same('traces', q('/api/v2/traces', resolved));
    expect(real.status).toBe(200);
    expect(list(real)).toHaveLength(count);
  });

  it('a repeated parameter: the first value counts, as Zipkin binds it', async () => {
    expect(list(await same('traces', '/api/v2/traces?serviceName=auth&serviceName=catalog'))).toHaveLength(1);
  });
});

describe('dependencies', () => {
  it('GET /api/v2/dependencies: the same links for endTs now, with and without lookback', async () => {
    const endTs = Date.now();
    expect(list(await same('dependencies', q('/api/v2/dependencies', { endTs }))).length).toBeGreaterThan(0);
    await same('dependencies', q('/api/v2/dependencies', { endTs, lookback: 3_600_000 }));
    await same('dependencies', q('/api/v2/dependencies', { endTs, lookback: '' }));
    expect(list(await same('dependencies', q('/api/v2/dependencies', { endTs: endTs - 86_400_000, lookback: 1_000 })))).toEqual([]);
  });
});

describe('errors', () => {
  it.each([
    ['an unknown trace', '/api/v2/trace/00000000000000000000000000dead01', 404],
    ['a 64-bit unknown trace', '/api/v2/trace/deadbeef', 404],
    ['a trace id that is not hex', '/api/v2/trace/zz12', 400],
    ['a trace id in upper case', '/api/v2/trace/ABC', 400],
    ['a trace id with 0x', '/api/v2/trace/0xabc', 400],
    ['a trace id of 33 digits', `/api/v2/trace/${TRACE_IDS.CHECKOUT}1`, 400],
    ['an all-zero trace id', '/api/v2/trace/0', 400],
    ['spans without serviceName', '/api/v2/spans', 400],
    ['remoteServices without serviceName', '/api/v2/remoteServices', 400],
    ['autocompleteValues without key', '/api/v2/autocompleteValues', 400],
    ['autocompleteValues with an empty key', '/api/v2/autocompleteValues?key=', 400],
    ['dependencies without endTs', '/api/v2/dependencies', 400],
    ['dependencies with an empty endTs', '/api/v2/dependencies?endTs=', 400],
    ['dependencies with endTs 0', '/api/v2/dependencies?endTs=0', 400],
    ['dependencies with a bad endTs', '/api/v2/dependencies?endTs=now', 400],
    ['dependencies with lookback 0', '/api/v2/dependencies?endTs=1&lookback=0', 400],
    ['dependencies with a bad lookback', '/api/v2/dependencies?endTs=1&lookback=1h', 400],
    ['a limit of 0', '/api/v2/traces?limit=0', 400],
    ['a negative limit', '/api/v2/traces?limit=-1', 400],
    ['a limit that is not a number', '/api/v2/traces?limit=abc', 400],
    ['a fractional limit', '/api/v2/traces?limit=1.5', 400],
    ['a limit beyond an int', '/api/v2/traces?limit=99999999999', 400],
    ['an empty limit', '/api/v2/traces?limit=', 400],
    ['endTs 0', '/api/v2/traces?endTs=0', 400],
    ['endTs and limit 0: endTs first', '/api/v2/traces?endTs=0&limit=0', 400],
    ['a bad endTs', '/api/v2/traces?endTs=yesterday', 400],
    ['lookback 0', '/api/v2/traces?lookback=0', 400],
    ['a negative lookback', '/api/v2/traces?lookback=-5', 400],
    ['minDuration 0', '/api/v2/traces?minDuration=0', 400],
    ['a bad minDuration', '/api/v2/traces?minDuration=1s', 400],
    ['maxDuration without minDuration', '/api/v2/traces?maxDuration=10', 400],
    ['maxDuration below minDuration', '/api/v2/traces?minDuration=10&maxDuration=5', 400],
    ['traceMany without traceIds', '/api/v2/traceMany', 400],
    ['traceMany with empty traceIds', '/api/v2/traceMany?traceIds=', 400],
    ['traceMany with one id', '/api/v2/traceMany?traceIds=abc', 400],
    ['traceMany with a repeated id', '/api/v2/traceMany?traceIds=abc,abc', 400],
    ['traceMany with the same id spelled twice', '/api/v2/traceMany?traceIds=abc,0000000000000abc', 400],
    ['traceMany with a bad id', '/api/v2/traceMany?traceIds=abc,zz', 400],
    ['traceMany with a trailing comma', '/api/v2/traceMany?traceIds=abc,def,', 400],
    ['traceMany with a space (not trimmed)', '/api/v2/traceMany?traceIds=abc,%20def', 400],
  ])('%s: the same status and text', async (_, path, status) => {
    const { real, ours: answer } = await getBoth(ZIPKIN, ours, path);
    expect(real.status).toBe(status);
    expect({ status: answer.status, text: answer.text }).toEqual({ status: real.status, text: real.text });
    expect([real.type, answer.type]).toEqual(['text/*', 'text/plain']);
  });

  it('documented differences: terms met by different spans, a bare annotationQuery key, remoteServiceName, a limit over the limit', async () => {
    const crossSpan = await getBoth(ZIPKIN, ours, q('/api/v2/traces', { annotationQuery: 'db.system=redis and item.count=3' }));
    expect([list(crossSpan.real).length, list(crossSpan.ours).length]).toEqual([1, 0]);
    for (const [params, text] of [
      [{ annotationQuery: 'cache.miss' }, "annotationQuery terms must be key=value (a bare key is not supported), got 'cache.miss'"],
      [{ remoteServiceName: 'postgres' }, 'remoteServiceName is not supported by Tracegate (issue 13)'],
      [{ limit: 100_000 }, 'limit must be between 1 and 1000, got 100000'],
    ] as const) {
      const path = q('/api/v2/traces', params);
      expect((await getAnswer(ZIPKIN, path)).status).toBe(200);
      expect(await getAnswer(ours, path)).toMatchObject({ status: 400, text });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// A private Zipkin holding remote endpoints, IPs and ports: the shared one must keep holding exactly the
// dataset (test/support/private-servers.ts), and a port of this file's own keeps it apart from the
// private Zipkins of other files.

describe('remote endpoints (a private Zipkin)', () => {
  const PRIVATE = { name: 'zipkin-api-diff', port: 19761 };
  const privateUrl = `http://127.0.0.1:${PRIVATE.port}`;
  const T1 = '7e3d1ff0000000000000000000000a01';
  const T2 = '7e3d1ff000000b02';
  const nowUs = Math.floor(Date.now() / 1000) * 1_000_000 - 60_000_000;
  /** Zipkin v2 spans as an instrumented service would send them (mixed-case names: Zipkin lower-cases them). */
  const SPANS = [
    {
      traceId: T1,
      id: '0000000000000a01',
      kind: 'SERVER',
      name: 'GET /cart',
      timestamp: nowUs,
      duration: 50_000,
      localEndpoint: { serviceName: 'Frontend', ipv4: '10.0.0.1', port: 8080 },
      tags: { 'http.path': '/cart' },
    },
    {
      traceId: T1,
      parentId: '0000000000000a01',
      id: '0000000000000a02',
      kind: 'CLIENT',
      name: 'get /items',
      timestamp: nowUs + 1_000,
      duration: 40_000,
      localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1' },
      remoteEndpoint: { serviceName: 'checkout', ipv4: '10.0.0.2', port: 9000 },
    },
    {
      traceId: T1,
      parentId: '0000000000000a01',
      id: '0000000000000a02',
      kind: 'SERVER',
      name: 'get /items',
      timestamp: nowUs + 2_000,
      duration: 35_000,
      localEndpoint: { serviceName: 'checkout', ipv4: '10.0.0.2', port: 9000 },
      remoteEndpoint: { ipv4: '10.0.0.1' },
      shared: true,
      annotations: [{ timestamp: nowUs + 2_500, value: 'wr' }],
    },
    {
      traceId: T1,
      parentId: '0000000000000a02',
      id: '0000000000000a03',
      kind: 'CLIENT',
      name: 'select',
      timestamp: nowUs + 3_000,
      duration: 20_000,
      localEndpoint: { serviceName: 'checkout' },
      remoteEndpoint: { serviceName: 'Postgres', ipv6: '2001:db8::1', port: 5432 },
      tags: { error: 'deadlock', 'db.statement': 'select 1' },
    },
    {
      traceId: T1,
      parentId: '0000000000000a02',
      id: '0000000000000a04',
      kind: 'PRODUCER',
      name: 'send',
      timestamp: nowUs + 4_000,
      duration: 1_000,
      localEndpoint: { serviceName: 'checkout' },
      remoteEndpoint: { serviceName: 'kafka' },
      debug: true,
    },
    {
      traceId: T2,
      id: '0000000000000b01',
      kind: 'CONSUMER',
      name: 'receive',
      timestamp: nowUs + 10_000,
      localEndpoint: { serviceName: 'worker' },
      remoteEndpoint: { serviceName: 'kafka' },
    },
    {
      traceId: T2,
      parentId: '0000000000000b01',
      id: '0000000000000b02',
      name: 'process',
      timestamp: nowUs + 11_000,
      duration: 3_000,
      localEndpoint: { serviceName: 'worker' },
      tags: { 'otel.status_code': 'OK', count: '3' },
    },
  ];
  let privateGateway: TestGateway;
  let privateBase: string;

  beforeAll(async () => {
    await down([PRIVATE.name]);
    await up([zipkinServer(PRIVATE.name, PRIVATE.port)]);
    const posted = await fetch(`${privateUrl}/api/v2/spans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SPANS),
    });
    expect(posted.status).toBe(202);
    const deadline = Date.now() + 30_000;
    while (((await getAnswer(privateUrl, `/api/v2/trace/${T1}`)).body as unknown[]).length !== 5 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    privateGateway = await startGateway({ backends: [{ kind: 'zipkin', name: 'zipkin', url: privateUrl }], cache: { enabled: false } });
    privateBase = httpBase(privateGateway.url);
  }, 180_000);
  afterAll(async () => {
    await privateGateway?.close();
    await down([PRIVATE.name]);
  });

  const samePrivate = (route: ZipkinRoute, path: string): Promise<Answer> =>
    expectSameAnswer(privateUrl, privateBase, path, (body) => normaliseZipkin(route, body));

  it('remoteServices: the same names for every service, in any case', async () => {
    const services = list(await samePrivate('names', '/api/v2/services'));
    expect(services).toEqual(['checkout', 'frontend', 'worker']);
    const remote: Record<string, unknown> = {};
    for (const serviceName of [...services, 'Checkout', 'postgres', 'nobody']) {
      remote[serviceName] = list(await samePrivate('names', q('/api/v2/remoteServices', { serviceName })));
    }
    expect(remote).toMatchObject({ checkout: ['kafka', 'postgres'], frontend: ['checkout'], worker: ['kafka'] });
  });

  it('traces, searches and dependencies with endpoints, IPs, ports, shared halves, debug and no duration: the same', async () => {
    expect(list(await samePrivate('trace', `/api/v2/trace/${T1}`))).toHaveLength(5);
    expect(list(await samePrivate('trace', `/api/v2/trace/${T2}`))).toHaveLength(2);
    expect(list(await samePrivate('traces', q('/api/v2/traceMany', { traceIds: `${T1},${T2}` })))).toHaveLength(2);
    for (const params of [
      {},
      { serviceName: 'checkout' },
      { annotationQuery: 'error' },
      { annotationQuery: 'http.path=/cart' },
      { serviceName: 'worker', spanName: 'receive' },
    ]) {
      expect(list(await samePrivate('traces', q('/api/v2/traces', params))).length, JSON.stringify(params)).toBeGreaterThan(0);
    }
    expect(list(await samePrivate('dependencies', q('/api/v2/dependencies', { endTs: Date.now() }))).length).toBeGreaterThan(0);
  });

  it('documented difference: error=<message> is no canonical filter; the Zipkin backend skips it and says so', async () => {
    const path = q('/api/v2/traces', { annotationQuery: 'error=deadlock' });
    expect(list(await getAnswer(privateUrl, path))).toHaveLength(1);
    const response = await fetch(`${privateBase}${path}`);
    expect(await response.json()).toEqual([]);
    expect(response.headers.get('x-tracegate-partial')).toBe('zipkin:BACKEND_UNSUPPORTED');
  });
});
