/** Zipkin's API v2 span JSON: wire types, the reader into the canonical model and the writer out of it. */
export type * from './wire.js';
export { DEBUG_ATTRIBUTE, mapZipkinSpans, ZIPKIN_SPAN_KINDS, zipkinSpansToSpans } from './to-model.js';
export { spansToZipkinSpans } from './from-model.js';
