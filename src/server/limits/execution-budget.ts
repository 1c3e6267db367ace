/**
 * What a query really produces, counted while it runs, so one request cannot build a response the
 * process cannot hold. The planning price (static-cost.ts) cannot know that `spans` holds 1,000
 * items or that a root span has 333 children; this counts them as they are returned.
 *
 * Every field whose type is a list or an object is counted when it resolves: a list of n items
 * costs n × (1 + the fields selected on each item), an object the fields selected on it, and each
 * scalar is one of the fields its parent paid for. The total is exactly the number of values in the
 * response (fields and list items), the unit `maxCost` estimates, and it is charged before the
 * executor builds any of those values. The wrapping is on the schema's resolvers, so graphql-js and
 * graphql-jit (jit-executor.ts) count alike.
 *
 * Once the budget is spent (`maxResultValues`) or the execution has run longer than
 * `maxExecutionMs`, every counted field throws the same error before its resolver runs, so nothing
 * more is fetched or built; plugins/execution-budget.ts then answers with that one error alone.
 * What it leaves out: scalar fields are not timed, and a single resolver is not interrupted, only
 * the next one refused. The time limit is checked every few dozen counted fields.
 */
import {
  defaultFieldResolver,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import { ErrorCode, LimitExceededError } from '../../errors.js';
import { collectFields } from './collect-fields.js';

export interface ExecutionLimits {
  maxResultValues: number;
  maxExecutionMs: number;
}

/** How often (in counted fields) the clock is read; a power of two. */
const CLOCK_EVERY = 64;

export class ExecutionBudget {
  private values = 0;
  private calls = 0;
  private readonly startedAtMs = performance.now();
  /** Fields selected on one item, per field's nodes (stable per request in both executors). */
  private readonly widths = new Map<readonly FieldNode[], number>();
  /** Set once a limit is hit; every counted field throws it from then on. */
  error: LimitExceededError | undefined;

  constructor(private readonly limits: ExecutionLimits) {}

  /** Values produced so far. */
  get produced(): number {
    return this.values;
  }

  /** Before a counted field resolves. A root field's own key is counted here: no parent paid for it. */
  enter(info?: Pick<GraphQLResolveInfo, 'path'>): void {
    if (this.error) throw this.error;
    if (info !== undefined && info.path.prev === undefined) this.values++;
    if ((++this.calls & (CLOCK_EVERY - 1)) === 0 && performance.now() - this.startedAtMs > this.limits.maxExecutionMs) {
      this.error = new LimitExceededError(
        ErrorCode.QUERY_TOO_COMPLEX,
        'maxExecutionMs',
        this.limits.maxExecutionMs,
        `the query ran longer than limits.maxExecutionMs (${this.limits.maxExecutionMs} ms) and was stopped; ask for less`,
      );
      throw this.error;
    }
  }

  /** After a counted field resolved to `value`: charges what the executor is about to build. */
  charge<T>(value: T, isList: boolean, info: GraphQLResolveInfo): T {
    if (value === null || value === undefined) return value;
    const width = this.widthOf(info);
    this.values += isList ? itemCount(value) * (1 + width) : width;
    if (this.values > this.limits.maxResultValues) {
      this.error = new LimitExceededError(
        ErrorCode.RESULT_TOO_LARGE,
        'maxResultValues',
        this.limits.maxResultValues,
        `the result would hold more than limits.maxResultValues (${this.limits.maxResultValues.toLocaleString('en')}) values (fields and list items); ask for fewer items or fewer nested lists`,
      );
      throw this.error;
    }
    return value;
  }

  private widthOf(info: GraphQLResolveInfo): number {
    let width = this.widths.get(info.fieldNodes);
    if (width === undefined) {
      const type = getNamedType(info.returnType);
      width = 0;
      if (isObjectType(type)) {
        const selectionSets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
        width = collectFields({ schema: info.schema, fragments: info.fragments, variables: info.variableValues }, type, selectionSets).size;
      }
      this.widths.set(info.fieldNodes, width);
    }
    return width;
  }
}

function itemCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  let count = 0;
  if (typeof value === 'object' && value !== null && Symbol.iterator in value) for (const _ of value as Iterable<unknown>) count++;
  return count;
}

function isList(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Wraps the resolver of every list- or object-typed field of the schema (in place) so it charges
 * the request's budget. `budgetOf` finds the budget of a request from its context value; a field
 * resolved outside a budgeted request (none started) runs uncounted. Introspection types are left
 * alone: graphql-js shares them between schemas, and their lists are bounded by the schema itself
 * (list-sizes.ts prices them exactly).
 */
export function countResultValues(schema: GraphQLSchema, budgetOf: (context: unknown) => ExecutionBudget | undefined): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const list = isList(field.type);
      if (!list && !isCompositeType(getNamedType(field.type))) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const budget = budgetOf(context);
        if (budget === undefined) return resolve(source, args, context, info);
        budget.enter(info);
        const result = resolve(source, args, context, info);
        return isPromiseLike(result) ? result.then((value) => budget.charge(value, list, info)) : budget.charge(result, list, info);
      };
    }
  }
}
