export { executionSpanPlugin } from './execution-plugin.js';
export { withTraceContext } from './propagation.js';
export { registerRequestSpans } from './request-spans.js';
export { withBackendSpan, withMergeSpan, withMergeSpanAsync } from './spans.js';
export { startTracing, type TracingSdk } from './start-tracing.js';
