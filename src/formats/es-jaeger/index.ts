/** Jaeger's Elasticsearch documents (schema `jaeger`): wire types and the reader into the canonical model. */
export type * from './wire.js';
export { jaegerStoredService, mapJaegerDocs, type JaegerDocOptions } from './to-model.js';
