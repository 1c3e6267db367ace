/**
 * A Tracegate gateway in a process of its own, for measuring its peak memory (scenario 6): started by
 * bench/scenarios/big-trace.ts with the backend config as JSON in argv[2]; prints `READY <url>`.
 */
import { startGateway } from '../test/support/gateway.js';

const config = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const gateway = await startGateway(config);
process.stdout.write(`READY ${gateway.url}\n`);
process.on('SIGTERM', () => {
  void gateway.close().then(() => process.exit(0));
});
