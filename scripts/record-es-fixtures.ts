/**
 * Records the Elasticsearch backend's fixtures from the real servers: each case is a small trace
 * sent through the REAL collectors (Jaeger v2 writing to ES over OTLP/HTTP, Zipkin writing to ES over
 * /api/v2/spans); the span documents they wrote are read back from Elasticsearch and saved as
 * `_source` arrays to test/fixtures/elasticsearch/{jaeger,zipkin}/<case>.json. Nothing here writes an
 * index document itself.
 *
 * Beside each case it saves:
 * - `<case>.api.json`: the same trace as the collector's own query API answers it (Jaeger api_v3
 *   OTLP/JSON with rawTraces, Zipkin `/api/v2/trace/{id}`), so the tests can check that the ES reader
 *   and the API reader agree;
 * - `<case>.expected.json`: Tracegate's canonical mapping of the documents (source "fixture"), to be
 *   checked by hand when it changes.
 * Afterwards it deletes the documents it caused (spans, and Jaeger's service entries), so the servers
 * hold what they held before.
 *
 *   npx tsx scripts/record-es-fixtures.ts            # after: npm run backends:up
 *
 * Environment (defaults are the harness's ports): ES_URL (http://127.0.0.1:9200), JAEGER_OTLP_URL
 * (http://127.0.0.1:4328), JAEGER_QUERY_URL (http://127.0.0.1:16696; the api_v3 copy is skipped when it
 * does not answer), ZIPKIN_URL (http://127.0.0.1:9421). Two cases need collectors the harness does not
 * run, and are skipped unless their variables are set (test/fixtures/elasticsearch/README.md):
 * - JAEGER_TAF_OTLP_URL: a second Jaeger (the harness's v2.13.0 binary) writing to ES_URL with `tags_as_fields: {all: true}`
 *   and `index_prefix: taf` (case `tags-as-fields`);
 * - JAEGER_LEGACY_OTLP_URL, JAEGER_LEGACY_QUERY_URL, JAEGER_LEGACY_ES_URL: Jaeger v1.50.0 all-in-one
 *   with `--es.index-prefix=legacy`, on an Elasticsearch of its own (its legacy index templates clash with
 *   v2's composable ones), for the case written by the old writer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { esDocsToSpans } from '../src/backends/elasticsearch/documents.js';
import { parseJsonExact, stringifyJsonExact } from '../src/formats/shared/exact-json.js';

const ES_URL = process.env.ES_URL ?? 'http://127.0.0.1:9200';
const JAEGER_OTLP_URL = process.env.JAEGER_OTLP_URL ?? 'http://127.0.0.1:4328';
const JAEGER_QUERY_URL = process.env.JAEGER_QUERY_URL ?? 'http://127.0.0.1:16696';
const ZIPKIN_URL = process.env.ZIPKIN_URL ?? 'http://127.0.0.1:9421';
const JAEGER_TAF_OTLP_URL = process.env.JAEGER_TAF_OTLP_URL;
const JAEGER_LEGACY_OTLP_URL = process.env.JAEGER_LEGACY_OTLP_URL;
const JAEGER_LEGACY_QUERY_URL = process.env.JAEGER_LEGACY_QUERY_URL;
const JAEGER_LEGACY_ES_URL = process.env.JAEGER_LEGACY_ES_URL ?? ES_URL;
const OUT = new URL('../test/fixtures/elasticsearch/', import.meta.url);

// A minute ago, on a whole millisecond: the documents land in today's indices.
const BASE_US = (Math.floor(Date.now() / 1000) - 60) * 1_000_000;
const ns = (offsetUs: number): string => `${BASE_US + offsetUs}000`;

type Json = Record<string, unknown>;
const str = (key: string, value: string): Json => ({ key, value: { stringValue: value } });
const int = (key: string, value: string): Json => ({ key, value: { intValue: value } });

interface JaegerCase {
  name: string;
  traceId: string;
  spans: number;
  /** OTLP/JSON resourceSpans. */
  resourceSpans: Json[];
  collector?: 'tags-as-fields' | 'legacy';
}

/** Where each collector takes OTLP, keeps its spans, and answers queries. */
function jaegerCollector(c: JaegerCase): { otlp: string | undefined; es: string; prefix: string; api: ((id: string) => string) | undefined } {
  switch (c.collector) {
    case 'tags-as-fields':
      return { otlp: JAEGER_TAF_OTLP_URL, es: ES_URL, prefix: 'taf-', api: undefined };
    case 'legacy':
      return {
        otlp: JAEGER_LEGACY_OTLP_URL,
        es: JAEGER_LEGACY_ES_URL,
        prefix: 'legacy-',
        api: JAEGER_LEGACY_QUERY_URL ? (id) => `${JAEGER_LEGACY_QUERY_URL}/api/traces/${id}?raw=true` : undefined,
      };
    default:
      return { otlp: JAEGER_OTLP_URL, es: ES_URL, prefix: '', api: (id) => `${JAEGER_QUERY_URL}/api/v3/traces/${id}?rawTraces=true` };
  }
}

interface ZipkinCase {
  name: string;
  /** As stored: Zipkin keeps 64-bit ids as 16 hex. */
  traceId: string;
  spans: Json[];
}

const JAEGER_CASES: JaegerCase[] = [
  {
    name: 'server-span-every-attribute-type',
    traceId: '5b8efff798038103d269b633813fc60c',
    spans: 1,
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'Fixture-Checkout'), str('host.name', 'node-1'), int('process.pid', '4242')] },
        scopeSpans: [
          {
            scope: { name: 'io.opentelemetry.http', version: '1.40.0' },
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                traceState: 'vendor=opaque',
                name: 'POST /checkout',
                kind: 2,
                startTimeUnixNano: ns(0),
                endTimeUnixNano: ns(25_000),
                attributes: [
                  str('http.request.method', 'POST'),
                  int('http.response.status_code', '200'),
                  int('order.id', '9223372036854775807'),
                  { key: 'cart.ratio', value: { doubleValue: 0.25 } },
                  { key: 'cart.total', value: { doubleValue: 100 } },
                  { key: 'user.premium', value: { boolValue: true } },
                  { key: 'request.digest', value: { bytesValue: 'AQIDBA==' } },
                  { key: 'cart.items', value: { arrayValue: { values: [{ stringValue: 'sku-1' }, { intValue: '2' }] } } },
                  { key: 'cart.meta', value: { kvlistValue: { values: [str('currency', 'EUR')] } } },
                ],
                status: { code: 1 },
              },
            ],
          },
        ],
      },
    ],
  },
  {
    name: 'client-error-with-event-and-link',
    traceId: '5b8efff798038103d269b633813fc60d',
    spans: 2,
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'fixture-payments'), str('deployment.environment', 'prod')] },
        scopeSpans: [
          {
            scope: { name: 'payments-lib' },
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60d',
                spanId: '1000000000000001',
                name: 'charge',
                kind: 2,
                startTimeUnixNano: ns(0),
                endTimeUnixNano: ns(9_000),
                status: {},
              },
              {
                traceId: '5b8efff798038103d269b633813fc60d',
                spanId: '1000000000000002',
                parentSpanId: '1000000000000001',
                name: 'POST /bank',
                kind: 3,
                startTimeUnixNano: ns(1_000),
                endTimeUnixNano: ns(8_000),
                attributes: [str('peer.service', 'bank'), int('retry.count', '2')],
                status: { code: 2, message: 'card declined' },
                events: [
                  {
                    timeUnixNano: ns(7_500),
                    name: 'exception',
                    attributes: [str('exception.type', 'DeclinedError'), str('exception.message', 'card declined')],
                  },
                ],
                links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', attributes: [str('link.reason', 'retry-of')] }],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    name: 'internal-span-64-bit-trace-id',
    traceId: '0000000000000000a1b2c3d4e5f60718',
    spans: 1,
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'fixture-worker')] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: '0000000000000000a1b2c3d4e5f60718',
                spanId: '2000000000000001',
                name: 'tick',
                kind: 1,
                startTimeUnixNano: ns(0),
                endTimeUnixNano: ns(3),
              },
            ],
          },
        ],
      },
    ],
  },
  {
    name: 'producer-consumer-without-service-name',
    traceId: '5b8efff798038103d269b633813fc60e',
    spans: 2,
    resourceSpans: [
      {
        resource: { attributes: [] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60e',
                spanId: '3000000000000001',
                name: 'fixture publish',
                kind: 4,
                startTimeUnixNano: ns(0),
                endTimeUnixNano: ns(100),
              },
              {
                traceId: '5b8efff798038103d269b633813fc60e',
                spanId: '3000000000000002',
                parentSpanId: '3000000000000001',
                name: 'fixture consume',
                kind: 5,
                startTimeUnixNano: ns(500),
                endTimeUnixNano: ns(900),
                attributes: [str('messaging.system', 'kafka')],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    name: 'tags-as-fields',
    traceId: '5b8efff798038103d269b633813fc60f',
    spans: 1,
    collector: 'tags-as-fields',
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'fixture-search'), str('host.name', 'node-2')] },
        scopeSpans: [
          {
            scope: { name: 'search-lib', version: '2.0' },
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60f',
                spanId: '4000000000000001',
                name: 'GET /search',
                kind: 2,
                startTimeUnixNano: ns(0),
                endTimeUnixNano: ns(4_000),
                attributes: [
                  str('http.route', '/search'),
                  int('http.response.status_code', '503'),
                  int('result.hash', '-9223372036854775808'),
                  { key: 'score', value: { doubleValue: 2.5 } },
                  { key: 'cache.hit', value: { boolValue: false } },
                  { key: 'query.bytes', value: { bytesValue: '/w==' } },
                ],
                status: { code: 2, message: 'upstream unavailable' },
              },
            ],
          },
        ],
      },
    ],
  },
  {
    name: 'legacy-writer-64-bit-id-string-values',
    traceId: '0000000000000000a1b2c3d4e5f6071a',
    spans: 1,
    collector: 'legacy',
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'fixture-ledger'), str('host.name', 'node-3')] },
        scopeSpans: [
          {
            scope: { name: 'ledger-lib', version: '0.9' },
            spans: [
              {
                traceId: '0000000000000000a1b2c3d4e5f6071a',
                spanId: '9000000000000001',
                name: 'post entry',
                kind: 2,
                startTimeUnixNano: ns(0),
                endTimeUnixNano: ns(5_000),
                attributes: [
                  int('entry.count', '42'),
                  int('entry.id', '9223372036854775807'),
                  { key: 'entry.amount', value: { doubleValue: 1.5 } },
                  { key: 'entry.final', value: { boolValue: true } },
                ],
                status: { code: 2, message: 'ledger closed' },
              },
            ],
          },
        ],
      },
    ],
  },
];

const ZIPKIN_CASES: ZipkinCase[] = [
  {
    name: 'rpc-client-and-shared-server',
    traceId: '7c3a8e2b9d4f6a1e5c7b3d9f2e8a4c6b',
    spans: [
      {
        traceId: '7c3a8e2b9d4f6a1e5c7b3d9f2e8a4c6b',
        id: '5000000000000001',
        kind: 'CLIENT',
        name: 'GET /Inventory',
        timestamp: BASE_US,
        duration: 12_000,
        localEndpoint: { serviceName: 'Fixture-Frontend', ipv4: '10.1.2.3', port: 8080 },
        remoteEndpoint: { serviceName: 'fixture-inventory', ipv6: '2001:db8::1', port: 9000 },
        tags: { 'http.method': 'GET', 'http.path': '/inventory' },
        annotations: [
          { timestamp: BASE_US + 100, value: 'ws' },
          { timestamp: BASE_US + 11_900, value: 'wr' },
        ],
      },
      {
        traceId: '7c3a8e2b9d4f6a1e5c7b3d9f2e8a4c6b',
        id: '5000000000000001',
        kind: 'SERVER',
        shared: true,
        name: 'get /inventory',
        timestamp: BASE_US + 1_000,
        duration: 10_000,
        localEndpoint: { serviceName: 'fixture-inventory', ipv4: '10.1.2.4' },
        remoteEndpoint: { ipv4: '10.1.2.3' },
        tags: { 'http.status_code': '200' },
      },
    ],
  },
  {
    name: 'error-tag-64-bit-trace-id',
    traceId: '463ac35c9f6413ad',
    spans: [
      {
        traceId: '463ac35c9f6413ad',
        id: '6000000000000001',
        kind: 'SERVER',
        name: 'post /orders',
        timestamp: BASE_US,
        duration: 4_000,
        localEndpoint: { serviceName: 'fixture-orders' },
        tags: { error: 'Connection reset by peer', 'http.status_code': '500' },
      },
      {
        traceId: '463ac35c9f6413ad',
        id: '6000000000000002',
        parentId: '6000000000000001',
        kind: 'CLIENT',
        name: 'insert',
        timestamp: BASE_US + 500,
        duration: 2_000,
        localEndpoint: { serviceName: 'fixture-orders' },
        remoteEndpoint: { serviceName: 'postgres' },
        tags: { error: 'false', 'otel.status_code': 'ERROR', 'otel.status_description': 'deadlock' },
      },
    ],
  },
  {
    name: 'local-span-debug-and-kind-tag',
    traceId: '8d2e4f6a1b3c5d7e9f0a2b4c6d8e0f1a',
    spans: [
      {
        traceId: '8d2e4f6a1b3c5d7e9f0a2b4c6d8e0f1a',
        id: '7000000000000001',
        name: 'render',
        timestamp: BASE_US,
        duration: 750,
        debug: true,
        localEndpoint: { serviceName: 'fixture-web' },
        tags: { 'span.kind': 'internal', 'otel.scope.name': 'templating', 'otel.scope.version': '3.1' },
      },
    ],
  },
  {
    name: 'span-without-timestamp',
    traceId: '9e3f5a7b2c4d6e8f',
    spans: [
      {
        traceId: '9e3f5a7b2c4d6e8f',
        id: '8000000000000001',
        kind: 'PRODUCER',
        name: 'send',
        localEndpoint: { serviceName: 'fixture-mailer' },
        annotations: [{ timestamp: BASE_US, value: 'ms' }],
      },
    ],
  },
];

async function request(method: string, url: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, text: await response.text() };
}

async function esSearch(es: string, index: string, body: Json): Promise<Array<{ _index: string; _id: string; _source: Json }>> {
  const { status, text } = await request('POST', `${es}/${index}/_search?ignore_unavailable=true&allow_no_indices=true`, body);
  if (status !== 200) throw new Error(`ES search ${index} answered ${status}: ${text.slice(0, 300)}`);
  return (parseJsonExact(text) as { hits: { hits: Array<{ _index: string; _id: string; _source: Json }> } }).hits.hits;
}

/** Polls until `count` span documents of the trace are searchable (collector batch + bulk flush + 1 s refresh). */
async function waitForDocs(
  es: string,
  index: string,
  field: string,
  traceIds: readonly string[],
  count: number,
): Promise<Array<{ _index: string; _id: string; _source: Json }>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const hits = await esSearch(es, index, { size: 100, query: { terms: { [field]: traceIds } } });
    if (hits.length >= count) return hits;
    if (Date.now() > deadline) throw new Error(`only ${hits.length} of ${count} documents of ${traceIds[0]} appeared in ${index} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

interface Written {
  es: string;
  _index: string;
  _id: string;
}

async function deleteDocs(written: readonly Written[]): Promise<void> {
  for (const es of new Set(written.map((w) => w.es))) {
    const hits = written.filter((w) => w.es === es);
    const ndjson = `${hits.map((h) => JSON.stringify({ delete: { _index: h._index, _id: h._id } })).join('\n')}\n`;
    const { status, text } = await request('POST', `${es}/_bulk?refresh=true`, ndjson, 'application/x-ndjson');
    if (status !== 200 || (JSON.parse(text) as { errors: boolean }).errors) throw new Error(`bulk delete answered ${status}: ${text.slice(0, 300)}`);
  }
}

function write(path: string, value: unknown): void {
  const url = new URL(path, OUT);
  mkdirSync(new URL('.', url), { recursive: true });
  writeFileSync(url, `${stringifyJsonExact(value, 2)}\n`);
  console.log(`wrote ${url.pathname}`);
}

/** Documents in a stable order: by span id, then start, then kind (Zipkin's shared halves share an id). */
function sortDocs(docs: Json[], idField: string, startField: string): Json[] {
  const key = (d: Json): string => `${String(d[idField])}\u0000${String(d[startField] ?? '').padStart(20, '0')}\u0000${String(d.kind ?? '')}`;
  return [...docs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

async function recordJaeger(): Promise<Written[]> {
  const written: Written[] = [];
  for (const c of JAEGER_CASES) {
    const collector = jaegerCollector(c);
    if (collector.otlp === undefined) {
      console.log(`skipped jaeger/${c.name}: no collector configured for it (see the environment variables above)`);
      continue;
    }
    const sent = await request('POST', `${collector.otlp}/v1/traces`, { resourceSpans: c.resourceSpans });
    if (sent.status !== 200) throw new Error(`OTLP POST for ${c.name} answered ${sent.status}: ${sent.text}`);
    // Jaeger before v2.7 stored a 64-bit id as 16 hex.
    const forms = [...new Set([c.traceId, c.traceId.replace(/^0{16}/, '')])];
    const hits = await waitForDocs(collector.es, `${collector.prefix}jaeger-span-*`, 'traceID', forms, c.spans);
    written.push(...hits.map((h) => ({ es: collector.es, _index: h._index, _id: h._id })));
    const docs = sortDocs(
      hits.map((h) => h._source),
      'spanID',
      'startTime',
    );
    write(`jaeger/${c.name}.json`, docs);
    write(`jaeger/${c.name}.expected.json`, esDocsToSpans('jaeger', docs, 'fixture', { tagDotReplacement: '@' }));
    if (collector.api !== undefined) {
      const api = await request('GET', collector.api(c.traceId)).catch(() => undefined);
      if (api?.status === 200) write(`jaeger/${c.name}.api.json`, parseJsonExact(api.text));
      else console.log(`skipped jaeger/${c.name}.api.json: the query API answered ${api?.status ?? 'nothing'}`);
    }
    // Jaeger also wrote one service document per (service, operation): remove exactly those pairs.
    const pairs = servicePairs(c).map(([service, operation]) => ({
      bool: { filter: [{ term: { serviceName: service } }, { term: { operationName: operation } }] },
    }));
    const services = await esSearch(collector.es, `${collector.prefix}jaeger-service-*`, { size: 100, query: { bool: { should: pairs } } });
    written.push(...services.map((h) => ({ es: collector.es, _index: h._index, _id: h._id })));
  }
  return written;
}

function servicePairs(c: JaegerCase): Array<[string, string]> {
  return c.resourceSpans.flatMap((rs) => {
    const attributes = ((rs.resource as Json | undefined)?.attributes ?? []) as Array<{ key: string; value: { stringValue?: string } }>;
    const service = attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? 'OTLPResourceNoServiceName';
    return ((rs.scopeSpans ?? []) as Array<{ spans: Array<{ name: string }> }>).flatMap((ss) =>
      ss.spans.map((span): [string, string] => [service, span.name]),
    );
  });
}

async function recordZipkin(): Promise<Written[]> {
  const written: Written[] = [];
  for (const c of ZIPKIN_CASES) {
    const sent = await request('POST', `${ZIPKIN_URL}/api/v2/spans`, c.spans);
    if (sent.status !== 202) throw new Error(`Zipkin POST for ${c.name} answered ${sent.status}: ${sent.text}`);
    const hits = await waitForDocs(ES_URL, 'zipkin*span-*', 'traceId', [c.traceId], c.spans.length);
    written.push(...hits.map((h) => ({ es: ES_URL, _index: h._index, _id: h._id })));
    const docs = sortDocs(
      hits.map((h) => h._source),
      'id',
      'timestamp',
    );
    write(`zipkin/${c.name}.json`, docs);
    write(`zipkin/${c.name}.expected.json`, esDocsToSpans('zipkin', docs, 'fixture', { tagDotReplacement: '@' }));
    const api = await request('GET', `${ZIPKIN_URL}/api/v2/trace/${c.traceId}`);
    if (api.status !== 200) throw new Error(`Zipkin GET trace ${c.traceId} answered ${api.status}`);
    write(`zipkin/${c.name}.api.json`, sortDocs(parseJsonExact(api.text) as Json[], 'id', 'timestamp'));
  }
  return written;
}

const health = await request('GET', `${ES_URL}/_cluster/health`).catch((error: Error) => ({ status: 0, text: error.message }));
if (health.status !== 200) {
  console.error(
    `Elasticsearch is not answering at ${ES_URL} (${health.text}); start it with: bash scripts/backends.sh up elasticsearch jaeger-es zipkin-es`,
  );
  process.exit(1);
}
const written = [...(await recordJaeger()), ...(await recordZipkin())];
await deleteDocs(written);
console.log(`recorded; removed the ${written.length} documents the cases wrote`);
