/** OTLP/JSON trace data (exporters, the Collector's file exporter, Jaeger's api_v3): wire types and the reader into the canonical model. */
export type * from './wire.js';
export { mapOtlpTraces, OTLP_SPAN_KINDS, OTLP_STATUS_CODES, otlpToSpans } from './to-model.js';
