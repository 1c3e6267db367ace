/**
 * The fields a selection yields for one object type, keyed by response key, as graphql-js's
 * `collectFields` computes them (src/execution/collectFields.ts): fragments inlined when their type
 * condition applies, `@skip`/`@include` evaluated with the request's variables, a fragment spread
 * once per selection, fields of one response key merged. Both the planning price (static-cost.ts)
 * and the execution budget (execution-budget.ts) count what this returns, so they count alike.
 */
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  Kind,
  typeFromAST,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type NamedTypeNode,
  type SelectionSetNode,
} from 'graphql';

export interface CollectScope {
  schema: GraphQLSchema;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** Coerced variable values. */
  variables: Readonly<Record<string, unknown>>;
}

export function collectFields(scope: CollectScope, type: GraphQLObjectType, selectionSets: Iterable<SelectionSetNode>): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  for (const selectionSet of selectionSets) collectInto(scope, type, selectionSet, fields, visited);
  return fields;
}

function collectInto(
  scope: CollectScope,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fields: Map<string, FieldNode[]>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (!isIncluded(scope, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const list = fields.get(key);
      if (list) list.push(selection);
      else fields.set(key, [selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(scope, selection.typeCondition, type)) collectInto(scope, type, selection.selectionSet, fields, visited);
    } else {
      const name = selection.name.value;
      const fragment = scope.fragments[name];
      if (visited.has(name) || !fragment || !applies(scope, fragment.typeCondition, type)) continue;
      visited.add(name);
      collectInto(scope, type, fragment.selectionSet, fields, visited);
    }
  }
}

function isIncluded(scope: CollectScope, node: { readonly directives?: readonly DirectiveNode[] }): boolean {
  if (!node.directives || node.directives.length === 0) return true;
  const variables = scope.variables as Record<string, unknown>;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

function applies(scope: CollectScope, condition: NamedTypeNode | undefined, type: GraphQLObjectType): boolean {
  if (!condition) return true;
  const conditionType = typeFromAST(scope.schema, condition);
  if (conditionType === type) return true;
  return conditionType !== undefined && isAbstractType(conditionType) && scope.schema.isSubType(conditionType, type);
}
