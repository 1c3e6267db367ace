/** What every wire format's reader shares: JSON with exact integers, shape checks, how odd values are shown, Jaeger's warnings attribute. */
export { describeValue } from './describe-value.js';
export { parseJsonExact, stringifyJsonExact } from './exact-json.js';
export { isObject, isRecord } from './is-object.js';
export { JAEGER_WARNINGS_ATTRIBUTE, jaegerWarningTexts, takeJaegerWarnings } from './jaeger-warnings.js';
export type { SpanMapping } from './span-mapping.js';
