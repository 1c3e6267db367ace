/** OTLP/JSON trace data (exporters, the Collector's file exporter, Jaeger's api_v3): wire types and the reader into the canonical model. */
export type * from './wire.js';
export { mapOtlpTraces, otlpToSpans } from './to-model.js';
