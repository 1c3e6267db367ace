/**
 * The documents test/server/jit-executor.test.ts sends to both executors. Selections are generated
 * from schema.graphql (test/support/schema-documents.ts), so every field is asked for; argument
 * values are real ones, read from the gateway first (`readFacts`), so the answers hold data rather
 * than nulls and empty lists. Each document says what it must produce: the extension codes of its
 * errors (none for a complete answer), and whether its data must be non-empty.
 */
import type { GraphQLSchema } from 'graphql';
import { NIGHTLY_REINDEX_OPERATION } from '../../src/demo/index.js';
import { microsToIso, type SpanKind } from '../../src/model/index.js';
import { ANOMALY_TRACE_ID, MALFORMED_TRACE_ID, ZOO_ROOT_SPAN_ID, ZOO_TRACE_ID } from '../support/attribute-zoo.js';
import type { GraphQLResponse } from '../support/gateway.js';
import { selectAll, type SelectionOptions } from '../support/schema-documents.js';

export interface EquivalenceDocument {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Extension codes of the answer's errors, sorted, duplicates kept; [] for a complete answer. */
  codes: string[];
  /** Every root field of the answer must hold data: a non-null value and a non-empty main list. */
  answers: boolean;
  /** The document is meant to fail validation (so it is exempt from the validity check). */
  isInvalid?: boolean;
}

type Ask = (query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;

/** Real values from the data: ids, names, times. */
interface Facts {
  nowUs: number;
  big: { traceId: string; spanId: string };
  /** A demo trace with an error, events and more than one service. */
  failing: { traceId: string; spanId: string; service: string; eventName: string; fromIso: string; toIso: string };
  /** A demo trace with a 64-bit id, as its 16 hex digits. */
  short: string;
  search: { service: string; operation: string; key: string; value: string; minDurationUs: number; maxDurationUs: number; cursor: string };
  /** A service with an operation of each span kind (zoo-edge for kinds the demo lacks). */
  serviceByKind: Record<SpanKind, string>;
  attributeKey: string;
}

const SPAN_KINDS: SpanKind[] = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`the data has no ${what}; the documents need one`);
  return value;
}

export async function readFacts(ask: Ask, nowUs: number): Promise<Facts> {
  const page = await ask(`{
    searchTraces(query: { window: { lookback: "2h" }, limit: 1000 }, first: 200, backends: ["demo"]) {
      edges { node { traceId spanCount errorCount rootService rootOperation services } }
    }
    big: searchTraces(query: { operation: "${NIGHTLY_REINDEX_OPERATION}" }, backends: ["demo"]) { edges { node { traceId } } }
  }`);
  type Node = { traceId: string; spanCount: number; errorCount: number; rootService: string; rootOperation: string; services: string[] };
  const nodes: Node[] = page.data.searchTraces.edges.map((e: { node: Node }) => e.node);
  const bigId: string = must(page.data.big.edges[0]?.node.traceId, 'nightly-reindex trace');
  const failingId = must(
    nodes.find((n) => n.errorCount > 0 && n.spanCount <= 20 && n.services.length > 2),
    'small failing trace',
  ).traceId;
  const shortId = must(
    nodes.find((n) => n.traceId.startsWith('0'.repeat(16)) && n.spanCount <= 20),
    '64-bit trace id',
  ).traceId.slice(16);

  const traces = await ask(`{
    big: trace(id: "${bigId}") { rootSpan { spanId } }
    failing: trace(id: "${failingId}") { rootSpan { spanId } spans { spanId service attributes { key value } events { name timeUs } } }
  }`);
  const failing = traces.data.failing;
  type SpanFacts = { spanId: string; service: string; events: Array<{ name: string; timeUs: number }> };
  const withEvent: SpanFacts = must(
    failing.spans.find((s: SpanFacts) => s.events.length > 0),
    'span with an event',
  );
  const event = withEvent.events[0]!;

  // Filters that several traces match, all on one span (the root of the commonest root operation).
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.rootOperation, (counts.get(n.rootOperation) ?? 0) + 1);
  const [operation] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const sample = nodes.find((n) => n.rootOperation === operation)!;
  const sampleRoot = await ask(`{ trace(id: "${sample.traceId}") { rootSpan { attribute(key: "http.route") { value } } } }`);
  const route: string = must(sampleRoot.data.trace.rootSpan.attribute?.value, 'http.route on a root span');
  const searchBase = `service: "${sample.rootService}", operation: "${operation}", attributes: [{ key: "http.route", value: "${route}" }]`;
  const first = await ask(`{ searchTraces(query: { ${searchBase}, limit: 1000 }, first: 1) { totalCount pageInfo { endCursor } } }`);
  if (first.data.searchTraces.totalCount < 3)
    throw new Error(`only ${first.data.searchTraces.totalCount} traces match ${searchBase}; the paging documents need 3`);

  const services = await ask('{ services(backends: ["demo", "zoo"]) { services { name } } }');
  const names: string[] = services.data.services.services.map((s: { name: string }) => s.name);
  const aliases = names.map((name, i) => `s${i}: operations(service: "${name}", backends: ["demo", "zoo"]) { operations { spanKind } }`);
  const operations = await ask(`{ ${aliases.join(' ')} }`);
  const serviceByKind = Object.fromEntries(
    SPAN_KINDS.map((kind) => {
      const index = names.findIndex((_, i) => operations.data[`s${i}`].operations.some((o: { spanKind: string }) => o.spanKind === kind));
      return [kind, must(names[index], `operation of kind ${kind}`)];
    }),
  ) as Record<SpanKind, string>;

  const keys = await ask('{ attributeKeys(backends: ["demo"]) { names { name } } }');
  const attributeKey = must(
    keys.data.attributeKeys.names.find((n: { name: string }) => n.name === 'http.request.method')?.name,
    'http.request.method key',
  );

  return {
    nowUs,
    big: { traceId: bigId, spanId: traces.data.big.rootSpan.spanId },
    failing: {
      traceId: failingId,
      spanId: withEvent.spanId,
      service: withEvent.service,
      eventName: event.name,
      fromIso: microsToIso(event.timeUs - 1),
      toIso: microsToIso(event.timeUs + 1),
    },
    short: shortId,
    search: {
      service: sample.rootService,
      operation,
      key: 'http.route',
      value: route,
      minDurationUs: 1,
      maxDurationUs: 60_000_000,
      cursor: first.data.searchTraces.pageInfo.endCursor,
    },
    serviceByKind,
    attributeKey,
  };
}

/** Nested field arguments for a selection over one trace: every variant runs (see SelectionOptions.args). */
function traceArgs(spanId: string, eventName: string, source: string, service: string, fromIso: string, toIso: string): Record<string, string[]> {
  return {
    'Span.attribute': ['key: "http.route"', 'key: "zoo.int.big"', 'key: "no.such.key"'],
    'Trace.span': [`spanId: "${spanId}"`, 'spanId: "00000000000000ff"'],
    'Trace.events': [
      '',
      `filter: { name: "${eventName}" }`,
      `filter: { source: "${source}", service: "${service}", from: "${fromIso}", to: "${toIso}" }`,
    ],
  };
}

/** Deep enough for Span → children → children and Event → span → parent; three Span/Event lists per path. */
const FULL: Omit<SelectionOptions, 'args'> = { depth: 5, listBudget: 3 };
/** For the 1,000-span trace: one Span/Event list per path (its root has 333 children). */
const WIDE: Omit<SelectionOptions, 'args'> = { depth: 3, listBudget: 1 };

const ok = { codes: [], answers: true };
const partial = (...codes: string[]) => ({ codes: codes.sort(), answers: true });
const fails = (...codes: string[]) => ({ codes: codes.sort(), answers: false });

export function equivalenceDocuments(schema: GraphQLSchema, facts: Facts): EquivalenceDocument[] {
  const { big, failing, search } = facts;
  const iso = (us: number) => microsToIso(us);
  const windowStart = iso(facts.nowUs - 7_200_000_000);
  const windowEnd = iso(facts.nowUs);
  const zooArgs = traceArgs(ZOO_ROOT_SPAN_ID, 'exception', 'zoo-copy', 'zoo-edge', iso(facts.nowUs - 601_000_000), iso(facts.nowUs - 500_000_000));
  const failingArgs = traceArgs(failing.spanId, failing.eventName, 'demo', failing.service, failing.fromIso, failing.toIso);
  const sel = (type: string, options: Omit<SelectionOptions, 'args'>, args: Record<string, string[]> = zooArgs) =>
    selectAll(schema, type, { ...options, args });
  const trace = (args: Record<string, string[]>, options = FULL) => sel('Trace', options, args);
  const summary = (depth: number, args = failingArgs) => sel('TraceConnection', { depth, listBudget: 2 }, args);
  const zooBackends = '["zoo", "zoo-copy"]';
  const allFailing = '"broken", "slow", "buggy"';
  const searchAll = `service: "${search.service}", operation: "${search.operation}", attributes: [{ key: "${search.key}", value: "${search.value}" }], minDurationUs: ${search.minDurationUs}, maxDurationUs: ${search.maxDurationUs}, window: { start: "${windowStart}", end: "${windowEnd}" }, limit: 50`;

  const documents: EquivalenceDocument[] = [
    // Query.trace
    {
      name: 'trace: the 1,000-span trace',
      query: `{ trace(id: "${big.traceId}") ${trace(traceArgs(big.spanId, 'exception', 'demo', 'catalog-service', windowStart, windowEnd), WIDE)} }`,
      ...ok,
    },
    {
      name: 'trace: every attribute type, merged from two backends',
      query: `{ trace(id: "${ZOO_TRACE_ID}", backends: ${zooBackends}) ${trace(zooArgs)} }`,
      ...ok,
    },
    {
      name: 'trace: raw, with a failing, a slow and a buggy backend (partial)',
      query: `{ trace(id: "${ZOO_TRACE_ID}", backends: ["zoo", "zoo-copy", ${allFailing}], raw: true) ${trace(zooArgs)} }`,
      ...partial('BACKEND_UNAVAILABLE', 'BACKEND_TIMEOUT', 'INTERNAL_SERVER_ERROR'),
    },
    { name: 'trace: a demo trace with errors and events', query: `{ trace(id: "${failing.traceId}") ${trace(failingArgs)} }`, ...ok },
    {
      name: 'trace: two roots and a parent cycle',
      query: `{ trace(id: "${ANOMALY_TRACE_ID}", backends: ["zoo"]) ${trace(zooArgs, { depth: 3, listBudget: 2 })} }`,
      ...ok,
    },
    {
      name: 'trace: a 64-bit id in variables, raw explicitly null',
      query: `query Short($id: ID!, $raw: Boolean) { trace(id: $id, raw: $raw) ${trace(failingArgs, { depth: 2, listBudget: 1 })} }`,
      variables: { id: facts.short, raw: null },
      ...ok,
    },

    // Query.traces
    {
      name: 'traces: four ids over three backends, one unknown',
      query: `{ traces(ids: ["${failing.traceId}", "${ZOO_TRACE_ID}", "0000000000000000000000000000abcd", "${ANOMALY_TRACE_ID}"], backends: ["demo", "zoo", "zoo-copy"], raw: true) ${trace(zooArgs, { depth: 3, listBudget: 2 })} }`,
      ...ok,
    },
    {
      name: 'traces: a failing backend reported per list item (partial)',
      query: `{ traces(ids: ["${ZOO_TRACE_ID}", "${failing.traceId}"], backends: ["demo", "zoo", "broken"]) { traceId spanCount isComplete backendStatus { backend state code reason cached } } }`,
      ...partial('BACKEND_UNAVAILABLE', 'BACKEND_UNAVAILABLE'),
    },

    // Query.searchTraces
    {
      name: 'searchTraces: the last two hours, first page',
      query: `{ searchTraces(query: { window: { lookback: "2h" }, limit: 1000 }, first: 7) ${summary(3)} }`,
      ...ok,
    },
    {
      name: 'searchTraces: every filter, second page, merged over two backends',
      query: `{ searchTraces(query: { ${searchAll} }, first: 2, after: "${search.cursor}", backends: ["demo", "zoo"]) ${summary(6)} }`,
      ...ok,
    },
    {
      name: 'searchTraces: the zoo by attribute and duration',
      query: `{ searchTraces(query: { service: "zoo-edge", attributes: [{ key: "zoo.bool.true", value: "true" }, { key: "zoo.int.big", value: "9007199254740993" }], minDurationUs: 49999.5, maxDurationUs: 50000 }, backends: ["zoo"]) ${summary(4, zooArgs)} }`,
      ...ok,
    },
    {
      name: 'searchTraces: variables; three backends skipped, and their trace loads failing and timing out (partial)',
      query: `query Search($q: TraceQueryInput!, $first: Int, $after: String, $backends: [String!]) { searchTraces(query: $q, first: $first, after: $after, backends: $backends) ${summary(4)} }`,
      variables: {
        q: {
          service: search.service,
          operation: search.operation,
          attributes: [{ key: search.key, value: search.value }],
          minDurationUs: search.minDurationUs,
          maxDurationUs: search.maxDurationUs,
          window: { start: windowStart, end: windowEnd },
          limit: 20,
        },
        first: 2,
        after: null,
        backends: ['demo', 'zoo-copy', 'broken', 'slow'],
      },
      ...partial(
        'BACKEND_UNSUPPORTED',
        'BACKEND_UNSUPPORTED',
        'BACKEND_UNSUPPORTED',
        'BACKEND_UNAVAILABLE',
        'BACKEND_UNAVAILABLE',
        'BACKEND_TIMEOUT',
        'BACKEND_TIMEOUT',
      ),
    },

    // Query.searchEvents
    {
      name: 'searchEvents: one event name over two backends, every input field',
      query: `query Events($q: EventQueryInput!, $first: Int, $after: String, $backends: [String!]) { searchEvents(query: $q, first: $first, after: $after, backends: $backends) { edges { cursor node { traceId service backends span { spanId name } event { name time timeUs attributes { key type value } spanId service sources } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount backendStatus { backend kind state code reason cached } isComplete } }`,
      variables: {
        q: { name: failing.eventName, service: failing.service, backend: 'demo', attributes: [], window: { lookback: '2h' }, limit: 1000 },
        first: 3,
        after: null,
        backends: ['demo', 'zoo'],
      },
      ...ok,
    },

    // Query.services, operations, dependencies, attributeKeys, attributeValues, backends, cache
    { name: 'services: the default backends', query: `{ services ${sel('ServiceList', FULL)} }`, ...ok },
    {
      name: 'services: with failing backends (partial)',
      query: `{ services(backends: ["demo", "zoo", "zoo-copy", ${allFailing}]) ${sel('ServiceList', FULL)} }`,
      ...partial('BACKEND_UNAVAILABLE', 'BACKEND_TIMEOUT', 'INTERNAL_SERVER_ERROR'),
    },
    ...SPAN_KINDS.map((kind) => ({
      name: `operations: ${kind} operations of ${facts.serviceByKind[kind]}`,
      query: `{ operations(service: "${facts.serviceByKind[kind]}", spanKind: ${kind}, backends: ["demo", "zoo"]) ${sel('OperationList', FULL)} }`,
      ...ok,
    })),
    {
      name: 'operations: a span kind in variables, one backend skipped (partial)',
      query: `query Ops($kind: SpanKind) { operations(service: "${failing.service}", spanKind: $kind, backends: ["demo", "zoo-copy"]) ${sel('OperationList', FULL)} }`,
      variables: { kind: 'SERVER' },
      ...partial('BACKEND_UNSUPPORTED'),
    },
    { name: 'operations: every kind, default backends', query: `{ operations(service: "${failing.service}") ${sel('OperationList', FULL)} }`, ...ok },
    { name: 'dependencies: the default window', query: `{ dependencies ${sel('DependencyGraph', FULL)} }`, ...ok },
    { name: 'dependencies: a lookback', query: `{ dependencies(window: { lookback: "90m" }) ${sel('DependencyGraph', FULL)} }`, ...ok },
    {
      name: 'dependencies: an explicit window, one backend skipped (partial)',
      query: `{ dependencies(window: { start: "${windowStart}", end: "${windowEnd}" }, backends: ["demo", "zoo", "zoo-copy"]) ${sel('DependencyGraph', FULL)} }`,
      ...partial('BACKEND_UNSUPPORTED'),
    },
    { name: 'attributeKeys: the default backends', query: `{ attributeKeys ${sel('NameList', FULL)} }`, ...ok },
    {
      name: 'attributeKeys: one backend without autocomplete (partial)',
      query: `{ attributeKeys(backends: ["zoo", "zoo-copy"]) ${sel('NameList', FULL)} }`,
      ...partial('BACKEND_UNSUPPORTED'),
    },
    { name: 'attributeValues: a demo key', query: `{ attributeValues(key: "${facts.attributeKey}") ${sel('NameList', FULL)} }`, ...ok },
    {
      name: 'attributeValues: a zoo key, named backends',
      query: `{ attributeValues(key: "zoo.double.nan", backends: ["zoo"]) ${sel('NameList', FULL)} }`,
      ...ok,
    },
    { name: 'backends', query: `{ backends ${sel('BackendInfo', FULL)} }`, ...ok },
    { name: 'cache', query: `{ cache ${sel('CacheStatus', FULL)} }`, ...ok },

    // Document shapes rather than fields: fragments, directives, aliases, several operations, introspection.
    {
      name: 'fragments, inline fragments, directives and __typename',
      query: `query Shapes($withSpans: Boolean!, $skipEvents: Boolean = true) {
        a: trace(id: "${ZOO_TRACE_ID}") { ...T spans @include(if: $withSpans) { ...S } }
        b: trace(id: "${ZOO_TRACE_ID}") { __typename ... on Trace { spanCount events @skip(if: $skipEvents) { name } } }
      }
      fragment T on Trace { traceId rootSpan { ...S children { ...S } } }
      fragment S on Span { __typename spanId name attribute(key: "zoo.map") { type value } }`,
      variables: { withSpans: true },
      ...ok,
    },
    {
      name: 'the second of two operations',
      query: 'query Cache { cache { enabled } } query Backends { backends { name kind } }',
      operationName: 'Backends',
      ...ok,
    },
    {
      name: 'introspection',
      query:
        '{ __schema { queryType { name } types { name kind fields(includeDeprecated: true) { name args { name defaultValue } } } } __type(name: "Span") { fields { name } } }',
      ...ok,
    },
  ];

  // Errors: bad arguments at the edge, errors raised under a field (nulling it or its parent), limits.
  const tooMany = Array.from({ length: 101 }, (_, i) => `"${(i + 1).toString(16)}"`).join(', ');
  let deep = 'spanId';
  for (let i = 0; i < 12; i++) deep = `parent { ${deep} }`;
  documents.push(
    { name: 'error: a trace id that is not hex', query: '{ trace(id: "not-hex") { traceId } }', ...fails('INVALID_TRACE_ID') },
    { name: 'error: an all-zero trace id', query: `{ trace(id: "${'0'.repeat(32)}") { traceId } }`, ...fails('INVALID_TRACE_ID') },
    {
      name: 'error: an unknown backend',
      query: `{ trace(id: "${ZOO_TRACE_ID}", backends: ["zoo", "nope"]) { traceId } }`,
      ...fails('UNKNOWN_BACKEND'),
    },
    { name: 'error: one bad id among good ones', query: `{ traces(ids: ["${ZOO_TRACE_ID}", "xyz"]) { traceId } }`, ...fails('INVALID_TRACE_ID') },
    { name: 'error: more ids than allowed', query: `{ traces(ids: [${tooMany}]) { traceId } }`, ...fails('BAD_USER_INPUT') },
    {
      name: 'error: one trace id twice',
      query: `{ traces(ids: ["${ZOO_TRACE_ID}", "${ZOO_TRACE_ID.toUpperCase()}"]) { traceId } }`,
      ...fails('BAD_USER_INPUT'),
    },
    {
      name: 'error: a window that ends before it starts',
      query: `{ searchTraces(query: { window: { start: "${windowEnd}", end: "${windowStart}" } }) { totalCount } }`,
      ...fails('BAD_USER_INPUT'),
    },
    {
      name: 'error: both lookback and start',
      query: `{ searchTraces(query: { window: { lookback: "1h", start: "${windowStart}" } }) { totalCount } }`,
      ...fails('BAD_USER_INPUT'),
    },
    {
      name: 'error: a lookback that is not a duration',
      query: '{ dependencies(window: { lookback: "forever" }) { services } }',
      ...fails('BAD_USER_INPUT'),
    },
    { name: 'error: a window longer than allowed', query: '{ dependencies(window: { lookback: "745h" }) { services } }', ...fails('BAD_USER_INPUT') },
    { name: 'error: a search limit over the maximum', query: '{ searchTraces(query: { limit: 1001 }) { totalCount } }', ...fails('BAD_USER_INPUT') },
    { name: 'error: a page size over the maximum', query: '{ searchTraces(query: {}, first: 201) { totalCount } }', ...fails('BAD_USER_INPUT') },
    {
      name: 'error: a cursor not from a previous page',
      query: '{ searchTraces(query: {}, after: "bm90IGEgY3Vyc29y") { totalCount } }',
      ...fails('BAD_USER_INPUT'),
    },
    {
      name: 'error: min duration above max',
      query: '{ searchTraces(query: { minDurationUs: 10, maxDurationUs: 5 }) { totalCount } }',
      ...fails('BAD_USER_INPUT'),
    },
    { name: 'error: an empty service filter', query: '{ searchTraces(query: { service: " " }) { totalCount } }', ...fails('BAD_USER_INPUT') },
    { name: 'error: an empty service name', query: '{ operations(service: "") { operations { name } } }', ...fails('BAD_USER_INPUT') },
    { name: 'error: an empty attribute key', query: '{ attributeValues(key: "") { names { name } } }', ...fails('BAD_USER_INPUT') },
    {
      name: 'error: a bad span id nulls only Trace.span',
      query: `{ trace(id: "${ZOO_TRACE_ID}") { traceId span(spanId: "zz") { spanId } } }`,
      ...fails('BAD_USER_INPUT'),
    },
    {
      name: 'error: an inverted event filter nulls each trace of a list',
      query: `{ traces(ids: ["${ZOO_TRACE_ID}", "${failing.traceId}"]) { traceId events(filter: { from: "${windowEnd}", to: "${windowStart}" }) { name } } }`,
      ...fails('BAD_USER_INPUT', 'BAD_USER_INPUT'),
    },
    {
      name: 'error: a nested bad span id inside search results, next to a failing backend',
      query: `{ searchTraces(query: { service: "zoo-edge" }, backends: ["zoo", "broken"]) { totalCount edges { node { traceId trace { traceId span(spanId: "") { spanId } } } } } }`,
      ...fails('BACKEND_UNAVAILABLE', 'BACKEND_UNAVAILABLE', 'BACKEND_UNAVAILABLE', 'BAD_USER_INPUT', 'BAD_USER_INPUT'),
    },
    {
      name: 'error: a required variable missing',
      query: 'query ($id: ID!) { trace(id: $id) { traceId } }',
      variables: {},
      ...fails('BAD_USER_INPUT'),
    },
    {
      name: 'error: a variable of the wrong type',
      query: 'query ($first: Int) { searchTraces(query: {}, first: $first) { totalCount } }',
      variables: { first: 'ten' },
      ...fails('BAD_USER_INPUT'),
    },
    {
      name: 'error: an unknown enum value in a variable',
      query: 'query ($kind: SpanKind) { operations(service: "x", spanKind: $kind) { operations { name } } }',
      variables: { kind: 'SIDEWAYS' },
      ...fails('BAD_USER_INPUT'),
    },
    {
      name: 'error: a bad custom scalar inside a variable object',
      query: 'query ($q: TraceQueryInput!) { searchTraces(query: $q) { totalCount } }',
      variables: { q: { minDurationUs: 'soon', window: { start: 'yesterday' } } },
      ...fails('BAD_USER_INPUT', 'BAD_USER_INPUT'),
    },
    { name: 'error: a bad DateTime literal', query: '{ dependencies(window: { start: "yesterday" }) { services } }', ...fails('BAD_USER_INPUT') },
    { name: 'error: deeper than the depth limit', query: `{ trace(id: "${ZOO_TRACE_ID}") { spans { ${deep} } } }`, ...fails('QUERY_TOO_COMPLEX') },
    // Counted while it runs (server/limits/execution-budget.ts): every span's parent's children's parent's children.
    {
      name: 'error: more result values than allowed',
      query: `{ trace(id: "${big.traceId}") { traceId spans { parent { children { parent { children { spanId } } } } } } }`,
      ...fails('RESULT_TOO_LARGE'),
    },
    { name: 'error: a field the schema lacks', query: '{ trace(id: "1") { spanz } }', ...fails('GRAPHQL_VALIDATION_FAILED'), isInvalid: true },
    { name: 'error: a document that does not parse', query: '{ trace(id: "1") { traceId }', ...fails('GRAPHQL_PARSE_FAILED'), isInvalid: true },
    {
      name: 'error: two operations and no operationName',
      query: 'query A { cache { enabled } } query B { backends { name } }',
      ...fails('OPERATION_RESOLUTION_FAILURE'),
    },
    // Malformed data from a backend: what graphql-jit raises itself (non-null violations, enum
    // serialization) and what a resolver throws unexpectedly, each masked as INTERNAL_SERVER_ERROR.
    {
      name: 'malformed: an attribute of an unknown type nulls only that attribute',
      query: `{ trace(id: "${MALFORMED_TRACE_ID}", backends: ["zoo-copy"]) { traceId rootSpan { spanId attribute(key: "weird") { key type value } fine: attribute(key: "fine") { value } } } }`,
      ...partial('INTERNAL_SERVER_ERROR'),
    },
    {
      name: 'malformed: a start time of NaN fails Span.startTime and nulls up to rootSpan',
      query: `{ trace(id: "${MALFORMED_TRACE_ID}", backends: ["zoo-copy"]) { traceId spanCount rootSpan { spanId children { spanId startTime } } } }`,
      ...partial('INTERNAL_SERVER_ERROR'),
    },
    {
      name: 'malformed: a span without a name nulls the whole trace',
      query: `{ trace(id: "${MALFORMED_TRACE_ID}", backends: ["zoo-copy"]) { traceId spans { spanId name } } }`,
      ...fails('INTERNAL_SERVER_ERROR'),
    },
    {
      name: 'malformed: NaN times are written as null, without an error',
      query: `{ trace(id: "${MALFORMED_TRACE_ID}", backends: ["zoo-copy"]) { traceId durationUs spans { spanId startTimeUs durationUs endTimeUs } } }`,
      ...ok,
    },
  );
  return documents;
}
