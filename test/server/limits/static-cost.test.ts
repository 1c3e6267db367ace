import { readFileSync } from 'node:fs';
import { buildSchema, getIntrospectionQuery, getOperationAST, getVariableValues, Kind, parse, type FragmentDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { limitsConfigSchema } from '../../../src/config/schema.js';
import { listFieldCoordinates, listSizes, type ListSizeFacts } from '../../../src/server/limits/list-sizes.js';
import { estimateCost } from '../../../src/server/limits/static-cost.js';

const schema = buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));
const facts: ListSizeFacts = { backendCount: 2, maxTraceIds: 100, maxPageSize: 200 };
const sizes = listSizes(schema, facts);

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return estimateCost({ schema, operation, fragments, variables: coerced.coerced, sizes, facts });
}

describe('the planning price of an operation', () => {
  it.each([
    { description: 'a scalar field is one value', query: '{ cache { enabled } }', expected: 2 },
    {
      description: 'a list of one entry per backend: the list, its items and their fields',
      query: '{ backends { name kind } }',
      expected: 1 + 2 * (1 + 2),
    },
    { description: 'traces(ids:) is as long as its ids', query: '{ traces(ids: ["a", "b", "c"]) { traceId } }', expected: 1 + 3 * 2 },
    {
      description: 'a list argument given as a variable counts as its value',
      query: 'query ($ids: [ID!]!) { traces(ids: $ids) { traceId } }',
      variables: { ids: ['a', 'b', 'c'] },
      expected: 1 + 3 * 2,
    },
    {
      description: 'first: sizes the connection edges',
      query: '{ searchTraces(query: {}, first: 5) { totalCount edges { node { traceId } } } }',
      expected: 1 + 1 + 1 + 5 * (1 + 2),
    },
    {
      description: 'first: given as a variable counts as its value',
      query: 'query ($f: Int) { searchTraces(query: {}, first: $f) { totalCount edges { node { traceId } } } }',
      variables: { f: 5 },
      expected: 1 + 1 + 1 + 5 * (1 + 2),
    },
    { description: 'first: defaults to 20', query: '{ searchTraces(query: {}) { edges { cursor } } }', expected: 1 + 1 + 20 * 2 },
    {
      description: 'first: above maxPageSize is priced at maxPageSize (the resolver rejects it as BAD_USER_INPUT)',
      query: '{ searchTraces(query: {}, first: 100000) { edges { cursor } } }',
      expected: 1 + 1 + 200 * 2,
    },
    { description: 'an assumed list size: 100 spans per trace', query: '{ trace(id: "a") { spans { spanId } } }', expected: 1 + 1 + 100 * 2 },
    { description: 'nested lists multiply', query: '{ trace(id: "a") { spans { children { spanId } } } }', expected: 1 + 1 + 100 * (1 + 1 + 10 * 2) },
    { description: 'one response key counts once', query: '{ cache { enabled enabled ... on CacheStatus { enabled } } }', expected: 2 },
    { description: 'aliases count separately', query: '{ a: cache { enabled } b: cache { enabled } }', expected: 4 },
    {
      description: 'fragments count as their fields',
      query: '{ cache { ...C } } fragment C on CacheStatus { enabled redis { ready } }',
      expected: 1 + 1 + 2,
    },
    {
      description: '@skip and @include follow their variables',
      query: 'query ($no: Boolean!) { cache { enabled @skip(if: $no) redis @include(if: $no) { ready } } }',
      variables: { no: true },
      expected: 1 + 2,
    },
  ])('$description', ({ query, variables, expected }) => {
    expect(cost(query, variables)).toBe(expected);
  });

  it('prices fragments nested forty deep, each spread twice, without expanding them', () => {
    // Expanded, this document holds 2^40 copies of its innermost field; each fragment is priced once.
    const depth = 40;
    const fragments = Array.from({ length: depth }, (_, i) =>
      i === depth - 1 ? `fragment F${i} on Span { spanId }` : `fragment F${i} on Span { parent { ...F${i + 1} } rootward: parent { ...F${i + 1} } }`,
    );
    // F(last) = 1 and F(i) = 2 × (1 + F(i + 1)), so F(0) = 3 × 2^(depth - 1) − 2; plus trace and rootSpan.
    expect(cost(`{ trace(id: "a") { rootSpan { ...F0 } } } ${fragments.join(' ')}`)).toBe(2 + 3 * 2 ** (depth - 1) - 2);
  });

  it('prices the explorer introspection query by the schema itself, under the default maxCost', () => {
    const price = cost(getIntrospectionQuery());
    expect(price).toBeGreaterThan(10_000);
    expect(price).toBeLessThan(limitsConfigSchema.parse(undefined).maxCost);
  });

  it('has a size for every list field of schema.graphql', () => {
    expect(listFieldCoordinates(schema).filter((c) => !sizes.has(c))).toEqual([]);
  });
});
