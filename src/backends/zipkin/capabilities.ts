/** What Zipkin's API v2 can do exactly: everything but telling operations apart by span kind. */
import { ALL_CAPABILITIES, type BackendCapabilities } from '../backend.js';

export const ZIPKIN_CAPABILITIES: BackendCapabilities = {
  ...ALL_CAPABILITIES,
  // /api/v2/spans lists names only; Zipkin keeps no kind per operation.
  operationsBySpanKind: false,
};
