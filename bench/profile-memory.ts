/**
 * Where scenario 6's peak memory comes from: the 100,000-span split trace asked three ways, each in a
 * fresh gateway process (bench/gateway-child.ts), peak RSS (VmHWM) after one request. Needs the bench
 * servers loaded (bench/lib/fixtures.ts). `npx tsx bench/profile-memory.ts`
 *  - idle: the gateway started, nothing asked;
 *  - spanCount only: backend bodies fetched, parsed, mapped and merged, a tiny answer;
 *  - scenario 6's query: the same plus executing and serialising 100,000 spans, asked three times in a
 *    row as scenario 6 does (the peak after each shows what garbage of the earlier ones adds).
 * The differences bound what each stage adds. The child's RSS is also sampled every 25 ms, to show
 * when the peak happens against the first byte of the answer. Extra node flags: the arguments.
 */
import { readFileSync } from 'node:fs';
import { BIG_ID, BIG_SPANS } from './lib/fixtures.js';
import { BIG_TRACE_GATEWAY, QUERY } from './scenarios/big-trace.js';
import { startGatewayProcess } from './lib/gateway-process.js';

const QUERIES = {
  idle: null,
  'spanCount only': `query ($id: ID!) { trace(id: $id) { spanCount } }`,
  "scenario 6's query": QUERY,
};

const flags = process.argv.slice(2);
for (const [name, query] of Object.entries(QUERIES)) {
  const gateway = await startGatewayProcess(BIG_TRACE_GATEWAY, { nodeFlags: flags });
  try {
    const rss: Array<[number, number]> = [];
    const t0 = performance.now();
    const timer = setInterval(() => {
      const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${gateway.pid}/status`, 'utf8'))?.[1] ?? NaN);
      rss.push([performance.now() - t0, kb / 1024]);
    }, 25);
    const peaks: string[] = [];
    let firstByteMs = 0;
    for (let i = 0; i < (query === null ? 0 : name === 'spanCount only' ? 1 : 3); i++) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { id: BIG_ID } }),
      });
      if (i === 0) firstByteMs = performance.now() - t0;
      const body = (await response.json()) as { data?: { trace?: { spanCount: number } | null } };
      if (body.data?.trace?.spanCount !== BIG_SPANS)
        throw new Error(`the gateway answered ${JSON.stringify(body).slice(0, 300)}: are the bench servers loaded?`);
      peaks.push(gateway.peakRssMiB().toFixed(0));
    }
    clearInterval(timer);
    const peak = rss.reduce((a, b) => (b[1] > a[1] ? b : a), [0, 0]);
    console.log(
      `${name}: peak RSS ${gateway.peakRssMiB().toFixed(0)} MiB, after each request ${peaks.join(' / ') || '—'} (sampled peak ${peak[1].toFixed(0)} MiB at ${peak[0].toFixed(0)} ms; first answer's first byte at ${firstByteMs.toFixed(0)} ms)`,
    );
  } finally {
    gateway.close();
  }
}
