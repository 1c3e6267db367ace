/** OTLP/JSON trace data (exporters, the Collector's file exporter, Jaeger's api_v3): wire types, the reader into the canonical model and the writer out of it. */
export type * from './wire.js';
export { mapOtlpTraces } from './to-model.js';
export { tracesToOtlp } from './from-model.js';
