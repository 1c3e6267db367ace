/**
 * The planning price of an operation: how many values (fields and list items) its response would
 * hold if every list were as long as limits/list-sizes.ts assumes, with the operation's variables
 * applied. It is the same unit the execution budget counts for real (execution-budget.ts), so the
 * two limits read alike: `maxCost` bounds the estimate before any backend is asked, and
 * `maxResultValues` bounds what the query actually produces.
 *
 * A field costs 1; a list of n items costs 1 + n + n × (the cost of one item's selection); an object
 * costs 1 + its selection. This is the GraphQL cost specification's field counting
 * (https://ibm.github.io/graphql-specs/cost-spec.html, "Field Cost" with `@listSize`), with every
 * field weighing 1 and list items counted, as JSON holds them.
 *
 * Fields are collected as execution collects them (collect-fields.ts): one response key counts once.
 */
import {
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { collectFields, type CollectScope } from './collect-fields.js';
import { slicingBound, type ListSizeFacts, type ListSizes } from './list-sizes.js';

/** `variables` are coerced (graphql's getVariableValues), so a variable counts as its value. */
export interface CostInput extends CollectScope {
  operation: OperationDefinitionNode;
  sizes: ListSizes;
  facts: ListSizeFacts;
}

/** Sizes a parent's slicing argument gives some of the child type's fields (`edges` ← `first`). */
type SizedFields = ReadonlyMap<string, number> | undefined;

export function estimateCost(input: CostInput): number {
  const root = input.schema.getRootType(input.operation.operation);
  if (!root) return 0;
  // One entry per selection set and type: a fragment spread in many places is priced once, so a
  // document that nests fragments costs linear time to price, not exponential.
  const memo = new WeakMap<SelectionSetNode, Map<string, number>>();

  const selectionCost = (nodes: readonly FieldNode[] | SelectionSetNode, type: GraphQLCompositeType, sized: SizedFields): number => {
    if (isAbstractType(type)) {
      // Priced as its most expensive possible type.
      return Math.max(0, ...input.schema.getPossibleTypes(type).map((t) => selectionCost(nodes, t, sized)));
    }
    const single = 'kind' in nodes ? nodes : nodes.length === 1 ? nodes[0]!.selectionSet : undefined;
    const cached = single && sized === undefined ? memo.get(single)?.get(type.name) : undefined;
    if (cached !== undefined) return cached;
    const selectionSets = 'kind' in nodes ? [nodes] : nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
    const fields = collectFields(input, type, selectionSets);
    let total = 0;
    for (const fieldNodes of fields.values()) total += fieldCost(fieldNodes, type, sized);
    if (single && sized === undefined) {
      let byType = memo.get(single);
      if (!byType) memo.set(single, (byType = new Map()));
      byType.set(type.name, total);
    }
    return total;
  };

  const fieldCost = (nodes: FieldNode[], parent: GraphQLObjectType, sized: SizedFields): number => {
    const node = nodes[0]!;
    const def = fieldDef(input.schema, parent, node.name.value);
    if (!def) return 1;
    const named = getNamedType(def.type);
    const coordinate = `${parent.name}.${def.name}`;
    const size = input.sizes.get(coordinate);
    const sliced = size?.slicingArgument !== undefined ? slicedSize(def, node, size.slicingArgument, coordinate) : undefined;
    const childSized = size?.sizedFields && sliced !== undefined ? new Map(size.sizedFields.map((f) => [f, sliced])) : undefined;
    const child = isCompositeType(named) ? selectionCost(nodes, named, childSized) : 0;
    if (!isListType(isNonNullType(def.type) ? def.type.ofType : def.type)) return 1 + child;
    const items = sized?.get(def.name) ?? (size?.sizedFields ? undefined : sliced) ?? size?.assumedSize ?? 1;
    return 1 + items * (1 + child);
  };

  const slicedSize = (def: GraphQLField<unknown, unknown>, node: FieldNode, argument: string, coordinate: string): number | undefined => {
    let value: unknown;
    try {
      value = getArgumentValues(def, node, input.variables as Record<string, unknown>)[argument];
    } catch {
      return undefined; // execution reports the bad argument itself
    }
    const count = Array.isArray(value) ? value.length : typeof value === 'number' ? value : undefined;
    if (count === undefined) return undefined;
    // A value above what the resolver accepts is its BAD_USER_INPUT, not a cost problem.
    return Math.max(0, Math.min(count, slicingBound(coordinate, input.facts)));
  };

  return selectionCost(input.operation.selectionSet, root, undefined);
}

function fieldDef(schema: GraphQLSchema, parent: GraphQLObjectType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return parent.getFields()[name];
}
