/** Jaeger's v1 JSON (the query API's `/api/traces`, the UI's downloads): wire types and the reader into the canonical model. */
export type * from './wire.js';
export { jaegerTraceToSpans, mapJaegerTrace, NO_SERVICE_NAME } from './to-model.js';
