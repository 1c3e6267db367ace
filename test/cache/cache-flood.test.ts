/**
 * The in-process cache under a flood, end to end: a real gateway in its own process with a capped
 * heap (the demo memory backend, cache on, no Redis), and many callers each asking for the
 * 1,000-span demo trace as a fresh tenant (240 configured; without authentication X-Tenant picks one,
 * and each tenant is its own cache scope), then every demo trace by id. Charged at their
 * gzip size (50 kB) the answers (~2.5 MB of heap each) outgrew the 192 MB heap after ~70 requests
 * and V8 aborted the process.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateDemoSpans } from '../../src/demo/index.js';
import { nowMicros } from '../../src/model/index.js';
import { startGatewayProcess, type ChildHeap } from '../support/gateway-process.js';

const MiB = 1024 * 1024;
const MAX_BYTES = 32 * MiB;
const HEAP_CAP_MB = 192;
const BIG_ID = 'fc399502bce824169cf1ea00b42069cf';
const TENANTS = 240;
const CLIENTS = 8;
const ALL_IDS = [...new Set(generateDemoSpans({ seed: 42, nowUs: nowMicros() }).map((s) => s.traceId))];

const held = (heap: ChildHeap) => heap.heapUsedBytes + heap.externalBytes;

/**
 * Runs `work(0 … count-1)` on `clients` concurrent loops, like that many callers, until done or
 * `isDown()`. A request that throws (the connection reset by a dying gateway) is a failure.
 */
async function flood(count: number, clients: number, isDown: () => boolean, failures: unknown[], work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const client = async () => {
    while (next < count && !isDown()) {
      const i = next++;
      await work(i).catch((error: Error) => failures.push({ i, error: error.message }));
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
}

describe('cache flood against a gateway with a capped heap', () => {
  it('stays up, answers every request, and keeps the cache within memory.maxBytes', async () => {
    const gateway = await startGatewayProcess(
      {
        backends: [{ name: 'demo', kind: 'memory', demo: true }],
        cache: { memory: { maxBytes: MAX_BYTES } },
        tenants: Object.fromEntries(Array.from({ length: TENANTS }, (_, i) => [`tenant-${i}`, { backends: ['demo'] }])),
      },
      [`--max-old-space-size=${HEAP_CAP_MB}`],
    );
    onTestFinished(() => gateway.stop());
    const post = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as { data?: any; errors?: unknown[] } };
    };
    const TRACE = 'query ($id: ID!) { trace(id: $id) { spanCount rootSpan { children { spanId } } backendStatus { cached } } }';
    const warm = await post(TRACE, { id: BIG_ID });
    expect(warm.body.data?.trace?.spanCount).toBe(1_000);
    const baseline = await gateway.heap();

    const failures: unknown[] = [];
    const isDown = () => gateway.exitCode !== null;
    // Each fresh tenant is a new key: the first cache.scopes.max (100) get a slot, the rest are served uncached.
    await flood(TENANTS, CLIENTS, isDown, failures, async (i) => {
      const { status, body } = await post(TRACE, { id: BIG_ID }, { 'x-tenant': `tenant-${i}` });
      if (status !== 200 || body.errors !== undefined || body.data?.trace?.spanCount !== 1_000) failures.push({ i, status, errors: body.errors });
    });
    // Then every demo trace by id, 20 per request, under one admitted tenant.
    const batches = Array.from({ length: Math.ceil(ALL_IDS.length / 20) }, (_, i) => ALL_IDS.slice(i * 20, i * 20 + 20));
    await flood(batches.length, CLIENTS, isDown, failures, async (i) => {
      const { status, body } = await post(
        'query ($ids: [ID!]!) { traces(ids: $ids) { spanCount } }',
        { ids: batches[i] },
        { 'x-tenant': 'tenant-0' },
      );
      if (status !== 200 || body.errors !== undefined || body.data?.traces?.some((t: unknown) => t === null))
        failures.push({ batch: i, status, errors: body.errors });
    });

    expect(gateway.exitCode, gateway.stderr.slice(0, 2_000)).toBeNull();
    expect(failures).toEqual([]);
    const after = await gateway.heap();
    const metrics = await (await fetch(`${gateway.origin}/metrics`)).text();
    const gauge = (line: string) =>
      Number(
        metrics
          .split('\n')
          .find((l) => l.startsWith(line))
          ?.slice(line.length + 1),
      );
    const charged = gauge('tracegate_cache_memory_bytes{tier="encoded"}') + gauge('tracegate_cache_memory_bytes{tier="decoded"}');

    expect(charged).toBeGreaterThan(MAX_BYTES / 4);
    expect(charged).toBeLessThanOrEqual(MAX_BYTES);
    // What the flood left behind, heap and Buffers, after full collections: the cache, plus a
    // quarter for what else lives as long as its entries (merged traces, their trees) and the code
    // V8 compiled meanwhile.
    expect(held(after) - held(baseline)).toBeLessThanOrEqual(1.25 * MAX_BYTES);
    expect(gauge('tracegate_cache_scopes')).toBe(100);
  }, 60_000);
});
