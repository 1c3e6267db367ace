/** Zipkin's Elasticsearch documents (schema `zipkin`): wire types and the reader into the canonical model. */
export type * from './wire.js';
export { mapZipkinDocs, zipkinKindsOf, zipkinStoredService } from './to-model.js';
