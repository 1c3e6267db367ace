/**
 * The deterministic demo dataset: an outdoor shop's traces, generated from a seed (generate-demo-spans.ts).
 * It is data, not a backend: the memory backend loads it at start-up when its config says `demo: true`,
 * and tests, docs and benchmarks use it as a realistic, repeatable trace set.
 */
export { findNightlyReindexTrace, generateDemoSpans, NIGHTLY_REINDEX_OPERATION } from './generate-demo-spans.js';
