/**
 * Profiles scenario 2 alone (`node --cpu-prof --import tsx bench/profile-processing.ts`): the private
 * bench servers must already hold the 10,000-span trace (run `npm run bench -- 2` first, which
 * leaves nothing running, so this starts them itself).
 */
import { startBenchServers, stopBenchServers } from './lib/fixtures.js';
import { processingCost } from './scenarios/processing.js';

await startBenchServers(() => {});
try {
  const r = await processingCost();
  console.log(JSON.stringify(r.rows));
} finally {
  await stopBenchServers();
}
