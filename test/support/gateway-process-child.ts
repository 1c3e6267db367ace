/**
 * The child side of gateway-process.ts: a Tracegate gateway in a process of its own, configured by
 * the JSON in argv[2]. Prints `READY <url>` once it listens, then answers `heap` messages over the IPC
 * channel with the heap after two full collections (needs --expose-gc).
 */
import v8 from 'node:v8';
import { startGateway } from './gateway.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined || process.send === undefined) throw new Error('run by test/support/gateway-process.ts: needs --expose-gc and an IPC channel');

const gateway = await startGateway(JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>);

process.on('message', (message: { type?: string }) => {
  if (message.type !== 'heap') return;
  // Twice: the first collection may only run finalizers (WeakMap entries, disposed buffers).
  gc();
  gc();
  const memory = process.memoryUsage();
  process.send!({
    type: 'heap',
    heapUsedBytes: v8.getHeapStatistics().used_heap_size,
    externalBytes: memory.external,
    rssBytes: memory.rss,
  });
});
process.on('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
process.stdout.write(`READY ${gateway.url}\n`);
