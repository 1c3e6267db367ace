/**
 * A Tracegate gateway in a process of its own, so what is measured is the gateway's alone: its peak
 * memory (scenario 6) and its event-loop delay (scenario 10). Started by bench/lib/gateway-process.ts
 * with the config as JSON in argv[2]; prints `READY <url>`. With `--lag` in argv[3] it samples its
 * event-loop delay (node:perf_hooks, every 10 ms) and answers the lines `reset` (start again) and
 * `report` (prints `LAG <json>`, milliseconds) on stdin.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { startGateway } from '../test/support/gateway.js';

const config = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const gateway = await startGateway(config);
if (process.argv[3] === '--lag') {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const ms = (ns: number) => ns / 1e6;
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'reset') delay.reset();
    if (line === 'report') {
      const stats = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), samples: delay.count };
      process.stdout.write(`LAG ${JSON.stringify(stats)}\n`);
    }
  });
}
process.stdout.write(`READY ${gateway.url}\n`);
process.on('SIGTERM', () => {
  void gateway.close().then(() => process.exit(0));
});
