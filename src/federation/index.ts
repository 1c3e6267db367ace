export { createDeadline, type Deadline } from './deadline.js';
export { callBackend, fanOut, type CachedView, type FanOutEntry, type FanOutOptions, type RequestCache } from './fan-out.js';
export { fetchTraces, type TraceLookup } from './fetch-traces.js';
export { Gateway, type GatewayLogger } from './gateway.js';
export { mergeTrace, type MergeOptions } from './merge.js';
export { federatedDependencies, federatedNames, federatedOperations, federatedServices, type Federated, type Sourced } from './metadata.js';
export { mergeHits, searchTraces, unsupportedReason, type SearchResult } from './search.js';
