/** Jaeger's v1 JSON (the query API's `/api/traces`, the UI's downloads): wire types and the reader into the canonical model. */
export type * from './wire.js';
export {
  jaegerResponseToTraces,
  jaegerTraceToSpans,
  mapJaegerTrace,
  mapKeyValues,
  NO_SERVICE_NAME,
  type JaegerResponseMapping,
  type JaegerTraceMapping,
} from './to-model.js';
