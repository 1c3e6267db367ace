/**
 * Random GraphQL requests drawn from schema.graphql itself, for the fuzz suite: documents that select
 * random fields with random arguments (valid values, wrong types, extreme sizes, variables with
 * random JSON), then, some of the time, mangled text. Driven by fast-check's `gen`, so a failing case
 * shrinks and replays from its seed.
 */
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

export type Gen = fc.GeneratorValue;

/** Values from the demo data, so some requests reach deep into real answers. */
export interface KnownValues {
  traceIds: string[];
  services: string[];
  operations: string[];
  attributeKeys: string[];
}

export interface GeneratedRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

export interface GeneratorLimits {
  /** Object levels below Query. */
  maxDepth: number;
  /** Lists of spans/events (cyclic types) along one path: each multiplies the answer. */
  maxListsPerPath: number;
}

const CYCLIC = new Set(['Span', 'Event']);

const weirdStrings = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '"\\', '{ }', '\n\n', '%s%s', '../../etc/passwd', '<script>', 'null', 'NaN', '-1', '1e309'),
  fc.integer({ min: 1, max: 120_000 }).map((n) => 'x'.repeat(n)),
);

function hexId(g: Gen): string {
  const length = g(fc.constantFrom, 1, 8, 15, 16, 17, 31, 32, 33, 64);
  return g(fc.stringMatching, new RegExp(`^[0-9a-fA-F]{${length}}$`));
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/** A GraphQL literal for `type`, right or wrong; `known` biases it towards data that exists. */
function literal(g: Gen, type: GraphQLInputType, known: KnownValues, depth = 0): string {
  const wrong = g(fc.integer, { min: 0, max: 19 }) === 0;
  if (wrong || depth > 4) {
    return g(fc.constantFrom, 'null', '0', '-1', '1.5', 'true', '"x"', '[]', '{}', 'ENUMISH', '99999999999999999999', '[[[[1]]]]');
  }
  if (isNonNullType(type)) return literal(g, type.ofType, known, depth);
  if (isListType(type)) {
    const size = g(fc.constantFrom, 0, 1, 2, 5, 50, 120);
    const item = literal(g, type.ofType, known, depth + 1);
    // Repeating one item is how `traces(ids:)` amplifies; different items cover the rest.
    return `[${Array.from({ length: size }, (_, i) => (i === 0 || g(fc.boolean) ? item : literal(g, type.ofType, known, depth + 1))).join(', ')}]`;
  }
  if (isEnumType(type)) return g(fc.constantFrom, ...type.getValues().map((v) => v.name), 'NOT_A_VALUE');
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) || g(fc.boolean));
    return `{ ${fields.map((f) => `${f.name}: ${literal(g, f.type, known, depth + 1)}`).join(', ')} }`;
  }
  switch (type.name) {
    case 'ID':
      if (g(fc.integer, { min: 0, max: 2 }) === 0) return quote(hexId(g));
      return quote(g(() => fc.oneof(fc.constantFrom(...known.traceIds), weirdStrings)));
    case 'String':
      return quote(
        g(() =>
          fc.oneof(
            fc.constantFrom(...known.services, ...known.operations, ...known.attributeKeys, '1h', '2h', '-5m', '0s', '9999999h'),
            weirdStrings,
          ),
        ),
      );
    case 'Int':
      return String(g(() => fc.oneof(fc.integer({ min: -5, max: 250 }), fc.constantFrom(0, 2 ** 31 - 1, -(2 ** 31), 1_000_000))));
    case 'Float':
      return String(g(fc.double, { noNaN: true, noDefaultInfinity: true }));
    case 'Boolean':
      return String(g(fc.boolean));
    default:
      // Custom scalars (DateTime, Duration, Micros, JSON...): strings and numbers of every sort.
      return g(() =>
        fc.oneof(weirdStrings.map(quote), fc.constantFrom('"2026-11-30T00:00:00Z"', '"1970-01-01T00:00:00Z"', '"2h"', '0', '-1', '1e30', '{}', '[]')),
      );
  }
}

/** A random JSON value for a variable, mostly of the right shape. */
function variableValue(g: Gen, type: GraphQLInputType, known: KnownValues, depth = 0): unknown {
  if (g(fc.integer, { min: 0, max: 9 }) === 0 || depth > 4) return g(fc.jsonValue, { maxDepth: 3 });
  if (isNonNullType(type)) return variableValue(g, type.ofType, known, depth);
  if (isListType(type)) return Array.from({ length: g(fc.constantFrom, 0, 1, 3, 60) }, () => variableValue(g, type.ofType, known, depth + 1));
  if (isEnumType(type)) return g(fc.constantFrom, ...type.getValues().map((v) => v.name), 'NOPE');
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields()))
      if (isNonNullType(f.type) || g(fc.boolean)) out[f.name] = variableValue(g, f.type, known, depth + 1);
    return out;
  }
  const text = literal(g, type, known, depth);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function typeText(type: GraphQLInputType): string {
  return type.toString();
}

class DocumentBuilder {
  readonly variables: Record<string, unknown> = {};
  readonly declarations: string[] = [];

  constructor(
    private readonly g: Gen,
    private readonly known: KnownValues,
    private readonly limits: GeneratorLimits,
  ) {}

  private argument(arg: GraphQLArgument): string {
    const g = this.g;
    if (g(fc.integer, { min: 0, max: 3 }) === 0) {
      const name = `v${this.declarations.length}`;
      // Usually declared as the argument's type; sometimes as another, which validation must refuse.
      const declared = g(fc.integer, { min: 0, max: 9 }) === 0 ? g(fc.constantFrom, 'String', 'Int!', '[ID]', 'Boolean') : typeText(arg.type);
      this.declarations.push(`$${name}: ${declared}`);
      if (g(fc.integer, { min: 0, max: 9 }) > 0) this.variables[name] = variableValue(g, arg.type, this.known);
      return `${arg.name}: $${name}`;
    }
    return `${arg.name}: ${literal(g, arg.type, this.known)}`;
  }

  field(field: GraphQLField<unknown, unknown>, depth: number, lists: number): string {
    const g = this.g;
    const args = field.args.filter((a) => isNonNullType(a.type) || g(fc.integer, { min: 0, max: 2 }) === 0).map((a) => this.argument(a));
    const alias = g(fc.integer, { min: 0, max: 5 }) === 0 ? `a${g(fc.nat, 99)}: ` : '';
    const directive = g(fc.integer, { min: 0, max: 12 }) === 0 ? ` @${g(fc.constantFrom, 'include', 'skip')}(if: ${g(fc.boolean)})` : '';
    const head = `${alias}${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''}${directive}`;
    const named = getNamedType(field.type);
    if (isLeafType(named)) return head;
    if (!isObjectType(named)) return head;
    const isList = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
    const nextLists = lists + (isList && CYCLIC.has(named.name) ? 1 : 0);
    return `${head} { ${this.selection(named, depth + 1, nextLists)} }`;
  }

  selection(type: GraphQLObjectType, depth: number, lists: number): string {
    const g = this.g;
    const fields = Object.values(type.getFields()).filter((f) => {
      const named = getNamedType(f.type);
      if (isLeafType(named)) return true;
      if (depth >= this.limits.maxDepth) return false;
      const isList = isListType(isNonNullType(f.type) ? f.type.ofType : f.type);
      return !(isList && CYCLIC.has(named.name) && lists >= this.limits.maxListsPerPath);
    });
    const count = g(fc.integer, { min: 1, max: Math.min(4, fields.length) });
    // Names, not field objects: a failing case then prints (and shrinks) as readable text.
    const picked = g(
      fc.shuffledSubarray,
      fields.map((f) => f.name),
      { minLength: count, maxLength: count },
    );
    const parts = picked.map((name) => this.field(type.getFields()[name]!, depth, lists));
    // A fragment now and then, and once in a while a field the type does not have.
    if (g(fc.integer, { min: 0, max: 15 }) === 0) parts.push(`... on ${type.name} { __typename }`);
    if (g(fc.integer, { min: 0, max: 30 }) === 0) parts.push('notAField');
    return parts.join(' ');
  }
}

/** Text edits that keep most of a document: delete, duplicate or insert a piece, or cut it short. */
function mangle(g: Gen, text: string): string {
  const at = g(fc.nat, text.length);
  switch (g(fc.constantFrom, 'delete', 'duplicate', 'insert', 'truncate', 'nest')) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + g(fc.integer, { min: 1, max: 8 }));
    case 'duplicate':
      return text.slice(0, at) + text.slice(at, at + 20).repeat(g(fc.integer, { min: 2, max: 50 })) + text.slice(at);
    case 'insert':
      return text.slice(0, at) + g(fc.constantFrom, '{', '}', '(', ')', '"', '$', '@', '...', '#', '\\u0000', ':', ',') + text.slice(at);
    case 'truncate':
      return text.slice(0, at);
    default:
      return `${'{ a: trace(id: "1") '.repeat(g(fc.integer, { min: 1, max: 400 }))}${text}`;
  }
}

export function generateRequest(g: Gen, schema: GraphQLSchema, known: KnownValues, limits: GeneratorLimits): GeneratedRequest {
  const kind = g(fc.constantFrom, 'query', 'query', 'query', 'query', 'mutation', 'subscription');
  const builder = new DocumentBuilder(g, known, limits);
  const query = schema.getQueryType()!;
  const rootCount = g(fc.integer, { min: 1, max: 3 });
  const roots = g(fc.shuffledSubarray, Object.keys(query.getFields()), { minLength: rootCount, maxLength: rootCount });
  const body = roots.map((name) => builder.field(query.getFields()[name]!, 1, 0)).join(' ');
  const name = g(fc.constantFrom, 'Q', 'Dashboard', 'x');
  const vars = builder.declarations.length > 0 ? `(${builder.declarations.join(', ')})` : '';
  let text = `${kind} ${name}${vars} { ${body} }`;
  if (g(fc.integer, { min: 0, max: 4 }) === 0) text = mangle(g, text);
  const operationName = g(() => fc.oneof(fc.constant(undefined), fc.constant(name), fc.constantFrom('', 'Other', 'x'.repeat(300))));
  return { query: text, variables: builder.variables, ...(operationName !== undefined ? { operationName } : {}) };
}
