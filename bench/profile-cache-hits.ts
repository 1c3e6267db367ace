/**
 * Profiles the cached trace-summary path under load (`node --cpu-prof --import tsx
 * bench/profile-cache-hits.ts`), the hot path of scenario 3. Starts and stops the bench servers.
 */
import autocannon from 'autocannon';
import { startGateway } from '../test/support/gateway.js';
import { BENCH_BACKENDS, sizedTraceId, startBenchServers, stopBenchServers } from './lib/fixtures.js';

await startBenchServers(() => {});
const gateway = await startGateway({ backends: [BENCH_BACKENDS.jaeger, BENCH_BACKENDS.zipkin] });
try {
  const query = `query ($id: ID!) { trace(id: $id) { traceId spanCount durationUs services errorCount rootSpan { name service } } }`;
  const body = JSON.stringify({ query, variables: { id: sizedTraceId(100) } });
  await gateway.query(query, { id: sizedTraceId(100) });
  const r = await autocannon({
    url: gateway.url,
    connections: 20,
    duration: 8,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  console.log(`${r.requests.average} req/s`);
} finally {
  await gateway.close();
  await stopBenchServers();
}
