/** Zipkin's API v2 span JSON: wire types and the reader into the canonical model. */
export type * from './wire.js';
export { DEBUG_ATTRIBUTE, mapZipkinSpans, ZIPKIN_SPAN_KINDS, zipkinSpansToSpans } from './to-model.js';
