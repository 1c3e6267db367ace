import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { MemoryBackend } from '../../src/backends/memory/index.js';
import { parseTraceId } from '../../src/model/index.js';
import { stringifyResult } from '../../src/server/stream-response.js';
import { bigTrace } from '../support/dataset/big-trace.js';
import { startGateway } from '../support/gateway.js';

const ID = parseTraceId('57ea4000000000000000000000000001');
const SPANS = 2_000;
const FULL =
  'query ($id: ID!) { trace(id: $id) { spanCount spans { spanId parentSpanId name service startTimeUs durationUs attributes { key value } } } }';
const SMALL = 'query ($id: ID!) { trace(id: $id) { spanCount } }';

function backend(): MemoryBackend {
  const memory = new MemoryBackend('mem');
  memory.addSpans(bigTrace({ traceId: ID, spanCount: SPANS, baseUs: Date.now() * 1_000 - 3_600_000_000 }));
  return memory;
}
const config = { backends: [{ name: 'mem', kind: 'memory' }], cache: { enabled: false }, limits: { maxCost: 10_000_000 } };

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

function post(url: string, query: string, acceptEncoding = 'identity'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'accept-encoding': acceptEncoding };
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query, variables: { id: ID } }));
  });
}

const isStreamed = (raw: Raw) => raw.headers['transfer-encoding'] === 'chunked' && raw.headers['content-length'] === undefined;

describe('GraphQL answers longer than one chunk', () => {
  const gatewayStarted = startGateway(config, [backend()]);
  afterAll(async () => (await gatewayStarted).close());

  it('are streamed, as the bytes JSON.stringify writes and a newline', async () => {
    const gateway = await gatewayStarted;
    const raw = await post(gateway.url, FULL);
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^application\/(graphql-response\+)?json/);
    expect(isStreamed(raw)).toBe(true);
    const text = raw.bytes.toString('utf8');
    expect(text.length).toBeGreaterThan(64 * 1024);
    const body = JSON.parse(text) as { data: { trace: { spanCount: number; spans: unknown[] } } };
    expect(body.data.trace.spans).toHaveLength(SPANS);
    expect(text).toBe(`${JSON.stringify(body)}\n`);
  });

  it('leave short answers whole, with their Content-Length', async () => {
    const gateway = await gatewayStarted;
    const raw = await post(gateway.url, SMALL);
    expect(isStreamed(raw)).toBe(false);
    expect(Number(raw.headers['content-length'])).toBe(raw.bytes.length);
    expect(raw.bytes.toString('utf8')).toBe(`${JSON.stringify({ data: { trace: { spanCount: SPANS } } })}\n`);
  });

  it('are compressed as a stream when the client accepts gzip', async () => {
    const gateway = await gatewayStarted;
    const [plain, gzipped] = [await post(gateway.url, FULL), await post(gateway.url, FULL, 'gzip')];
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.bytes).equals(plain.bytes)).toBe(true);
  });
});

describe('a streamed answer in the audit log', () => {
  it('is recorded with the length of the body sent, before compression', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tracegate-audit-')), 'audit.log');
    onTestFinished(() => rmSync(dirname(file), { recursive: true, force: true }));
    const gateway = await startGateway({ ...config, audit: { enabled: true, sink: 'file', file } }, [backend()]);
    let sent: number[] = [];
    try {
      const plain = await post(gateway.url, FULL);
      const gzipped = await post(gateway.url, FULL, 'gzip');
      expect(isStreamed(plain)).toBe(true);
      sent = [plain.bytes.length, gunzipSync(gzipped.bytes).length];
    } finally {
      await gateway.close();
    }
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { bytes: number });
    expect(lines.map((l) => l.bytes)).toEqual(sent);
  });
});

describe('stringifyResult outside the GraphQL route', () => {
  it('returns the whole text, however long (nothing could stream it)', () => {
    const value = { data: { list: Array.from({ length: 20_000 }, (_, i) => ({ i, s: 'x'.repeat(10) })) } };
    expect(stringifyResult(value)).toBe(`${JSON.stringify(value)}\n`);
  });
});
