/**
 * Canonical queries → Elasticsearch query DSL, for both span schemas. Pure; no I/O. Only structured
 * queries (`term`, `terms`, `range`, `exists`, `nested`, `bool`) carry user text: never
 * `query_string`, `regexp` or `wildcard`, so a value is always compared as itself (Jaeger's own reader
 * treats tag values as regular expressions, docs/formats/elasticsearch.md §1.6; Tracegate does not).
 *
 * Search semantics are Tracegate's one-span rule (../shared/match-query.ts), and every clause below
 * applies to ONE span document: service, operation, each attribute, duration and a start inside the
 * window. An attribute filter matches what the canonical mapping would show as that attribute, so the
 * synthetic tags the mappers fold into kind, status and scope (../../formats/jaeger-json/to-model.ts,
 * ../../formats/zipkin-v2/to-model.ts) are matched only where the mapping keeps them as attributes; `error=true|false`
 * means the status the mapping derives. Where the index cannot tell (Zipkin does not index endpoint
 * addresses; values over 256 characters are not indexed) the query is refused, never approximated.
 */
import { UNKNOWN_SERVICE, compactTraceId, type TraceId } from '../../model/index.js';
import type { AttributeFilter, TraceQuery } from '../backend.js';
import { NO_SERVICE_NAME } from '../../formats/jaeger-json/index.js';
import { ENDPOINT_ATTRIBUTES, OTEL_TAGS, SPAN_KIND_TAG_VALUES, spanKindFromTag } from '../../formats/otel/index.js';
import { DEBUG_ATTRIBUTE } from '../../formats/zipkin-v2/index.js';
import type { EsBody } from './client.js';
import type { EsSchema } from './index-names.js';

/** Where each schema keeps what a search needs. Both keep µs in a `long` and ms in a `date`. */
export interface SchemaFields {
  traceId: string;
  /** µs since the epoch (`long`): exact window bounds. */
  startUs: string;
  /** ms since the epoch (`date`): lets Elasticsearch skip shards outside the window. */
  startMs: string;
  service: string;
  operation: string;
  durationUs: string;
}

export const SCHEMA_FIELDS: Readonly<Record<EsSchema, SchemaFields>> = {
  jaeger: {
    traceId: 'traceID',
    startUs: 'startTime',
    startMs: 'startTimeMillis',
    service: 'process.serviceName',
    operation: 'operationName',
    durationUs: 'duration',
  },
  // `timestamp` has no explicit mapping in Zipkin's template; dynamic mapping makes it a `long`.
  zipkin: {
    traceId: 'traceId',
    startUs: 'timestamp',
    startMs: 'timestamp_millis',
    service: 'localEndpoint.serviceName',
    operation: 'name',
    durationUs: 'duration',
  },
};

export interface QueryOptions {
  schema: EsSchema;
  /** Jaeger `tags_as_fields.dot_replacement`: `.` in tag keys becomes this in `tag.*` field names. */
  tagDotReplacement: string;
}

/** Keyword fields of both schemas are mapped with `ignore_above: 256`: longer values are not indexed. */
const IGNORE_ABOVE = 256;

const MATCH_NONE: EsBody = { match_none: {} };

const term = (field: string, value: string | boolean): EsBody => ({ term: { [field]: value } });
const terms = (field: string, values: readonly string[]): EsBody => ({ terms: { [field]: [...values] } });
const exists = (field: string): EsBody => ({ exists: { field } });
const anyOf = (clauses: readonly EsBody[]): EsBody =>
  clauses.length === 1 ? clauses[0]! : { bool: { should: [...clauses], minimum_should_match: 1 } };
const allOf = (filter: readonly EsBody[], mustNot: readonly EsBody[] = []): EsBody => ({
  bool: { filter: [...filter], ...(mustNot.length > 0 ? { must_not: [...mustNot] } : {}) },
});

// ---------------------------------------------------------------------------------------------
// Trace ids

/**
 * Every form a trace id may be stored under. Jaeger: 32 hex (v2.7+), 16 hex for a 64-bit id
 * (v1.16–v2.6), and without leading zeros (before v1.16). Zipkin (strict ids): 16 hex for a 64-bit
 * id, else 32.
 */
export function traceIdForms(schema: EsSchema, id: TraceId): string[] {
  if (schema === 'zipkin') return [compactTraceId(id)];
  return [...new Set([id, compactTraceId(id), id.replace(/^0+/, '')])];
}

export function traceIdsQuery(schema: EsSchema, ids: readonly TraceId[]): EsBody {
  return terms(SCHEMA_FIELDS[schema].traceId, [...new Set(ids.flatMap((id) => traceIdForms(schema, id)))]);
}

// ---------------------------------------------------------------------------------------------
// Service names

/** Stored service names the canonical mapping turns into `unknown_service`. */
const NO_SERVICE_NAMES: Readonly<Record<EsSchema, readonly string[]>> = {
  jaeger: ['', NO_SERVICE_NAME],
  zipkin: [''],
};

/** The service as stored: Zipkin lower-cases service and span names on ingest. */
export function storedName(schema: EsSchema, name: string): string {
  return schema === 'zipkin' ? name.toLowerCase() : name;
}

/** Documents whose `field` holds what maps to canonical service `service`. */
export function serviceQuery(schema: EsSchema, field: string, service: string): EsBody {
  if (service !== UNKNOWN_SERVICE) return term(field, storedName(schema, service));
  return anyOf([terms(field, [UNKNOWN_SERVICE, ...NO_SERVICE_NAMES[schema]]), { bool: { must_not: [exists(field)] } }]);
}

// ---------------------------------------------------------------------------------------------
// Attribute filters: Jaeger

/** Span tags the Jaeger mapping always folds into status or scope: never a span attribute. */
const JAEGER_FOLDED_TAGS: ReadonlySet<string> = new Set([OTEL_TAGS.statusCode, ...OTEL_TAGS.scopeName, ...OTEL_TAGS.scopeVersion]);
/** `error` tag values that do not mean ERROR (the mapping trims and lower-cases; these are the spellings seen). */
const FALSE_TEXTS = ['false', 'False', 'FALSE'];
/** `otel.status_code` values the mapping reads as ERROR / OK (it upper-cases; these are the spellings seen). */
const ERROR_CODES = ['ERROR', 'error', 'Error', 'STATUS_CODE_ERROR'];
const OK_CODES = ['OK', 'ok', 'Ok', 'STATUS_CODE_OK'];

/** Standard base64 that round-trips, i.e. what the mapping makes of a binary tag: its hex as stored. */
function base64ToHex(text: string): string | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes.toString('hex') : undefined;
}

function nestedTag(path: 'tags' | 'process.tags', key: string, value: EsBody): EsBody {
  // ignore_unmapped: an index matched by the pattern without Jaeger's nested mapping holds no match, not an error.
  return { nested: { path, ignore_unmapped: true, query: allOf([term(`${path}.key`, key), value]) } };
}

/** A nested tag `key` whose value reads as `value`: binary tags are stored as hex and read as base64. */
function nestedTagText(path: 'tags' | 'process.tags', key: string, value: string): EsBody {
  const hex = base64ToHex(value);
  const asText = allOf([term(`${path}.value`, value)], [term(`${path}.type`, 'binary')]);
  const asBinary = hex === undefined ? undefined : allOf([term(`${path}.type`, 'binary'), term(`${path}.value`, hex)]);
  return nestedTag(path, key, asBinary ? anyOf([asText, asBinary]) : asText);
}

function jaegerField(options: QueryOptions, object: 'tag' | 'process.tag', key: string): string {
  return `${object}.${key.split('.').join(options.tagDotReplacement)}`;
}

/** A span tag (nested `tags` or `tags_as_fields` `tag.*`) with this text. */
function jaegerSpanTag(options: QueryOptions, key: string, value: string): EsBody {
  return anyOf([nestedTagText('tags', key, value), term(jaegerField(options, 'tag', key), value)]);
}

/** The span's status is ERROR: a true `error` tag, or `otel.status_code` ERROR (../../formats/jaeger-json/to-model.ts takeStatus). */
export function jaegerErrorStatus(options: QueryOptions): EsBody {
  const errorField = jaegerField(options, 'tag', 'error');
  const codeField = jaegerField(options, 'tag', 'otel.status_code');
  return anyOf([
    nestedTag('tags', 'error', { bool: { must_not: [terms('tags.value', [...FALSE_TEXTS, ''])] } }),
    allOf([exists(errorField)], [terms(errorField, [...FALSE_TEXTS, ''])]),
    nestedTag('tags', 'otel.status_code', terms('tags.value', ERROR_CODES)),
    terms(codeField, ERROR_CODES),
  ]);
}

function jaegerOkStatus(options: QueryOptions): EsBody {
  return anyOf([
    nestedTag('tags', 'otel.status_code', terms('tags.value', OK_CODES)),
    terms(jaegerField(options, 'tag', 'otel.status_code'), OK_CODES),
  ]);
}

/** Where the Jaeger mapping keeps tag `key` = `value` as a span attribute; undefined when it never does. */
function jaegerSpanAttribute(options: QueryOptions, { key, value }: AttributeFilter): EsBody | undefined {
  if (JAEGER_FOLDED_TAGS.has(key)) return undefined;
  // A span.kind tag naming a kind becomes the kind; any other value stays an attribute.
  if (key === OTEL_TAGS.spanKind && spanKindFromTag(value) !== undefined) return undefined;
  // An error tag stays an attribute only when it does not mean ERROR ('' or a spelling of false).
  if (key === 'error' && !['', 'false'].includes(value.trim().toLowerCase())) return undefined;
  // The description becomes the status message unless the status is UNSET.
  if (key === 'otel.status_description') return allOf([jaegerSpanTag(options, key, value)], [jaegerErrorStatus(options), jaegerOkStatus(options)]);
  return jaegerSpanTag(options, key, value);
}

function jaegerAttribute(options: QueryOptions, filter: AttributeFilter): EsBody {
  const { key, value } = filter;
  const resource = anyOf([nestedTagText('process.tags', key, value), term(jaegerField(options, 'process.tag', key), value)]);
  const span = jaegerSpanAttribute(options, filter);
  return span === undefined ? resource : anyOf([span, resource]);
}

// ---------------------------------------------------------------------------------------------
// Attribute filters: Zipkin (`_q` holds every tag key and `key=value`, docs/formats/elasticsearch.md §2.4)

const ZIPKIN_FOLDED_TAGS = JAEGER_FOLDED_TAGS;
const ZIPKIN_KIND_TAG_VALUES = Object.keys(SPAN_KIND_TAG_VALUES);

/** A tag `key` = `value`. The key alone too, so an annotation spelled `key=value` is not taken for a tag. */
function zipkinTag(key: string, value: string): EsBody {
  return allOf([term('_q', key), term('_q', `${key}=${value}`)]);
}

/** The span's status is ERROR: an `error` tag not spelling false, or `otel.status_code` ERROR (../../formats/zipkin-v2/to-model.ts takeStatus). */
export function zipkinErrorStatus(): EsBody {
  return anyOf([
    allOf(
      [term('_q', 'error')],
      [
        terms(
          '_q',
          FALSE_TEXTS.map((f) => `error=${f}`),
        ),
      ],
    ),
    terms(
      '_q',
      ERROR_CODES.map((c) => `otel.status_code=${c}`),
    ),
  ]);
}

function zipkinAttribute({ key, value }: AttributeFilter): EsBody {
  if (ZIPKIN_FOLDED_TAGS.has(key)) return MATCH_NONE;
  switch (key) {
    case 'error':
      // Any error tag but a spelling of false becomes the status.
      return value.trim().toLowerCase() === 'false' ? zipkinTag(key, value) : MATCH_NONE;
    case 'otel.status_description':
      // Folded into the status message only beside an otel.status_code tag.
      return allOf([zipkinTag(key, value)], [term('_q', 'otel.status_code')]);
    case 'span.kind':
      // Read as the kind only on a span without `kind`.
      return ZIPKIN_KIND_TAG_VALUES.includes(value.toLowerCase()) ? allOf([zipkinTag(key, value), exists('kind')]) : zipkinTag(key, value);
    case ENDPOINT_ATTRIBUTES.remoteService:
      // The remote endpoint's service name wins over a tag of the same name.
      return anyOf([term('remoteEndpoint.serviceName', value), allOf([zipkinTag(key, value)], [exists('remoteEndpoint.serviceName')])]);
    case DEBUG_ATTRIBUTE:
      return value === 'true' ? anyOf([term('debug', true), zipkinTag(key, value)]) : zipkinTag(key, value);
    default:
      return zipkinTag(key, value);
  }
}

// ---------------------------------------------------------------------------------------------
// Event names

/**
 * Span documents with an event of this name. Jaeger: a log whose `event` field holds it, the nested
 * query Jaeger's own reader makes for a `tags` filter (internal/storage/v1/elasticsearch/spanstore/
 * reader.go, `logs.fields`). Zipkin: `_q` holds every annotation value beside tag keys and
 * `key=value` (docs/formats/elasticsearch.md §2.4), the term Zipkin's own annotationQuery makes. Both
 * can match more than the canonical event (a tag key spelled like the name, a log with two `event`
 * fields), so find-traces.ts checks each candidate with the exact rule.
 */
function eventNameQuery(schema: EsSchema, name: string): EsBody {
  if (schema === 'zipkin') return term('_q', name);
  return {
    nested: { path: 'logs.fields', ignore_unmapped: true, query: allOf([term('logs.fields.key', 'event'), term('logs.fields.value', name)]) },
  };
}

// ---------------------------------------------------------------------------------------------
// Search

/** Why the index cannot answer `query` exactly, or null. */
export function esUnsupportedReason(schema: EsSchema, query: TraceQuery): string | null {
  for (const name of [query.service, query.operation, query.eventName ?? null]) {
    if (name !== null && name.length > IGNORE_ABOVE) return `Elasticsearch does not index names longer than ${IGNORE_ABOVE} characters`;
  }
  for (const { key, value } of query.attributes) {
    if (key === 'error' && (value === 'true' || value === 'false')) continue;
    if (schema === 'zipkin') {
      const endpointOnly: string[] = [
        ENDPOINT_ATTRIBUTES.localIp,
        ENDPOINT_ATTRIBUTES.localPort,
        ENDPOINT_ATTRIBUTES.remoteIp,
        ENDPOINT_ATTRIBUTES.remotePort,
      ];
      if (endpointOnly.includes(key)) return `zipkin's Elasticsearch schema does not index endpoint addresses, so '${key}' cannot be searched`;
      // BulkIndexWriter leaves `key=value` out of _q when it is longer than 256 characters.
      if (key.length + value.length + 1 > IGNORE_ABOVE)
        return `zipkin's Elasticsearch schema does not index tags longer than ${IGNORE_ABOVE} characters ('${key.slice(0, 40)}')`;
    } else if (key.length > IGNORE_ABOVE || value.length > IGNORE_ABOVE) {
      return `jaeger's Elasticsearch schema does not index tag keys or values longer than ${IGNORE_ABOVE} characters ('${key.slice(0, 40)}')`;
    }
  }
  return null;
}

/** The filter a span document must pass to make its trace match `query` (one document, every condition). */
export function toSpanFilter(query: TraceQuery, options: QueryOptions): EsBody {
  const { schema } = options;
  const fields = SCHEMA_FIELDS[schema];
  const { startUs, endUs } = query.window;
  const filter: EsBody[] = [
    { range: { [fields.startMs]: { gte: Math.floor(startUs / 1000), lte: Math.floor(endUs / 1000), format: 'epoch_millis' } } },
    { range: { [fields.startUs]: { gte: startUs, lte: endUs } } },
  ];
  const mustNot: EsBody[] = [];
  if (query.service !== null) filter.push(serviceQuery(schema, fields.service, query.service));
  if (query.operation !== null) filter.push(term(fields.operation, storedName(schema, query.operation)));
  if (query.eventName !== undefined) filter.push(eventNameQuery(schema, query.eventName));
  if (query.minDurationUs !== null || query.maxDurationUs !== null) {
    filter.push({
      range: {
        [fields.durationUs]: {
          ...(query.minDurationUs !== null ? { gte: query.minDurationUs } : {}),
          ...(query.maxDurationUs !== null ? { lte: query.maxDurationUs } : {}),
        },
      },
    });
  }
  for (const attribute of query.attributes) {
    if (attribute.key === 'error' && (attribute.value === 'true' || attribute.value === 'false')) {
      const isError = schema === 'jaeger' ? jaegerErrorStatus(options) : zipkinErrorStatus();
      (attribute.value === 'true' ? filter : mustNot).push(isError);
    } else {
      filter.push(schema === 'jaeger' ? jaegerAttribute(options, attribute) : zipkinAttribute(attribute));
    }
  }
  return allOf(filter, mustNot);
}

/**
 * The `size` trace ids whose matching spans started last: a `terms` aggregation ordered by the
 * newest matching start, ties by id. Ordering by `max` descending is exact across shards (each
 * shard's top list holds every bucket of the global top), unlike other sub-aggregation orders.
 */
export function newestTracesAggregation(schema: EsSchema, size: number): EsBody {
  const fields = SCHEMA_FIELDS[schema];
  return {
    traces: {
      terms: { field: fields.traceId, size, order: [{ last_start: 'desc' }, { _key: 'asc' }] },
      aggs: { last_start: { max: { field: fields.startUs } } },
    },
  };
}

/**
 * The start of each trace (its earliest span, every span counted, not only matching ones), for trace
 * ids stored as `forms`. A span without a start counts as 0, as the canonical mapping reads it.
 */
export function traceStartsAggregation(schema: EsSchema, forms: number): EsBody {
  const fields = SCHEMA_FIELDS[schema];
  return {
    traces: {
      terms: { field: fields.traceId, size: Math.max(1, forms) },
      aggs: { first_start: { min: { field: fields.startUs, missing: 0 } } },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Names

/** Composite-aggregation sources and sub-aggregations for the services and operations lists. */
export interface NamesRequest {
  query: EsBody;
  sources: EsBody[];
  aggs?: EsBody;
}

/** Jaeger reads `jaeger-service-*`; Zipkin aggregates its span documents. */
export function servicesRequest(schema: EsSchema): NamesRequest {
  const field = schema === 'jaeger' ? 'serviceName' : SCHEMA_FIELDS.zipkin.service;
  return { query: { match_all: {} }, sources: [{ service: { terms: { field, missing_bucket: true } } }] };
}

/**
 * Operations of a service. Jaeger's service documents hold names only. Zipkin's span documents hold
 * `kind`; for a span without one the mapping reads a `span.kind` tag, so each bucket also counts
 * those tags (from `_q`), per kind.
 */
export function operationsRequest(schema: EsSchema, service: string): NamesRequest {
  if (schema === 'jaeger') {
    return { query: serviceQuery(schema, 'serviceName', service), sources: [{ name: { terms: { field: 'operationName', missing_bucket: true } } }] };
  }
  const spellings = (kind: string): string[] => [kind, kind.toUpperCase(), kind[0]!.toUpperCase() + kind.slice(1)].map((k) => `span.kind=${k}`);
  return {
    query: serviceQuery(schema, SCHEMA_FIELDS.zipkin.service, service),
    sources: [{ name: { terms: { field: 'name', missing_bucket: true } } }, { kind: { terms: { field: 'kind', missing_bucket: true } } }],
    aggs: {
      kind_tag: {
        filters: {
          filters: Object.fromEntries(ZIPKIN_KIND_TAG_VALUES.map((kind) => [kind, terms('_q', spellings(kind))])),
          other_bucket_key: 'none',
        },
      },
    },
  };
}

/**
 * Remote services of a service, Zipkin schema only: what Zipkin's own reader asks (zipkin-storage/
 * elasticsearch ElasticsearchSpanStore.getRemoteServiceNames), the `remoteEndpoint.serviceName` terms
 * of span documents whose `localEndpoint.serviceName` is the service, lower-cased. A composite source
 * pages where Zipkin takes one `terms` aggregation of size Integer.MAX_VALUE; without `missing_bucket`
 * spans with no remote service add nothing, as they add no term there. Zipkin also bounds the documents
 * by its names lookback (ES_NAMES_LOOKBACK, a day); Tracegate bounds them as it bounds operations,
 * by the indices `maxSpanAgeHours` selects (index.ts).
 */
export function remoteServicesRequest(service: string): NamesRequest {
  return {
    query: serviceQuery('zipkin', SCHEMA_FIELDS.zipkin.service, service),
    sources: [{ remote: { terms: { field: 'remoteEndpoint.serviceName' } } }],
  };
}

/** Jaeger's dependency documents carry the time of their run. */
export function jaegerDependenciesQuery(startUs: number, endUs: number): EsBody {
  return { range: { timestamp: { gte: Math.floor(startUs / 1000), lte: Math.ceil(endUs / 1000), format: 'epoch_millis' } } };
}
