/**
 * How many items each list field of schema.graphql is assumed to return when a query is priced
 * before it runs (limits/static-cost.ts). This is the table form of the GraphQL cost specification's
 * `@listSize(assumedSize:, slicingArguments:, sizedFields:)` directive
 * (https://ibm.github.io/graphql-specs/cost-spec.html), kept in code so schema.graphql stays plain SDL.
 *
 * A size is either read from the query (a slicing argument, with variables applied: `first: $f`
 * counts exactly as `first: 200`), or assumed. Assumed sizes describe an ordinary answer on the
 * generous side, not the worst case: a trace of 100 spans (the demo's average is 16), a span with 10
 * children and 20 attributes. They price the document for planning only, so that `maxCost` can
 * refuse what could only fit if the data were far smaller than that, before any backend is asked.
 * What a trace really holds is counted while the query runs (execution-budget.ts): that is the
 * limit that holds against a trace of 100,000 spans or a root with 333 children. Lists of
 * introspection types are sized by the schema itself, which bounds them exactly.
 */
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

export interface ListSize {
  /** Items assumed when no slicing argument sizes the list. */
  assumedSize: number;
  /** An argument whose value sizes the list: its length for a list argument, else its value. */
  slicingArgument?: string;
  /** Fields of the returned object that the slicing argument sizes (a connection's `edges`). */
  sizedFields?: readonly string[];
}

/** `Type.field` → its size. Every list field of schema.graphql has an entry (a test checks it). */
export type ListSizes = ReadonlyMap<string, ListSize>;

/** Configured backends: lists with one entry per backend (backendStatus, sources) are that long. */
export interface ListSizeFacts {
  backendCount: number;
  /** Upper bounds of slicing arguments the resolvers enforce (a larger value is rejected there). */
  maxTraceIds: number;
  maxPageSize: number;
}

/** Assumed sizes of the trace data; see the module comment for what they mean. */
const SPANS_PER_TRACE = 100;
const CHILDREN_PER_SPAN = 10;
const ATTRIBUTES_PER_SPAN = 20;
const EVENTS_PER_SPAN = 5;
const ATTRIBUTES_PER_EVENT = 5;
const LINKS_PER_SPAN = 2;
const TOP_LEVEL_SPANS = 10;
const WARNINGS = 10;
const SERVICES = 100;

export function listSizes(schema: GraphQLSchema, facts: ListSizeFacts): ListSizes {
  const backends = Math.max(1, facts.backendCount);
  const sizes = new Map<string, ListSize>([
    ['Query.traces', { assumedSize: facts.maxTraceIds, slicingArgument: 'ids' }],
    ['Query.searchTraces', { assumedSize: 20, slicingArgument: 'first', sizedFields: ['edges'] }],
    ['Query.searchEvents', { assumedSize: 20, slicingArgument: 'first', sizedFields: ['edges'] }],
    ['Query.backends', { assumedSize: backends }],
    ['Trace.spans', { assumedSize: SPANS_PER_TRACE }],
    ['Trace.topLevelSpans', { assumedSize: TOP_LEVEL_SPANS }],
    ['Trace.services', { assumedSize: SERVICES }],
    ['Trace.errorSpans', { assumedSize: SPANS_PER_TRACE }],
    ['Trace.warnings', { assumedSize: WARNINGS }],
    ['Trace.sources', { assumedSize: backends }],
    ['Trace.events', { assumedSize: SPANS_PER_TRACE }],
    ['Trace.backendStatus', { assumedSize: backends }],
    // At most a few sections per span on the path; priced like the span list it is drawn from.
    ['Trace.criticalPath', { assumedSize: SPANS_PER_TRACE }],
    ['Span.children', { assumedSize: CHILDREN_PER_SPAN }],
    ['Span.attributes', { assumedSize: ATTRIBUTES_PER_SPAN }],
    ['Span.events', { assumedSize: EVENTS_PER_SPAN }],
    ['Span.links', { assumedSize: LINKS_PER_SPAN }],
    ['Span.sources', { assumedSize: backends }],
    ['Span.warnings', { assumedSize: WARNINGS }],
    ['Resource.attributes', { assumedSize: ATTRIBUTES_PER_SPAN }],
    ['Event.attributes', { assumedSize: ATTRIBUTES_PER_EVENT }],
    ['Event.sources', { assumedSize: backends }],
    ['SpanLink.attributes', { assumedSize: ATTRIBUTES_PER_EVENT }],
    // Sized by Query.searchTraces(first:); 20 is the argument's default.
    ['TraceConnection.edges', { assumedSize: 20 }],
    ['TraceConnection.backendStatus', { assumedSize: backends }],
    // Sized by Query.searchEvents(first:); 20 is the argument's default.
    ['EventConnection.edges', { assumedSize: 20 }],
    ['EventConnection.backendStatus', { assumedSize: backends }],
    ['EventHit.backends', { assumedSize: backends }],
    ['TraceSummary.services', { assumedSize: SERVICES }],
    ['TraceSummary.sources', { assumedSize: backends }],
    ['ServiceList.services', { assumedSize: SERVICES }],
    ['ServiceList.backendStatus', { assumedSize: backends }],
    ['Service.sources', { assumedSize: backends }],
    ['NameList.names', { assumedSize: 1_000 }],
    ['NameList.backendStatus', { assumedSize: backends }],
    ['SourcedName.sources', { assumedSize: backends }],
    ['OperationList.operations', { assumedSize: 1_000 }],
    ['OperationList.backendStatus', { assumedSize: backends }],
    ['Operation.sources', { assumedSize: backends }],
    ['DependencyGraph.edges', { assumedSize: 1_000 }],
    ['DependencyGraph.services', { assumedSize: SERVICES }],
    ['DependencyGraph.backendStatus', { assumedSize: backends }],
    ['DependencyEdge.sources', { assumedSize: backends }],
    // One entry per limit that can cut the sample (federation/derived-dependencies-sample.ts).
    ['DependencyDerivation.limitsHit', { assumedSize: 4 }],
    // Two layers (memory, redis) × six kinds of answer.
    ['CacheStatus.counters', { assumedSize: 12 }],
  ]);
  for (const [coordinate, size] of introspectionSizes(schema)) sizes.set(coordinate, size);
  return sizes;
}

/** The upper bound a resolver enforces on a slicing argument, so the estimate never exceeds it. */
export function slicingBound(coordinate: string, facts: ListSizeFacts): number {
  if (coordinate === 'Query.traces') return facts.maxTraceIds;
  if (coordinate === 'Query.searchTraces' || coordinate === 'Query.searchEvents') return facts.maxPageSize;
  return Number.POSITIVE_INFINITY;
}

function isList(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * Introspection lists, sized by the largest such list in this schema: an introspection query costs
 * at most what it can really return, however it nests.
 */
function introspectionSizes(schema: GraphQLSchema): Array<[string, ListSize]> {
  const types = Object.values(schema.getTypeMap());
  const directives = schema.getDirectives();
  const most = (counts: number[]): ListSize => ({ assumedSize: Math.max(1, ...counts) });
  const withFields = types.filter((t) => isObjectType(t) || isInterfaceType(t));
  const args = [...withFields.flatMap((t) => Object.values(t.getFields()).map((f) => f.args.length)), ...directives.map((d) => d.args.length)];
  return [
    ['__Schema.types', { assumedSize: types.length }],
    ['__Schema.directives', { assumedSize: directives.length }],
    ['__Type.fields', most(withFields.map((t) => Object.keys(t.getFields()).length))],
    ['__Type.inputFields', most(types.filter(isInputObjectType).map((t) => Object.keys(t.getFields()).length))],
    ['__Type.enumValues', most(types.filter(isEnumType).map((t) => t.getValues().length))],
    ['__Type.interfaces', most(withFields.map((t) => t.getInterfaces().length))],
    ['__Type.possibleTypes', { assumedSize: types.length }],
    ['__Field.args', most(args)],
    ['__Directive.args', most(args)],
    // DirectiveLocation has 19 values.
    ['__Directive.locations', { assumedSize: 19 }],
  ];
}

/** Every `Type.field` of the schema whose type is a list (for the test that the table is complete). */
export function listFieldCoordinates(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => isList(field.type))
        .map((field) => `${type.name}.${field.name}`),
    );
}
