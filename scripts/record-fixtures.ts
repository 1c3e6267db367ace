/**
 * `npm run fixtures:record`: saves real answers of the running Jaeger and Zipkin (the harness's, holding
 * the integration dataset: `npm run backends:up`, then one `npm run test:integration` or this script
 * loads it) into test/fixtures/recorded/, byte for byte, so the mapping tests
 * (test/formats/recorded-fixtures.test.ts) run on real wire data without servers. meta.json keeps the
 * dataset's base time, from which the tests rebuild what the servers were sent.
 *
 * Environment: JAEGER_URL (http://127.0.0.1:16686), ZIPKIN_URL (http://127.0.0.1:9411).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRACE_IDS } from '../test/support/dataset/dataset.js';
import { ensureDatasetLoaded } from '../test/support/dataset/load.js';

const JAEGER = process.env.JAEGER_URL ?? 'http://127.0.0.1:16686';
const ZIPKIN = process.env.ZIPKIN_URL ?? 'http://127.0.0.1:9411';
const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'recorded');

async function record(dir: string, name: string, url: string): Promise<void> {
  const response = await fetch(url);
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}: ${body.slice(0, 300)}`);
  mkdirSync(join(OUT, dir), { recursive: true });
  writeFileSync(join(OUT, dir, `${name}.json`), body.endsWith('\n') ? body : `${body}\n`);
  console.log(`recorded ${dir}/${name}.json (${body.length} bytes) from ${url}`);
}

async function main(): Promise<void> {
  const dataset = await ensureDatasetLoaded([
    { kind: 'jaeger', query: JAEGER, otlp: process.env.JAEGER_OTLP_URL ?? 'http://127.0.0.1:4318' },
    { kind: 'zipkin', url: ZIPKIN },
  ]);
  const iso = (us: number) => new Date(us / 1000).toISOString();
  const startUs = dataset.baseUs - 60_000_000;
  const endUs = dataset.baseUs + 600_000_000;
  const ms = (us: number) => Math.floor(us / 1000);

  // Jaeger api_v3 (snake_case parameters: Jaeger v2.13 reads only those) and the v1 JSON API.
  await record('jaeger', 'v3-trace-checkout', `${JAEGER}/api/v3/traces/${TRACE_IDS.CHECKOUT}?raw_traces=true`);
  await record('jaeger', 'v3-trace-fulfil', `${JAEGER}/api/v3/traces/${TRACE_IDS.FULFIL}?raw_traces=true`);
  await record(
    'jaeger',
    'v3-search-frontend',
    `${JAEGER}/api/v3/traces?query.service_name=frontend&query.start_time_min=${iso(startUs)}&query.start_time_max=${iso(endUs)}&query.num_traces=100&query.raw_traces=true`,
  );
  await record('jaeger', 'v3-services', `${JAEGER}/api/v3/services`);
  await record('jaeger', 'v3-operations-checkout', `${JAEGER}/api/v3/operations?service=checkout`);
  const v1Ids = [TRACE_IDS.CHECKOUT, TRACE_IDS.FULFIL, TRACE_IDS.LEGACY64, TRACE_IDS.BOTH, TRACE_IDS.SPLIT, TRACE_IDS.SKEWED];
  await record('jaeger', 'v1-traces-many', `${JAEGER}/api/traces?${v1Ids.map((id) => `traceID=${id}`).join('&')}&raw=true`);
  await record('jaeger', 'v1-search-checkout', `${JAEGER}/api/traces?service=checkout&start=${startUs}&end=${endUs}&limit=100&raw=true`);
  await record('jaeger', 'v1-services', `${JAEGER}/api/services`);
  await record('jaeger', 'v1-operations-checkout', `${JAEGER}/api/operations?service=checkout`);
  await record('jaeger', 'v1-dependencies', `${JAEGER}/api/dependencies?endTs=${ms(endUs)}&lookback=${ms(endUs - startUs)}`);

  // Zipkin API v2.
  const zipkinIds = [TRACE_IDS.HOME, TRACE_IDS.SEARCH, TRACE_IDS.BOTH, TRACE_IDS.SPLIT, TRACE_IDS.SKEWED].map((id) => id.replace(/^0{16}/, ''));
  await record('zipkin', 'trace-home', `${ZIPKIN}/api/v2/trace/${zipkinIds[0]}`);
  await record('zipkin', 'trace-many', `${ZIPKIN}/api/v2/traceMany?traceIds=${zipkinIds.join(',')}`);
  await record(
    'zipkin',
    'search-catalog',
    `${ZIPKIN}/api/v2/traces?serviceName=catalog&endTs=${ms(endUs)}&lookback=${ms(endUs - startUs)}&limit=100`,
  );
  await record('zipkin', 'services', `${ZIPKIN}/api/v2/services`);
  await record('zipkin', 'spans-catalog', `${ZIPKIN}/api/v2/spans?serviceName=catalog`);
  await record('zipkin', 'remote-services-catalog', `${ZIPKIN}/api/v2/remoteServices?serviceName=catalog`);
  await record('zipkin', 'dependencies', `${ZIPKIN}/api/v2/dependencies?endTs=${ms(endUs)}&lookback=${ms(endUs - startUs)}`);
  await record('zipkin', 'autocomplete-keys', `${ZIPKIN}/api/v2/autocompleteKeys`);
  await record('zipkin', 'info', `${ZIPKIN}/info`);

  writeFileSync(
    join(OUT, 'meta.json'),
    `${JSON.stringify({ datasetBaseUs: dataset.baseUs, jaeger: 'Jaeger v2.13.0 (module v1.76.0), memory storage', zipkin: 'Zipkin 3.6.1, in-memory storage', recordedBy: 'scripts/record-fixtures.ts' }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
