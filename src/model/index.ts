export * from './attributes.js';
export * from './backend-outcome.js';
export * from './ids.js';
export * from './span.js';
export * from './time.js';
export * from './trace.js';
export * from './trace-tree.js';
export * from './trace-view.js';
