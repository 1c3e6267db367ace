/**
 * `npm run backends:up` / `backends:down` / `backends:status`: starts, stops or lists the real Jaeger,
 * Zipkin, Elasticsearch and Redis servers the integration tests and benchmarks use, all on 127.0.0.1,
 * with downloads and builds cached in ~/.cache/tracegate (TRACEGATE_CACHE). Names limit the command
 * to some servers: `npm run backends:up -- zipkin jaeger`.
 */
import { down, SERVERS, up } from '../test/support/harness/servers.js';

const [command = 'up', ...names] = process.argv.slice(2);
const pick = names.length > 0 ? SERVERS.filter((s) => names.includes(s.name)) : SERVERS;

async function main(): Promise<void> {
  if (command === 'up') {
    const t0 = Date.now();
    const result = await up(pick, (line) => console.log(line));
    console.log(
      `backends up in ${((Date.now() - t0) / 1000).toFixed(1)} s (started: ${result.started.join(', ') || 'none'}; reused: ${result.reused.join(', ') || 'none'})`,
    );
  } else if (command === 'down') {
    const stopped = await down(names.length > 0 ? names : undefined);
    console.log(`stopped: ${stopped.join(', ') || 'nothing was running'}`);
  } else if (command === 'status') {
    for (const s of pick) console.log(`${s.name}: ${(await s.healthy().catch(() => false)) ? 'healthy' : 'down'}`);
  } else {
    throw new Error(`unknown command ${command}: use up, down or status`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
