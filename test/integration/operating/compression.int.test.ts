/**
 * Compression on a real trace: the shared Jaeger's CHECKOUT trace through Tracegate's Jaeger API and
 * GraphQL, fetched plain, gzip and brotli off the socket. Each compressed body decodes to exactly the
 * plain bytes, and is smaller.
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_IDS } from '../../support/dataset/dataset.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { BACKEND_CONFIG } from '../../support/real-backends.js';

function fetchRaw(url: string, acceptEncoding: string, body?: string): Promise<{ status: number; encoding: string | undefined; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'accept-encoding': acceptEncoding,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const req = request(url, { method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('compression of a real trace from the shared Jaeger', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ backends: [BACKEND_CONFIG.jaeger], cache: { enabled: false } });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const cases = [
    { description: 'Jaeger API /api/traces/{id}', url: () => `${new URL(gateway.url).origin}/api/traces/${TRACE_IDS.CHECKOUT}`, body: undefined },
    {
      description: 'GraphQL trace(id:)',
      url: () => gateway.url,
      body: JSON.stringify({
        query: `{ trace(id: "${TRACE_IDS.CHECKOUT}") { traceId spanCount spans { spanId name service attributes { key value } sources } } }`,
      }),
    },
  ];
  it.each(cases)('$description: gzip and brotli decode to the plain bytes, and are smaller', async ({ url, body }) => {
    const plain = await fetchRaw(url(), 'identity', body);
    expect(plain.status).toBe(200);
    expect(plain.encoding).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(1024); // above the default threshold, so compression applies
    expect(plain.bytes.toString('utf8')).toContain(TRACE_IDS.CHECKOUT);
    const gzip = await fetchRaw(url(), 'gzip', body);
    const brotli = await fetchRaw(url(), 'br', body);
    expect([gzip.encoding, brotli.encoding]).toEqual(['gzip', 'br']);
    expect(gunzipSync(gzip.bytes).equals(plain.bytes)).toBe(true);
    expect(brotliDecompressSync(brotli.bytes).equals(plain.bytes)).toBe(true);
    expect(gzip.bytes.length).toBeLessThan(plain.bytes.length / 2);
    expect(brotli.bytes.length).toBeLessThan(plain.bytes.length / 2);
  });
});
