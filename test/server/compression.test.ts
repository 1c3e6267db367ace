/**
 * Response compression (server/compression.ts) on every surface, over real HTTP with the raw bytes
 * read off the socket: GraphQL (Apollo's Fastify integration), the Jaeger API (its preSerialization
 * envelope), the Zipkin API and the explorer's static files (streamed by @fastify/static). Each
 * compressed body decodes to exactly the identity body; small bodies and clients that ask for none
 * stay plain; `enabled: false` turns it off.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

/** The demo's 1,000-span nightly-reindex trace (test/demo/generate-demo-spans.test.ts pins its id). */
const REINDEX = 'fc399502bce824169cf1ea00b42069cf';
const TRACE_QUERY = `{ trace(id: "${REINDEX}") { spanCount spans { spanId parentSpanId name service startTimeUs durationUs attributes { key value } } } }`;

interface Raw {
  status: number;
  encoding: string | undefined;
  vary: string | undefined;
  bytes: Buffer;
}

function fetchRaw(url: string, acceptEncoding: string, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'accept-encoding': acceptEncoding };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = request(url, { method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: res.headers['content-encoding'],
          vary: res.headers.vary as string | undefined,
          bytes: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const decode = (raw: Raw): Buffer =>
  raw.encoding === 'br' ? brotliDecompressSync(raw.bytes) : raw.encoding === 'gzip' ? gunzipSync(raw.bytes) : raw.bytes;

describe('compression on', () => {
  let gateway: TestGateway;
  let origin: string;
  beforeAll(async () => {
    gateway = await startGateway({});
    origin = new URL(gateway.url).origin;
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const surfaces = [
    { description: 'GraphQL (Apollo)', path: () => gateway.url, body: JSON.stringify({ query: TRACE_QUERY }), minRatio: 10 },
    { description: 'the Jaeger API (preSerialization envelope)', path: () => `${origin}/api/traces/${REINDEX}`, body: undefined, minRatio: 10 },
    { description: 'the Zipkin API', path: () => `${origin}/api/v2/trace/${REINDEX}`, body: undefined, minRatio: 10 },
    {
      description: "the explorer's static JavaScript (a file stream)",
      path: () => `${origin}/explorer/assets/graphiql.js`,
      body: undefined,
      minRatio: 2,
    },
  ];
  it.each(surfaces)('compresses $description with brotli and gzip, each decoding to the identity body', async ({ path, body, minRatio }) => {
    const identity = await fetchRaw(path(), 'identity', body);
    expect(identity.status).toBe(200);
    expect(identity.encoding).toBeUndefined();
    for (const [accept, expected] of [
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['gzip, deflate, br', 'br'], // what browsers send: brotli preferred
      ['br;q=0.5, gzip', 'gzip'], // the client's weights win
    ] as const) {
      const compressed = await fetchRaw(path(), accept, body);
      expect(compressed.status, accept).toBe(200);
      expect(compressed.encoding, accept).toBe(expected);
      expect(compressed.vary?.toLowerCase(), accept).toContain('accept-encoding');
      expect(decode(compressed).equals(identity.bytes), accept).toBe(true);
      expect(compressed.bytes.length * minRatio, accept).toBeLessThan(identity.bytes.length);
    }
  });

  it('leaves a body under thresholdBytes plain (/healthz)', async () => {
    const small = await fetchRaw(`${origin}/healthz`, 'br, gzip');
    expect(small.status).toBe(200);
    expect(small.encoding).toBeUndefined();
    expect(JSON.parse(small.bytes.toString('utf8'))).toEqual({ status: 'ok' });
  });

  it('sends identity to a client that accepts no encoding we offer', async () => {
    const plain = await fetchRaw(`${origin}/api/traces/${REINDEX}`, 'zstd');
    expect(plain.status).toBe(200);
    expect(plain.encoding).toBeUndefined();
    expect((JSON.parse(plain.bytes.toString('utf8')) as { data: Array<{ spans: unknown[] }> }).data[0]!.spans).toHaveLength(1_000);
  });
});

describe('compression with the audit log on', () => {
  it("records the body's length before compression in the audit line, whatever the client accepts", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tracegate-audit-')), 'audit.log');
    onTestFinished(() => rmSync(dirname(file), { recursive: true, force: true }));
    const gateway = await startGateway({ audit: { enabled: true, sink: 'file', file } });
    let identityBytes = 0;
    try {
      const url = `${new URL(gateway.url).origin}/api/traces/${REINDEX}`;
      identityBytes = (await fetchRaw(url, 'identity')).bytes.length;
      expect((await fetchRaw(url, 'gzip')).encoding).toBe('gzip'); // compressed as a stream: no content-length
    } finally {
      await gateway.close();
    }
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { bytes: number });
    expect(lines.map((l) => l.bytes)).toEqual([identityBytes, identityBytes]);
  });
});

describe('compression off', () => {
  it('sends every body plain with server.compression.enabled: false', async () => {
    const gateway = await startGateway({ server: { compression: { enabled: false } } });
    try {
      const raw = await fetchRaw(`${new URL(gateway.url).origin}/api/traces/${REINDEX}`, 'br, gzip');
      expect(raw.status).toBe(200);
      expect(raw.encoding).toBeUndefined();
      expect(raw.bytes.length).toBeGreaterThan(100_000);
    } finally {
      await gateway.close();
    }
  });
});
