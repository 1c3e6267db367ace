/** OpenTelemetry's tag tables, shared by every reader: synthetic tags and semantic-convention keys. */
export { ENDPOINT_ATTRIBUTES, REF_TYPE_ATTRIBUTE, SERVICE_NAME_ATTRIBUTE, TRACE_STATE_ATTRIBUTE } from './semantic-conventions.js';
export {
  OTEL_TAGS,
  SPAN_KIND_TAG_BY_KIND,
  SPAN_KIND_TAG_VALUES,
  spanKindFromTag,
  statusCodeFromTag,
  takeScopeTags,
} from './synthetic-tags.js';
