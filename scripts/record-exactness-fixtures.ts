/**
 * `npm run fixtures:record:exactness`: records what real servers answer for the traces of the
 * exactness tests (test/support/exactness/), the cases where a wire format itself loses or breaks
 * something, into test/fixtures/recorded/exactness/ for test/formats/recorded-exactness.test.ts.
 *
 * The shared servers must keep holding exactly the integration dataset, so this starts PRIVATE
 * instances of the same binaries (test/support/private-servers.ts: a Jaeger with memory storage, a
 * Jaeger writing to the shared Elasticsearch under its own index prefix, a Zipkin with memory storage),
 * sends each trace through their real collectors (OTLP/HTTP, Zipkin /api/v2/spans), records the
 * answers, and stops them again, on failure, on Ctrl-C and after DEADLINE_MS too. It refuses to start
 * when a private server already answers: another test run may be using it.
 *
 * API answers are saved byte for byte (no newline added). Elasticsearch documents are saved as
 * scripts/record-es-fixtures.ts saves them: the `_source` of each hit, in a JSON array (here sorted by
 * Elasticsearch on spanID, then startTime). meta.json says when, from which server and version, with
 * which request and status each file was recorded, and the base time of every trace sent, from which
 * the tests rebuild what was sent (the builders in test/support/exactness/).
 *
 * Needs the shared Elasticsearch (npm run backends:up); the private servers' software comes from the
 * harness cache.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseJsonExact, stringifyJsonExact } from '../src/formats/shared/exact-json.js';
import type { ZipkinSpan } from '../src/formats/zipkin-v2/wire.js';
import {
  FOLDED,
  foldedEventSpan,
  jaegerV1LossTraces,
  LINKED,
  linkToOwnChildTrace,
  NAN,
  PLAIN,
  readSmartThings,
  sanitizerWarnedTrace,
  shiftedTo,
  SMARTTHINGS,
  WARNED,
  ZOO,
} from '../test/support/exactness/index.js';
import { ENDPOINTS } from '../test/support/harness/servers.js';
import { VERSIONS } from '../test/support/harness/paths.js';
import { sleep } from '../test/support/harness/process.js';
import { postOtlp, waitForJaegerTraces } from '../test/support/otlp-post.js';
import { PRIVATE, PRIVATE_ES_PREFIX, type PrivateServerName, startPrivateServers, stopPrivateServers } from '../test/support/private-servers.js';

const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'recorded', 'exactness');
/** Recorded here first, then moved over OUT: a failed run leaves the previous recording whole. */
const STAGING = `${OUT}.recording`;
const SERVERS: readonly PrivateServerName[] = ['jaeger', 'jaegerEs', 'zipkin'];
/** The whole run, server start-up included (a cold Zipkin takes about 20 s, the rest seconds). */
const DEADLINE_MS = 6 * 60_000;
/** One HTTP call. */
const CALL_MS = 30_000;
/** Until a server shows what it was sent. */
const WAIT_MS = 60_000;

interface FileMeta {
  server: string;
  request: string;
  status: number;
  contentType: string | null;
  bytes: number;
  sha256: string;
}
const files: Record<string, FileMeta> = {};

function writeFixture(file: string, body: Buffer): void {
  const path = join(STAGING, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
  console.log(`recorded exactness/${file} (${body.length} bytes)`);
}

/** GETs `url` and saves the body exactly as received; fails unless the status is `expectedStatus`. */
async function record(file: string, server: string, url: string, expectedStatus = 200): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(CALL_MS) });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== expectedStatus)
    throw new Error(`GET ${url} → ${response.status}, expected ${expectedStatus}: ${body.toString('utf8').slice(0, 300)}`);
  writeFixture(file, body);
  const { pathname, search } = new URL(url);
  files[file] = {
    server,
    request: `GET ${pathname}${search}`,
    status: response.status,
    contentType: response.headers.get('content-type'),
    bytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}

/**
 * The private Jaeger's span documents of `traceId`, once `count` are searchable, saved as
 * record-es-fixtures.ts saves them (int64 values beyond 2^53 kept exact).
 */
async function recordDocs(file: string, traceId: string, count: number): Promise<void> {
  const index = `${ENDPOINTS.elasticsearch}/${PRIVATE_ES_PREFIX}-jaeger-span-*`;
  const query = { size: 100, query: { term: { traceID: traceId } }, sort: [{ spanID: 'asc' }, { startTime: 'asc' }] };
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    await (await fetch(`${index}/_refresh`, { method: 'POST', signal: AbortSignal.timeout(CALL_MS) })).arrayBuffer();
    const response = await fetch(`${index}/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(query),
      signal: AbortSignal.timeout(CALL_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${index}/_search → ${response.status}: ${text.slice(0, 300)}`);
    const hits = (parseJsonExact(text) as { hits: { hits: Array<{ _source: unknown }> } }).hits.hits;
    if (hits.length >= count) {
      const body = Buffer.from(
        `${stringifyJsonExact(
          hits.map((h) => h._source),
          2,
        )}\n`,
      );
      writeFixture(file, body);
      files[file] = {
        server: 'private Jaeger writing to Elasticsearch: the `_source` of each span document',
        request: `POST /${PRIVATE_ES_PREFIX}-jaeger-span-*/_search ${JSON.stringify(query)}`,
        status: response.status,
        contentType: 'application/json',
        bytes: body.length,
        sha256: createHash('sha256').update(body).digest('hex'),
      };
      return;
    }
    if (Date.now() > deadline) throw new Error(`only ${hits.length} of ${count} documents of ${traceId} in ${index} after ${WAIT_MS / 1000} s`);
    await sleep(300);
  }
}

async function postZipkin(spans: readonly ZipkinSpan[]): Promise<void> {
  const response = await fetch(`${PRIVATE.zipkin.url}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spans),
    signal: AbortSignal.timeout(CALL_MS),
  });
  const text = await response.text();
  if (response.status !== 202) throw new Error(`POST ${PRIVATE.zipkin.url}/api/v2/spans → ${response.status}: ${text.slice(0, 300)}`);
}

async function waitForZipkinTrace(traceId: string, count: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const response = await fetch(`${PRIVATE.zipkin.url}/api/v2/trace/${traceId}`, { signal: AbortSignal.timeout(CALL_MS) });
    const held = response.ok ? ((await response.json()) as unknown[]).length : await response.arrayBuffer().then(() => 0);
    if (held >= count) return;
    if (Date.now() > deadline) throw new Error(`the private Zipkin holds ${held} of ${count} spans of ${traceId} after ${WAIT_MS / 1000} s`);
    await sleep(200);
  }
}

async function getJson(url: string): Promise<any> {
  const response = await fetch(url, { signal: AbortSignal.timeout(CALL_MS) });
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
  return response.json();
}

async function main(): Promise<void> {
  const es = await getJson(`${ENDPOINTS.elasticsearch}/`).catch((error: Error) => {
    throw new Error(
      `the shared Elasticsearch does not answer at ${ENDPOINTS.elasticsearch} (${error.message}); start it with: npm run backends:up -- elasticsearch`,
    );
  });
  for (const name of SERVERS) {
    const def = PRIVATE[name].def;
    if (await def.healthy().catch(() => false)) {
      throw new Error(
        `the private server ${def.name} is already running, perhaps for another test run; wait for that run, or stop a stale one with: npm run backends:down -- ${def.name}`,
      );
    }
  }

  const t0 = Date.now();
  ownsServers = true;
  await startPrivateServers(SERVERS);
  console.log(`private servers up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // Five minutes ago, on a whole second: recent enough for every search window, whole µs for Zipkin.
  const baseUs = Math.floor(Date.now() / 1000) * 1_000_000 - 300_000_000;
  const bases = { jaegerV1Losses: baseUs, linkToOwnChild: baseUs + 1_000_000, sanitizerWarned: baseUs + 2_000_000, foldedEvent: baseUs + 3_000_000 };
  // SmartThings lasts about 100 s: it ends well before now.
  const smartThingsStartUs = baseUs - 300_000_000;
  const original = readSmartThings();
  const smartThings = shiftedTo(original, smartThingsStartUs);
  const folded = foldedEventSpan(bases.foldedEvent);

  await postOtlp(PRIVATE.jaeger.otlp, jaegerV1LossTraces(bases.jaegerV1Losses));
  for (const otlp of [PRIVATE.jaeger.otlp, PRIVATE.jaegerEs.otlp]) {
    await postOtlp(otlp, linkToOwnChildTrace(bases.linkToOwnChild));
    await postOtlp(otlp, sanitizerWarnedTrace(bases.sanitizerWarned));
  }
  await postOtlp(PRIVATE.jaeger.otlp, folded.otlp);
  await postZipkin(folded.zipkin);
  await postZipkin(smartThings);

  await waitForJaegerTraces(
    PRIVATE.jaeger.query,
    { [ZOO.trace]: 2, [NAN.trace]: 1, [PLAIN.trace]: 1, [LINKED.trace]: 3, [WARNED.trace]: 2, [FOLDED.trace]: 1 },
    WAIT_MS,
  );
  await waitForJaegerTraces(PRIVATE.jaegerEs.query, { [LINKED.trace]: 3, [WARNED.trace]: 2 }, WAIT_MS);
  await waitForZipkinTrace(SMARTTHINGS.trace, smartThings.length);
  await waitForZipkinTrace(FOLDED.trace, 1);

  rmSync(STAGING, { recursive: true, force: true });
  const jaeger = PRIVATE.jaeger.query;
  const memory = 'private Jaeger, memory storage';
  // (a) What api_v3 (OTLP/JSON) and the v1 JSON API answer for the trace v1 cannot carry.
  await record('jaeger/v3-zoo.json', memory, `${jaeger}/api/v3/traces/${ZOO.trace}?raw_traces=true`);
  await record('jaeger/v1-zoo.json', memory, `${jaeger}/api/traces/${ZOO.trace}?raw=true`);
  // (b) The v1 multi-get fails whole for one NaN double; api_v3 answers it.
  await record('jaeger/v1-multi-get-nan-zoo.json', memory, `${jaeger}/api/traces?traceID=${NAN.trace}&traceID=${ZOO.trace}&raw=true`, 500);
  await record('jaeger/v3-nan.json', memory, `${jaeger}/api/v3/traces/${NAN.trace}?raw_traces=true`);
  // (c) The memory Jaeger's copy of the traces the index holds too; (e) the OTLP copy of the folded event.
  await record('jaeger/v3-link-to-own-child.json', memory, `${jaeger}/api/v3/traces/${LINKED.trace}?raw_traces=true`);
  await record('jaeger/v3-sanitizer-warned.json', memory, `${jaeger}/api/v3/traces/${WARNED.trace}?raw_traces=true`);
  await record('jaeger/v3-folded-event.json', memory, `${jaeger}/api/v3/traces/${FOLDED.trace}?raw_traces=true`);
  // (c) What the Jaeger writing to Elasticsearch stored; (d) what its v1 API answers.
  await recordDocs('jaeger-es/docs-link-to-own-child.json', LINKED.trace, 3);
  await recordDocs('jaeger-es/docs-sanitizer-warned.json', WARNED.trace, 2);
  await record(
    'jaeger-es/v1-sanitizer-warned.json',
    'private Jaeger, Elasticsearch storage',
    `${PRIVATE.jaegerEs.query}/api/traces/${WARNED.trace}?raw=true`,
  );
  // (e) Zipkin's answers.
  const zipkin = 'private Zipkin, memory storage';
  await record('zipkin/trace-smartthings.json', zipkin, `${PRIVATE.zipkin.url}/api/v2/trace/${SMARTTHINGS.trace}`);
  await record('zipkin/trace-folded-event.json', zipkin, `${PRIVATE.zipkin.url}/api/v2/trace/${FOLDED.trace}`);

  const zipkinInfo = await getJson(`${PRIVATE.zipkin.url}/info`);
  const meta = {
    recordedBy: 'scripts/record-exactness-fixtures.ts (npm run fixtures:record:exactness)',
    recordedAt: new Date().toISOString(),
    note: 'API answers are the bodies exactly as received (no newline added); jaeger-es/docs-*.json are the `_source` of each hit, as scripts/record-es-fixtures.ts saves them.',
    servers: {
      jaeger: {
        version: `Jaeger v2.13.0, built from the Go module github.com/jaegertracing/jaeger@${VERSIONS.jaegerModule} (the binary reports no version)`,
        memory: { config: 'scripts/config/jaeger-memory.yaml', query: PRIVATE.jaeger.query, otlp: PRIVATE.jaeger.otlp },
        elasticsearch: {
          config: 'scripts/config/jaeger-elasticsearch.yaml',
          indexPrefix: PRIVATE_ES_PREFIX,
          query: PRIVATE.jaegerEs.query,
          otlp: PRIVATE.jaegerEs.otlp,
        },
      },
      elasticsearch: { version: es.version.number, build: es.version.build_hash, url: ENDPOINTS.elasticsearch },
      zipkin: { version: zipkinInfo.zipkin.version, commit: zipkinInfo.zipkin.commit, storage: 'mem', url: PRIVATE.zipkin.url },
    },
    sent: {
      jaegerV1Losses: {
        builder: 'test/support/exactness/jaeger-v1-losses.ts jaegerV1LossTraces',
        baseUs: bases.jaegerV1Losses,
        to: 'private Jaeger (memory) over OTLP/HTTP',
        traceIds: [ZOO.trace, NAN.trace, PLAIN.trace],
      },
      linkToOwnChild: {
        builder: 'test/support/exactness/link-to-own-child.ts linkToOwnChildTrace',
        baseUs: bases.linkToOwnChild,
        to: 'both private Jaegers over OTLP/HTTP',
        traceIds: [LINKED.trace],
      },
      sanitizerWarned: {
        builder: 'test/support/exactness/sanitizer-warned.ts sanitizerWarnedTrace',
        baseUs: bases.sanitizerWarned,
        to: 'both private Jaegers over OTLP/HTTP',
        traceIds: [WARNED.trace],
      },
      foldedEvent: {
        builder: 'test/support/exactness/folded-event.ts foldedEventSpan',
        baseUs: bases.foldedEvent,
        to: 'OTLP to the private Jaeger (memory), Zipkin v2 JSON to the private Zipkin',
        traceIds: [FOLDED.trace],
      },
      smartThings: {
        builder: 'test/support/exactness/smartthings.ts shiftedTo(readSmartThings(), startUs)',
        startUs: smartThingsStartUs,
        shiftUs: smartThingsStartUs - Math.min(...original.map((s) => s.timestamp)),
        spans: smartThings.length,
        to: 'private Zipkin over /api/v2/spans',
        traceIds: [SMARTTHINGS.trace],
      },
    },
    files,
  };
  writeFileSync(join(STAGING, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  rmSync(OUT, { recursive: true, force: true });
  renameSync(STAGING, OUT);
  console.log(`recorded ${Object.keys(files).length} files in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Set once this run starts the private servers; before that, running ones belong to someone else. */
let ownsServers = false;
let stopping: Promise<void> | undefined;
/** Stops the private servers once, whatever ended the run, if this run started them. */
function stopServers(): Promise<void> {
  if (!ownsServers) return Promise.resolve();
  stopping ??= stopPrivateServers(SERVERS).then(
    () => console.log('private servers stopped'),
    (error: unknown) => console.error(`could not stop the private servers: ${error instanceof Error ? error.message : String(error)}`),
  );
  return stopping;
}

async function abort(reason: string, code: number): Promise<never> {
  console.error(reason);
  rmSync(STAGING, { recursive: true, force: true });
  await stopServers();
  process.exit(code);
}

const deadline = setTimeout(() => void abort(`gave up after ${DEADLINE_MS / 1000} s`, 1), DEADLINE_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void abort(`stopped by ${signal}`, 130));
try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  rmSync(STAGING, { recursive: true, force: true });
  await stopServers();
  clearTimeout(deadline);
}
