/**
 * The traces the exactness tests load into private real servers (test/support/private-servers.ts),
 * shared by the integration tests in test/integration/exactness/ and by
 * scripts/record-exactness-fixtures.ts, which records the servers' answers for the unit tests.
 */
export { FOLDED, FOLDED_ANNOTATION, foldedEventSpan } from './folded-event.js';
export { jaegerV1LossTraces, NAN, PLAIN, ZOO } from './jaeger-v1-losses.js';
export { LINKED, linkToOwnChildTrace } from './link-to-own-child.js';
export { sanitizerWarnedTrace, WARNED } from './sanitizer-warned.js';
export { readSmartThings, SMARTTHINGS, shiftedTo, type WireSpan } from './smartthings.js';
