/**
 * The client's failure classification, against a scripted HTTP server on 127.0.0.1 (what a real
 * Elasticsearch answers when it fails is hard to provoke on demand). The happy paths run against the
 * real server in contract.int.test.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOptions } from '../../../src/backends/backend.js';
import { EsClient } from '../../../src/backends/elasticsearch/client.js';
import { BackendError } from '../../../src/errors.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Reply = (req: IncomingMessage, res: ServerResponse) => void;

const PRODUCT = { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' };
const emptySearch = { took: 1, timed_out: false, _shards: { total: 1, successful: 1, failed: 0 }, hits: { hits: [] } };

let server: Server;
let url: string;
let reply: Reply;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      reply(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(timeoutMs = 2_000, target = url): EsClient {
  return new EsClient('es-test', { urls: [target], headers: { 'x-tenant': 't1' }, tls: { insecureSkipVerify: false }, timeoutMs });
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = PRODUCT): Reply =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  expect((error as BackendError).backend).toBe('es-test');
  return error as BackendError;
}

const call = (signal: AbortSignal = new AbortController().signal): CallOptions => ({ signal });

describe('EsClient', () => {
  it('sends every search with the index options that make missing daily indices "no data", and the configured headers', async () => {
    reply = json(200, emptySearch);
    seen.length = 0;
    await client().search(['jaeger-span-2026-11-21', 'jaeger-span-2026-11-22'], { size: 0 }, call());
    const [request] = seen;
    const query = new URL(request!.url, url);
    expect(request!.method).toBe('POST');
    expect(decodeURIComponent(query.pathname)).toBe('/jaeger-span-2026-11-21,jaeger-span-2026-11-22/_search');
    expect(request!.headers['x-tenant']).toBe('t1');
    expect(Object.fromEntries(query.searchParams)).toEqual({
      ignore_unavailable: 'true',
      allow_no_indices: 'true',
      expand_wildcards: 'open',
      allow_partial_search_results: 'false',
    });
    expect(JSON.parse(request!.body)).toEqual({ size: 0 });
  });

  it.each([
    {
      description: '503 from the cluster',
      reply: json(503, { error: { type: 'search_phase_execution_exception', reason: 'all shards failed' }, status: 503 }),
      code: 'BACKEND_UNAVAILABLE',
      status: 503,
    },
    {
      description: '429 (search queue full)',
      reply: json(429, { error: { type: 'es_rejected_execution_exception', reason: 'rejected' }, status: 429 }),
      code: 'BACKEND_UNAVAILABLE',
      status: 429,
    },
    {
      description: '400 (a query Elasticsearch refuses)',
      reply: json(400, { error: { type: 'illegal_argument_exception', reason: 'too many terms' }, status: 400 }),
      code: 'BACKEND_REJECTED',
      status: 400,
    },
    {
      description: '401 (bad credentials)',
      reply: json(401, { error: { type: 'security_exception', reason: 'unable to authenticate' }, status: 401 }),
      code: 'BACKEND_REJECTED',
      status: 401,
    },
    {
      description: 'a 200 without X-Elastic-Product (not Elasticsearch)',
      reply: json(200, emptySearch, { 'content-type': 'application/json' }),
      code: 'BACKEND_BAD_RESPONSE',
      status: undefined,
    },
    { description: 'a body that is not JSON', reply: json(200, '{"took":', PRODUCT), code: 'BACKEND_BAD_RESPONSE', status: undefined },
    { description: 'a body of the wrong shape', reply: json(200, { hits: 'none' }), code: 'BACKEND_BAD_RESPONSE', status: undefined },
    {
      description: 'failed shards (a red index)',
      reply: json(200, {
        ...emptySearch,
        _shards: { total: 2, successful: 1, failed: 1, failures: [{ reason: { type: 'no_shard_available_action_exception', reason: 'gone' } }] },
      }),
      code: 'BACKEND_UNAVAILABLE',
      status: undefined,
    },
    {
      description: 'a search Elasticsearch timed out',
      reply: json(200, { ...emptySearch, timed_out: true }),
      code: 'BACKEND_TIMEOUT',
      status: undefined,
    },
  ])('classifies $description as $code', async ({ reply: r, code, status }) => {
    reply = r;
    const error = await failure(client().search(['i'], {}, call()));
    expect(error.code).toBe(code);
    expect(error.httpStatus).toBe(status);
  });

  it('answers BACKEND_TIMEOUT when the server is slower than the timeout', async () => {
    reply = (_req, res) => setTimeout(() => json(200, emptySearch)(_req, res), 300);
    expect((await failure(client(50).search(['i'], {}, call()))).code).toBe('BACKEND_TIMEOUT');
  });

  it('answers BACKEND_TIMEOUT when the caller aborts, before or during the call', async () => {
    reply = (_req, res) => setTimeout(() => json(200, emptySearch)(_req, res), 300);
    seen.length = 0;
    expect((await failure(client().search(['i'], {}, call(AbortSignal.abort())))).code).toBe('BACKEND_TIMEOUT');
    expect(seen).toHaveLength(0);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await failure(client().search(['i'], {}, call(controller.signal)))).code).toBe('BACKEND_TIMEOUT');
  });

  it('answers BACKEND_UNAVAILABLE when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await failure(client(2_000, `http://127.0.0.1:${port}`).search(['i'], {}, call()))).code).toBe('BACKEND_UNAVAILABLE');
  });

  it('keeps integers beyond 2^53 exact', async () => {
    reply = json(
      200,
      '{"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"failed":0},"hits":{"hits":[{"_index":"i","_id":"1","_source":{"v":9223372036854775807,"w":1.5}}]}}',
    );
    const response = await client().search<{ v: unknown; w: unknown }>(['i'], {}, call());
    expect(response.hits.hits[0]!._source).toEqual({ v: 9223372036854775807n, w: 1.5 });
  });

  it('pages through a point in time sorted by _shard_doc once the first page is full, and closes it', async () => {
    const hit = (n: number) => ({ _index: 'i', _id: String(n), _source: { n }, sort: [n] });
    reply = (req, res) => {
      const last = seen.at(-1)!;
      if (req.url?.includes('/_pit') && req.method === 'POST') return json(200, { id: 'pit-1' })(req, res);
      if (req.method === 'DELETE') return json(200, { succeeded: true, num_freed: 1 })(req, res);
      const body = JSON.parse(last.body) as { search_after?: number[]; pit?: unknown };
      if (body.pit === undefined) return json(200, { ...emptySearch, hits: { hits: [hit(1), hit(2)] } })(req, res);
      const after = body.search_after?.[0] ?? 0;
      const hits = [hit(after + 1), hit(after + 2)].filter((h) => h._source.n <= 5);
      return json(200, { ...emptySearch, pit_id: 'pit-2', hits: { hits } })(req, res);
    };
    seen.length = 0;
    const got: number[] = [];
    await client().searchAll<{ n: number }>(
      ['i'],
      { match_all: {} },
      { pageSize: 2, call: call(), what: 'test', onHits: (hits) => void got.push(...hits.map((h) => h._source.n)) },
    );
    expect(got).toEqual([1, 2, 3, 4, 5]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pitSearches = seen.filter((s) => s.url.startsWith('/_search')).map((s) => JSON.parse(s.body));
    expect(pitSearches[0]).toMatchObject({ pit: { id: 'pit-1' }, sort: [{ _shard_doc: 'asc' }], size: 2 });
    expect(pitSearches[1]).toMatchObject({ pit: { id: 'pit-2' }, search_after: [2] });
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/_pit' });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ id: 'pit-2' });
  });

  it('asks searchAll’s pages for documents and sort values only, and reads a filtered answer without hits as an empty page', async () => {
    // What Elasticsearch 8.8 answers a filter_path search that matched nothing: no `hits` at all.
    reply = json(200, { timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } });
    seen.length = 0;
    const pages: number[] = [];
    await client().searchAll(['i'], { match_all: {} }, { pageSize: 2, call: call(), what: 'test', onHits: (hits) => void pages.push(hits.length) });
    expect(pages).toEqual([0]);
    expect(new URL(seen[0]!.url, url).searchParams.get('filter_path')).toBe('hits.hits._source,hits.hits.sort,_shards,timed_out,pit_id');
    // A shard failure still fails the call: `_shards` is among the fields asked for.
    reply = json(200, { timed_out: false, _shards: { total: 2, successful: 1, failed: 1 } });
    const error = await failure(client().searchAll(['i'], { match_all: {} }, { pageSize: 2, call: call(), what: 'test', onHits: () => undefined }));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
  });

  it('reads cluster health and rejects a health body of the wrong shape', async () => {
    reply = json(200, { cluster_name: 'c', status: 'yellow' });
    expect(await client().clusterHealth(call())).toMatchObject({ status: 'yellow' });
    reply = json(200, { cluster_name: 'c' });
    expect((await failure(client().clusterHealth(call()))).code).toBe('BACKEND_BAD_RESPONSE');
  });
});
