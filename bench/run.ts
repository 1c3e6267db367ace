/**
 * `npm run bench`: starts the real servers (shared and the benchmark's private ones), loads the
 * benchmark traces, runs the six scenarios of issue 7, the cache-tier one of issue 11, the
 * compression one of issue 15 (`npm run bench -- 8` runs it alone, without servers) and the search
 * and event-loop-lag ones of issue 16, the freeze one of issue 18 (`npm run bench -- 11`: with the shared
 * servers only), prints the table and writes bench/RESULTS.md.
 * Every loop is bounded in count and time; the whole run takes a few minutes.
 */
import { writeFileSync } from 'node:fs';
import { startGateway } from '../test/support/gateway.js';
import { BENCH_BACKENDS, startBenchServers, stopBenchServers } from './lib/fixtures.js';
import { render, type ScenarioResult } from './lib/report.js';
import { batching } from './scenarios/batching.js';
import { bigTraceScenario } from './scenarios/big-trace.js';
import { cacheHits } from './scenarios/cache-hits.js';
import { cacheMemoryTiers } from './scenarios/cache-memory.js';
import { compressionScenario } from './scenarios/compression.js';
import { eventLoopLag } from './scenarios/event-loop-lag.js';
import { freezeScenario } from './scenarios/freeze.js';
import { overheadOnMiss } from './scenarios/overhead.js';
import { processingCost } from './scenarios/processing.js';
import { searchScenario } from './scenarios/search.js';
import { slowBackend } from './scenarios/slow-backend.js';

const t0 = performance.now();
const log = (line: string) => console.log(`[bench] ${line}`);
const only = process.argv.slice(2);
const wanted = (n: number) => only.length === 0 || only.includes(String(n));

// Scenario 8 (compression) runs in process on the demo data: alone, it needs no server; scenario 11
// (freeze) starts its own Zipkin and Redis beside the shared servers.
const needsServers = only.length === 0 || only.some((n) => n !== '8' && n !== '11');
if (needsServers) await startBenchServers(log);
const results: ScenarioResult[] = [];
try {
  if (wanted(1)) {
    const gateway = await startGateway({
      backends: [BENCH_BACKENDS.jaeger, BENCH_BACKENDS.zipkin, BENCH_BACKENDS.es],
      cache: { enabled: false },
      limits: { maxCost: 10_000_000 },
    });
    try {
      log('scenario 1: overhead on a miss');
      results.push(await overheadOnMiss(gateway));
    } finally {
      await gateway.close();
    }
  }
  const search = async () => {
    const gateway = await startGateway({ backends: [BENCH_BACKENDS.jaeger, BENCH_BACKENDS.zipkin, BENCH_BACKENDS.es], cache: { enabled: false } });
    try {
      return await searchScenario(gateway);
    } finally {
      await gateway.close();
    }
  };
  const scenarios: Array<[number, string, () => Promise<ScenarioResult>]> = [
    [2, 'processing cost', processingCost],
    [3, 'cache hits', cacheHits],
    [4, 'batching', batching],
    [5, 'slow backend', slowBackend],
    [6, 'big trace', bigTraceScenario],
    [7, 'in-process cache tiers', cacheMemoryTiers],
    [8, 'compression', compressionScenario],
    [9, 'search', search],
    [10, 'event-loop lag', eventLoopLag],
    [11, 'degrade fast (frozen Zipkin, frozen Redis)', freezeScenario],
  ];
  for (const [n, name, run] of scenarios) {
    if (!wanted(n)) continue;
    log(`scenario ${n}: ${name}`);
    results.push(await run());
  }
} finally {
  if (needsServers) await stopBenchServers();
}
const markdown = render(results, (performance.now() - t0) / 1000);
console.log(markdown);
if (only.length === 0) writeFileSync(new URL('./RESULTS.md', import.meta.url), `${markdown}\n`);
