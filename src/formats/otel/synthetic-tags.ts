/**
 * The tags OpenTelemetry's translators write for what Jaeger's v1 model and Zipkin's v2 model have no
 * field for (open-telemetry/opentelemetry-collector-contrib `pkg/translator/jaeger` and
 * `pkg/translator/zipkin`), and how a reader folds them back into the canonical kind, status and scope.
 * One table for every reader (../jaeger-json/, ../zipkin-v2/, ../es-jaeger/, ../es-zipkin/) and for the
 * Elasticsearch queries that must match what the readers keep, so a span reported to two backends
 * maps alike and dedupe can fold the copies. What each format does beyond the table (which tag wins,
 * which warnings it gives) stays in its own reader.
 */
import { attributeText, type Attribute, type InstrumentationScope, type SpanKind, type StatusCode } from '../../model/index.js';
import { describeValue } from '../shared/index.js';

export const OTEL_TAGS = {
  spanKind: 'span.kind',
  error: 'error',
  statusCode: 'otel.status_code',
  statusDescription: 'otel.status_description',
  /** Current name first; `otel.library.*` is what translators wrote before the scope rename. */
  scopeName: ['otel.scope.name', 'otel.library.name'],
  scopeVersion: ['otel.scope.version', 'otel.library.version'],
} as const;

/** Values of the `span.kind` tag, lower-cased (OTLP's UNSPECIFIED has no tag). */
export const SPAN_KIND_TAG_VALUES: Readonly<Record<string, SpanKind>> = {
  client: 'CLIENT',
  server: 'SERVER',
  producer: 'PRODUCER',
  consumer: 'CONSUMER',
  internal: 'INTERNAL',
};

/** The other way: the `span.kind` value of each canonical kind ('' for UNSPECIFIED, which has none). */
export const SPAN_KIND_TAG_BY_KIND: Readonly<Record<SpanKind, string>> = {
  UNSPECIFIED: '',
  INTERNAL: 'internal',
  SERVER: 'server',
  CLIENT: 'client',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};

/** Values of the `otel.status_code` tag, upper-cased; the STATUS_CODE_* names come from older translators. */
export const OTEL_STATUS_CODES: Readonly<Record<string, StatusCode>> = {
  UNSET: 'UNSET',
  OK: 'OK',
  ERROR: 'ERROR',
  STATUS_CODE_UNSET: 'UNSET',
  STATUS_CODE_OK: 'OK',
  STATUS_CODE_ERROR: 'ERROR',
};

/** The kind a `span.kind` tag value names, whatever its case; undefined for any other value. */
export function spanKindFromTag(value: unknown): SpanKind | undefined {
  return typeof value === 'string' ? SPAN_KIND_TAG_VALUES[value.toLowerCase()] : undefined;
}

/** The status code an `otel.status_code` tag names; undefined, with a warning, when it names none. */
export function statusCodeFromTag(tag: Attribute, warnings: string[]): StatusCode | undefined {
  const code = typeof tag.value === 'string' ? OTEL_STATUS_CODES[tag.value.trim().toUpperCase()] : undefined;
  if (code === undefined) warnings.push(`${OTEL_TAGS.statusCode} ${describeValue(tag.value)} is not OK, ERROR or UNSET; ignored`);
  return code;
}

/**
 * The scope the `otel.scope.*` (or older `otel.library.*`) tags name, or null when there are none.
 * `take` removes a tag from the reader's attributes and returns it: every spelling is removed, the
 * current one wins.
 */
export function takeScopeTags(take: (key: string) => Attribute | undefined): InstrumentationScope | null {
  let name: string | null = null;
  let version: string | null = null;
  for (const key of OTEL_TAGS.scopeName) {
    const tag = take(key);
    if (tag !== undefined && name === null) name = attributeText(tag);
  }
  for (const key of OTEL_TAGS.scopeVersion) {
    const tag = take(key);
    if (tag !== undefined && version === null) version = attributeText(tag);
  }
  if (name === null && version === null) return null;
  return { name: name ?? '', version: version === '' ? null : version };
}
