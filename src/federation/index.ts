export { createDeadline, type Deadline } from './deadline.js';
export { fanOut, type CachedView, type FanOutOptions, type RequestCache } from './fan-out.js';
export { fetchTraces, type TraceLookup } from './fetch-traces.js';
export { Gateway } from './gateway.js';
export { mergeTrace, type MergeOptions } from './merge.js';
export { federatedDependencies, federatedNames, federatedOperations, federatedServices, type Sourced } from './metadata.js';
export { federatedRemoteServices } from './remote-services.js';
export { mergeHits, searchTraces } from './search.js';
export { criticalPathOf, spanSelfTimeUs, type CriticalPathSection } from './critical-path.js';
