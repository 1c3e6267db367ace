import { buildSchema, execute, parse } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { countResultValues, ExecutionBudget } from '../../../src/server/limits/execution-budget.js';

/** A tree: every node has `fanOut` children, and counts how often its resolvers ran. */
function treeSchema(fanOut: number) {
  const schema = buildSchema('type Query { root: Node } type Node { id: Int! tags: [String!]! children: [Node!]! }');
  const calls = { children: 0 };
  schema.getQueryType()!.getFields().root!.resolve = () => ({ id: 0 });
  const node = schema.getType('Node') as import('graphql').GraphQLObjectType;
  node.getFields().tags!.resolve = () => ['a', 'b'];
  node.getFields().children!.resolve = (parent: { id: number }) => {
    calls.children++;
    return Array.from({ length: fanOut }, (_, i) => ({ id: parent.id * fanOut + i + 1 }));
  };
  return { schema, calls };
}

function run(schema: import('graphql').GraphQLSchema, query: string, budget: ExecutionBudget | undefined) {
  const context = {};
  countResultValues(schema, (c) => (c === context ? budget : undefined));
  return execute({ schema, document: parse(query), contextValue: context }) as Awaited<ReturnType<typeof execute>>;
}

function countValues(value: unknown): number {
  if (Array.isArray(value)) return value.length + value.reduce((n: number, v) => n + countValues(v), 0);
  if (value !== null && typeof value === 'object')
    return Object.keys(value).length + Object.values(value).reduce((n: number, v) => n + countValues(v), 0);
  return 0;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the execution budget', () => {
  it('counts exactly the fields and list items the result holds', async () => {
    const { schema } = treeSchema(3);
    const budget = new ExecutionBudget({ maxResultValues: 1_000_000, maxExecutionMs: 60_000 });
    const result = await run(schema, '{ root { id tags children { id children { id tags } } } }', budget);
    expect(result.errors).toBeUndefined();
    expect(budget.produced).toBe(countValues(result.data));
  });

  it.each([
    { description: 'a result of exactly maxResultValues values is answered', over: 0, code: undefined },
    { description: 'one value more is refused', over: 1, code: ErrorCode.RESULT_TOO_LARGE },
  ])('$description', async ({ over, code }) => {
    const query = '{ root { id tags children { id children { id } } } }';
    // root 1 + id, tags, children 3 + 2 tags + 3 children × (1 + id, children 2 + 3 × (1 + id 1)) = 33
    expect(countValues((await run(treeSchema(3).schema, query, undefined)).data)).toBe(33);
    const result = await run(treeSchema(3).schema, query, new ExecutionBudget({ maxResultValues: 33 - over, maxExecutionMs: 60_000 }));
    expect(result.errors?.[0]?.extensions.code).toBe(code);
  });

  it('refuses every counted field once spent, without running its resolver', async () => {
    // 10 children per node, 5 levels deep: 111,111 nodes if nothing stopped it.
    const { schema, calls } = treeSchema(10);
    const budget = new ExecutionBudget({ maxResultValues: 500, maxExecutionMs: 60_000 });
    const result = await run(schema, '{ root { children { children { children { children { children { id } } } } } } }', budget);
    expect(budget.error?.extensions.code).toBe(ErrorCode.RESULT_TOO_LARGE);
    expect(budget.error?.limit).toBe('maxResultValues');
    // The resolver that crossed the limit ran; after it, none did: the levels above 500 values never run.
    expect(calls.children).toBeLessThan(60);
    expect(result.errors!.every((e) => e.originalError === budget.error)).toBe(true);
  });

  it('stops once execution has run longer than maxExecutionMs', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const budget = new ExecutionBudget({ maxResultValues: 1_000_000, maxExecutionMs: 100 });
    for (let i = 0; i < 200; i++) budget.enter();
    vi.advanceTimersByTime(101);
    let thrown: unknown;
    for (let i = 0; i < 64 && thrown === undefined; i++) {
      try {
        budget.enter();
      } catch (error) {
        thrown = error;
      }
    }
    expect(thrown).toBe(budget.error);
    expect(budget.error?.extensions).toMatchObject({ code: ErrorCode.QUERY_TOO_COMPLEX, limit: 'maxExecutionMs', max: 100 });
    expect(() => budget.enter()).toThrow(budget.error);
  });

  it('leaves fields of a request without a budget uncounted', async () => {
    const { schema } = treeSchema(3);
    const result = await run(schema, '{ root { children { children { id } } } }', undefined);
    expect(result.errors).toBeUndefined();
  });
});
