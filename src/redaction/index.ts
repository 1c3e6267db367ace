export { redactionConfigSchema, type RedactionConfig } from './config.js';
export { Redactor } from './redactor.js';
export { checkSearch, redactNames, redactOperations, REDACTED_FILTER } from './search-filter.js';
