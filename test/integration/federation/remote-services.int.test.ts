/**
 * Remote services against the real servers: what Tracegate's `zipkin` and `elasticsearch` (zipkin
 * schema) backends list, and what federatedRemoteServices makes of them, must be exactly what the real
 * Zipkin answers at `/api/v2/remoteServices` (Zipkin 3.6.1 in memory, and the one writing to
 * Elasticsearch), for every service asked.
 *
 * The shared servers hold the integration dataset, which has no remote endpoint (its loader writes
 * `peer.service` as a plain tag), so every answer there is `[]`. The cases with remote services run
 * against private instances loaded with spans of their own: a Zipkin in memory and a Zipkin writing to
 * the shared Elasticsearch under its own index prefix, deleted afterwards (test/support/private-servers.ts
 * explains why the shared servers never get extra traces).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../src/backends/backend.js';
import { MemoryBackend } from '../../../src/backends/memory/index.js';
import { createDeadline, federatedRemoteServices, type FanOutOptions } from '../../../src/federation/index.js';
import { spansToZipkinSpans, zipkinSpansToSpans, type ZipkinSpan } from '../../../src/formats/zipkin-v2/index.js';
import {
  intAttr,
  newSpan,
  nowMicros,
  parseSpanId,
  parseTraceId,
  stringAttr,
  type Attribute,
  type Span,
  type SpanKind,
} from '../../../src/model/index.js';
import { down, ENDPOINTS, up, zipkinServer, type ServerDef } from '../../support/harness/servers.js';
import { elasticsearchBackend, jaegerBackend, loadedDataset, zipkinBackend } from '../../support/real-backends.js';

const call = () => ({ signal: AbortSignal.timeout(30_000) });
const fanOutOptions = (): FanOutOptions => ({ deadline: createDeadline(60_000), timeoutMs: () => 30_000 });

async function zipkinAnswer(url: string, service: string): Promise<string[]> {
  const response = await fetch(`${url}/api/v2/remoteServices?serviceName=${encodeURIComponent(service)}`);
  if (!response.ok) throw new Error(`${url} remoteServices?serviceName=${service} → ${response.status} ${await response.text()}`);
  return (await response.json()) as string[];
}

describe('remote services of the integration dataset (shared servers)', () => {
  const dataset = loadedDataset();
  const services = [...new Set([...dataset.zipkin, ...dataset.jaeger].map((s) => s.service))].sort();
  const zipkin = zipkinBackend();
  const esZipkin = elasticsearchBackend('zipkin');
  const all: Backend[] = [jaegerBackend(), zipkin, elasticsearchBackend('jaeger'), esZipkin];
  afterAll(() => Promise.all(all.map((b) => b.close())));

  it.each(services)('%s: each Zipkin backend lists what its real Zipkin lists, and the federation their union', async (service) => {
    const [fromZipkin, fromZipkinEs] = await Promise.all([zipkinAnswer(ENDPOINTS.zipkin, service), zipkinAnswer(ENDPOINTS.zipkinEs, service)]);
    expect(await zipkin.getRemoteServices!(service, call())).toEqual(fromZipkin);
    expect(await esZipkin.getRemoteServices!(service, call())).toEqual(fromZipkinEs);
    const federated = await federatedRemoteServices(service, all, fanOutOptions());
    expect(federated.items.map((i) => i.item)).toEqual([...new Set([...fromZipkin, ...fromZipkinEs])].sort());
    expect(federated.outcomes.map((o) => [o.backend, o.state])).toEqual([
      ['jaeger', 'SKIPPED'],
      ['zipkin', 'OK'],
      ['es-jaeger', 'SKIPPED'],
      ['es-zipkin', 'OK'],
    ]);
  });

  it('lists no remote service for a peer.service Zipkin holds as a tag, as Zipkin does (catalog → postgres)', async () => {
    expect(dataset.zipkin.some((s) => s.service === 'catalog' && s.attributes.some((a) => a.key === 'peer.service'))).toBe(true);
    expect(await zipkinAnswer(ENDPOINTS.zipkin, 'catalog')).toEqual([]);
    expect(await zipkin.getRemoteServices!('catalog', call())).toEqual([]);
    expect(await esZipkin.getRemoteServices!('catalog', call())).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Private Zipkins holding remote endpoints

const PREFIX = 'tgremote';
const MEM = { name: 'zipkin-remote', port: 19741 };
const ES = { name: 'zipkin-es-remote', port: 19751 };
const url = (port: number) => `http://127.0.0.1:${port}`;

/**
 * zipkinServer's Elasticsearch instance writes under the default index `zipkin`, the shared one; the
 * harness passes the test's environment on to the server it starts (harness/process.ts), so ES_INDEX
 * set around the start gives this one its own prefix.
 */
function zipkinEsWithPrefix(): ServerDef {
  const base = zipkinServer(ES.name, ES.port, 'elasticsearch');
  return {
    ...base,
    needs: [],
    async start() {
      const previous = process.env.ES_INDEX;
      process.env.ES_INDEX = PREFIX;
      try {
        await base.start();
      } finally {
        if (previous === undefined) delete process.env.ES_INDEX;
        else process.env.ES_INDEX = previous;
      }
    },
  };
}

/** The private Zipkin's indices and the index templates it installed; absent ones are no error. */
async function deletePrivateEs(): Promise<void> {
  for (const path of [`${PREFIX}*?expand_wildcards=all`, `_template/${PREFIX}*`]) {
    const response = await fetch(`${ENDPOINTS.elasticsearch}/${path}`, { method: 'DELETE' });
    await response.arrayBuffer();
    if (!response.ok && response.status !== 404) throw new Error(`DELETE ${path} → ${response.status}`);
  }
}

const TRACE_A = parseTraceId('7e3073e5e7a1ce5000000000000000a1');
const TRACE_B = parseTraceId('7e3073e5e7a1ce5000000000000000b2');

function span(traceId: typeof TRACE_A, id: string, service: string, kind: SpanKind, offsetUs: number, attributes: Attribute[] = []): Span {
  return newSpan({
    traceId,
    spanId: parseSpanId(id),
    name: `${kind.toLowerCase()} ${id}`,
    kind,
    service,
    startTimeUs: BASE_US + offsetUs,
    durationUs: 1_000,
    attributes,
    sources: ['test'],
  });
}

function lowerCased(span: Span): Span {
  const attributes = span.attributes.map((a) =>
    a.key === 'peer.service' && a.type === 'STRING' ? { ...a, value: String(a.value).toLowerCase() } : a,
  );
  return { ...span, service: span.service.toLowerCase(), attributes };
}

const BASE_US = Math.floor(nowMicros() / 1000) * 1000 - 60_000_000;
/** Mixed case on purpose: Zipkin lower-cases service names, local and remote, on ingest. */
const SPANS: Span[] = [
  span(TRACE_A, 'a1', 'Frontend', 'SERVER', 0),
  span(TRACE_A, 'a2', 'Frontend', 'CLIENT', 100, [stringAttr('peer.service', 'checkout')]),
  span(TRACE_A, 'a3', 'Frontend', 'CLIENT', 200, [stringAttr('peer.service', 'Search')]),
  span(TRACE_A, 'a4', 'Frontend', 'PRODUCER', 300, [stringAttr('peer.service', 'kafka')]),
  span(TRACE_A, 'a5', 'checkout', 'CLIENT', 400, [stringAttr('peer.service', 'payments')]),
  span(TRACE_B, 'b1', 'checkout', 'CLIENT', 500, [stringAttr('peer.service', 'checkout')]),
  // Not a remote endpoint: the writer keeps a peer.service that is not text as a tag.
  span(TRACE_B, 'b2', 'payments', 'CLIENT', 600, [intAttr('peer.service', 42)]),
  span(TRACE_B, 'b3', 'payments', 'INTERNAL', 700),
];
/** Every local service, as written and lower-cased, and one nobody has. */
const ASKED = ['Frontend', 'frontend', 'FRONTEND', 'checkout', 'payments', 'search', 'kafka', 'nobody'];

async function postSpans(port: number, spans: ZipkinSpan[]): Promise<void> {
  const response = await fetch(`${url(port)}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spans),
  });
  if (response.status !== 202) throw new Error(`POST spans to ${url(port)} → ${response.status} ${await response.text()}`);
}

/** The spans the Zipkin holds of `ids`, once it holds `count` of them (the Elasticsearch one indexes asynchronously). */
async function heldSpans(port: number, ids: readonly string[], count: number): Promise<ZipkinSpan[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const traces = await Promise.all(
      ids.map(async (id) => (await (await fetch(`${url(port)}/api/v2/trace/${id}`)).json().catch(() => [])) as ZipkinSpan[]),
    );
    const spans = traces.flat().filter((s) => typeof s === 'object');
    if (spans.length >= count) return spans;
    if (Date.now() > deadline) throw new Error(`${url(port)} holds ${spans.length} of ${count} spans after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('remote services of spans with remote endpoints (private Zipkins, in memory and on Elasticsearch)', () => {
  /** The spans sent, with the names lower-cased as Zipkin stores them. */
  let memory: MemoryBackend;
  /** The spans as Zipkin holds them, read back through Tracegate's mapping (formats/zipkin-v2/to-model.ts). */
  let readBack: MemoryBackend;
  let backends: { zipkin: Backend; esZipkin: Backend; jaeger: Backend };

  beforeAll(async () => {
    await down([MEM.name, ES.name]);
    await deletePrivateEs();
    await up([zipkinServer(MEM.name, MEM.port), zipkinEsWithPrefix()]);
    const wire = spansToZipkinSpans(SPANS);
    await Promise.all([postSpans(MEM.port, wire), postSpans(ES.port, wire)]);
    const ids = [TRACE_A, TRACE_B];
    const [held] = await Promise.all([heldSpans(MEM.port, ids, SPANS.length), heldSpans(ES.port, ids, SPANS.length)]);
    memory = new MemoryBackend('memory');
    memory.addSpans(SPANS.map(lowerCased));
    readBack = new MemoryBackend('read-back');
    readBack.addSpans(zipkinSpansToSpans(held!, 'read-back'));
    backends = {
      zipkin: zipkinBackend({ name: 'zipkin-private', url: url(MEM.port) }),
      esZipkin: elasticsearchBackend('zipkin', { name: 'es-zipkin-private', indexPrefix: PREFIX }),
      jaeger: jaegerBackend(),
    };
  });
  afterAll(async () => {
    await Promise.all(Object.values(backends ?? {}).map((b) => b.close()));
    await down([MEM.name, ES.name]);
    await deletePrivateEs();
  });

  it('holds remote services to compare: Zipkin lists frontend → checkout, kafka, search', async () => {
    expect(await zipkinAnswer(url(MEM.port), 'frontend')).toEqual(['checkout', 'kafka', 'search']);
    expect(await zipkinAnswer(url(ES.port), 'frontend')).toEqual(['checkout', 'kafka', 'search']);
  });

  it.each(ASKED)('%s: the zipkin backend lists what Zipkin in memory lists', async (service) => {
    expect(await backends.zipkin.getRemoteServices!(service, call())).toEqual(await zipkinAnswer(url(MEM.port), service));
  });

  it.each(ASKED)('%s: the elasticsearch backend lists what the Zipkin writing to Elasticsearch lists', async (service) => {
    expect(await backends.esZipkin.getRemoteServices!(service, call())).toEqual(await zipkinAnswer(url(ES.port), service));
  });

  it.each(ASKED)('%s: the memory backend holding the same spans lists what Zipkin lists (asked by the stored, lower-case name)', async (service) => {
    // The memory store keeps names as given and compares them as they are; Zipkin stored these lower-cased.
    expect(await memory.getRemoteServices(service.toLowerCase(), call())).toEqual(await zipkinAnswer(url(MEM.port), service));
  });

  it('reads back a peer.service that Zipkin holds only as a tag as a remote service, which Zipkin does not list', async () => {
    // The writer kept the INT peer.service as the tag "42"; the reader makes every tag text, and the
    // canonical model keeps no difference between a peer.service tag and a remote endpoint.
    expect(await zipkinAnswer(url(MEM.port), 'payments')).toEqual([]);
    expect(await readBack.getRemoteServices('payments', call())).toEqual(['42']);
    for (const service of ['frontend', 'checkout']) {
      expect(await readBack.getRemoteServices(service, call())).toEqual(await zipkinAnswer(url(MEM.port), service));
    }
  });

  it.each(ASKED)('%s: the federation lists the union once, each name with the backends that listed it, Jaeger skipped', async (service) => {
    const { zipkin, esZipkin, jaeger } = backends;
    const result = await federatedRemoteServices(service, [jaeger, zipkin, esZipkin], fanOutOptions());
    const [fromMem, fromEs] = await Promise.all([zipkinAnswer(url(MEM.port), service), zipkinAnswer(url(ES.port), service)]);
    const expected = [...new Set([...fromMem, ...fromEs])].sort().map((item) => ({
      item,
      sources: [...(fromMem.includes(item) ? ['zipkin-private'] : []), ...(fromEs.includes(item) ? ['es-zipkin-private'] : [])],
    }));
    expect(result.items).toEqual(expected);
    expect(result.outcomes.map((o) => [o.backend, o.state, o.code])).toEqual([
      ['jaeger', 'SKIPPED', 'BACKEND_UNSUPPORTED'],
      ['zipkin-private', 'OK', null],
      ['es-zipkin-private', 'OK', null],
    ]);
  });
});
