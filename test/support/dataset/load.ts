/**
 * Loads the integration dataset into running servers and waits until every trace is readable.
 * Idempotent across runs against reused servers: when a server already holds the dataset (its marker
 * trace is there) nothing is sent again, and the base time is read back from the marker, so tests
 * always compare against exactly what the servers hold.
 */
import type { Span, TraceId } from '../../../src/model/index.js';
import { sleep } from '../harness/process.js';
import { buildDataset, TRACE_IDS, type IntegrationDataset } from './dataset.js';
import { toOtlpJson } from './to-otlp.js';
import { toZipkinJson } from './to-zipkin.js';

export interface JaegerTarget {
  kind: 'jaeger';
  /** Query API base URL, e.g. http://127.0.0.1:16686 */
  query: string;
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:4318 */
  otlp: string;
}

export interface ZipkinTarget {
  kind: 'zipkin';
  url: string;
}

export type LoadTarget = JaegerTarget | ZipkinTarget;

/** The marker traces: CHECKOUT's root starts at base, HOME's root at base + 1 s (dataset.ts). */
const MARKERS = { jaeger: { id: TRACE_IDS.CHECKOUT, offsetUs: 0 }, zipkin: { id: TRACE_IDS.HOME, offsetUs: 1_000_000 } };

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (response.status === 404) {
    await response.arrayBuffer();
    return null;
  }
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response.json();
}

/** Start times (µs) of the spans a server holds for `id`, or [] when it holds none. */
export async function heldSpanStarts(target: LoadTarget, id: TraceId): Promise<number[]> {
  if (target.kind === 'jaeger') {
    const body = (await getJson(`${target.query}/api/traces/${id}`)) as { data?: Array<{ spans: Array<{ startTime: number }> }> } | null;
    return body?.data?.[0]?.spans.map((s) => s.startTime) ?? [];
  }
  const body = (await getJson(`${target.url}/api/v2/trace/${id}`)) as Array<{ timestamp: number }> | null;
  return body?.map((s) => s.timestamp) ?? [];
}

/** The base time of the dataset a server already holds, or null when it holds none. */
export async function heldBase(target: LoadTarget): Promise<number | null> {
  const marker = MARKERS[target.kind];
  // An ES-backed server with no index yet may answer 500 instead of "no trace": ask again a few times.
  let starts: number[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      starts = await heldSpanStarts(target, marker.id);
      break;
    } catch (error) {
      if (attempt >= 10) throw error;
      await sleep(500 * attempt);
    }
  }
  return starts.length === 0 ? null : Math.min(...starts) - marker.offsetUs;
}

/**
 * POSTs with a few retries: a collector that writes to Elasticsearch can refuse the first batch while
 * it is still creating its index templates just after start-up.
 */
async function post(url: string, body: unknown, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.ok) return;
      throw new Error(`POST ${url} → ${response.status}: ${text.slice(0, 300)}`);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(1_000 * attempt);
    }
  }
}

/** Sends spans to a server in its own wire format. */
export async function sendSpans(target: LoadTarget, spans: readonly Span[]): Promise<void> {
  if (target.kind === 'jaeger') await post(`${target.otlp}/v1/traces`, toOtlpJson(spans));
  else await post(`${target.url}/api/v2/spans`, toZipkinJson(spans));
}

/** Polls until the server returns `expected` spans for every trace of `spans` (writes land asynchronously). */
export async function waitUntilHeld(target: LoadTarget, spans: readonly Span[], timeoutMs = 60_000): Promise<void> {
  const want = new Map<TraceId, number>();
  for (const s of spans) want.set(s.traceId, (want.get(s.traceId) ?? 0) + 1);
  const deadline = Date.now() + timeoutMs;
  for (const [id, count] of want) {
    for (;;) {
      // A server that writes to Elasticsearch answers 500 while a new index is not searchable yet.
      let held = 0;
      let lastError = '';
      try {
        held = (await heldSpanStarts(target, id)).length;
      } catch (error) {
        lastError = ` (last answer: ${(error as Error).message.slice(0, 200)})`;
      }
      if (held >= count) break;
      if (Date.now() > deadline)
        throw new Error(`${describeTarget(target)} holds ${held} of ${count} spans of trace ${id} after ${timeoutMs / 1000} s${lastError}`);
      await sleep(250);
    }
  }
}

export const describeTarget = (t: LoadTarget): string => (t.kind === 'jaeger' ? `Jaeger at ${t.query}` : `Zipkin at ${t.url}`);

/**
 * Makes every target hold the dataset and returns it. The base time comes from a target that already
 * holds the dataset, else from now (minus 10 minutes, whole seconds).
 */
export async function ensureDatasetLoaded(targets: readonly LoadTarget[], nowUs = Date.now() * 1000): Promise<IntegrationDataset> {
  const held = await Promise.all(targets.map(heldBase));
  const bases = [...new Set(held.filter((b): b is number => b !== null))];
  if (bases.length > 1)
    throw new Error(
      `the running servers hold the dataset at different base times (${bases.join(', ')}): run \`npm run backends:down\` and try again`,
    );
  const baseUs = bases[0] ?? Math.floor(nowUs / 1_000_000) * 1_000_000 - 600_000_000;
  const dataset = buildDataset(baseUs);
  await Promise.all(
    targets.map(async (target, i) => {
      const spans = target.kind === 'jaeger' ? dataset.jaeger : dataset.zipkin;
      if (held[i] === null) await sendSpans(target, spans);
      await waitUntilHeld(target, spans);
    }),
  );
  return dataset;
}
