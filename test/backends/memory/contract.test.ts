/**
 * The memory backend runs the shared contract suite with nothing listed as unsupported and no
 * tolerances: it is the reference every other backend is measured against. It runs twice, on the
 * small hand-written dataset (every search and dependency case, ties, shared spans) and on the demo
 * data (300 traces, one of 1,000 spans).
 */
import { MemoryBackend } from '../../../src/backends/memory/index.js';
import { generateDemoSpans } from '../../../src/demo/index.js';
import { runBackendContract } from '../contract.js';
import { smallDataset } from './small-dataset.js';

runBackendContract('memory (small dataset)', async () => {
  const spans = smallDataset();
  const backend = new MemoryBackend('memory-small');
  // Reversed, so that no answer can come out right merely by following insertion order.
  backend.addSpans([...spans].reverse());
  return { backend, dataset: { spans }, cleanup: () => backend.close() };
});

runBackendContract('memory (demo data)', async () => {
  const spans = generateDemoSpans({ seed: 42, nowUs: 1_750_000_000_000_000 });
  const backend = new MemoryBackend('memory-demo');
  backend.addSpans(spans);
  return { backend, dataset: { spans }, cleanup: () => backend.close() };
});
