/**
 * Writes GraphQL selections from the schema itself, and measures which schema coordinates a set of
 * documents exercises, so a test that sends "every field" keeps doing so when schema.graphql grows:
 * a new field is selected without anyone editing the test, and a new argument, input field or input
 * enum value shows up as uncovered until a document supplies it.
 *
 * The selection generator knows nothing about Tracegate; the caller supplies argument values (real
 * ones, taken from the data) per field coordinate. Coordinates follow the GraphQL spec's schema
 * coordinates: `Type.field`, `Type.field(arg:)`, `Input.field`, `Enum.VALUE`.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

export interface SelectionOptions {
  /** Object levels below the starting type that get object fields; the last level gets leaves only. */
  depth: number;
  /**
   * Lists of cyclic types (Span, Event) allowed along one path. Each multiplies the answer by the
   * list's length: Span.parent.children under Trace.spans of a 333-children root is 110,000 spans.
   */
  listBudget: number;
  /**
   * Argument literals per field coordinate ("Span.attribute" → ['key: "http.route"', ...]). The
   * first variant gets the full selection; each further one is aliased (`attribute_1: ...`) with
   * leaves only, so every variant runs without multiplying the answer. `''` selects the field
   * without arguments. A field with a required argument and no entry here is an error.
   */
  args?: Readonly<Record<string, readonly string[]>>;
}

function isUserType(type: GraphQLNamedType): boolean {
  return !type.name.startsWith('__');
}

/** Object types that can reach themselves through fields (Span → parent → Span). */
function cyclicTypes(schema: GraphQLSchema): Set<string> {
  const edges = new Map<string, string[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !isUserType(type)) continue;
    edges.set(
      type.name,
      Object.values(type.getFields())
        .map((f) => getNamedType(f.type))
        .filter(isObjectType)
        .map((t) => t.name),
    );
  }
  const cyclic = new Set<string>();
  for (const start of edges.keys()) {
    const seen = new Set<string>();
    const stack = [...(edges.get(start) ?? [])];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (name === start) {
        cyclic.add(start);
        break;
      }
      if (seen.has(name)) continue;
      seen.add(name);
      stack.push(...(edges.get(name) ?? []));
    }
  }
  return cyclic;
}

function isList(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function hasRequiredArg(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined);
}

/** The selection set (with braces) of every field of `typeName` reachable within the options' bounds. */
export function selectAll(schema: GraphQLSchema, typeName: string, options: SelectionOptions): string {
  const cyclic = cyclicTypes(schema);
  const args = options.args ?? {};

  const select = (type: GraphQLObjectType, depth: number, listBudget: number): string => {
    const parts: string[] = [];
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const named = getNamedType(field.type);
      const variants = args[coordinate] ?? (hasRequiredArg(field) ? undefined : ['']);
      if (variants === undefined) throw new Error(`${coordinate} has a required argument; give its values in options.args`);
      const call = (variant: string): string => (variant === '' ? field.name : `${field.name}(${variant})`);
      if (isLeafType(named)) {
        for (const [i, v] of variants.entries()) parts.push(i === 0 ? call(v) : `${field.name}_${i}: ${call(v)}`);
        continue;
      }
      if (!isObjectType(named) || depth === 0) continue;
      const costsList = isList(field.type) && cyclic.has(named.name);
      if (costsList && listBudget === 0) continue;
      const budget = costsList ? listBudget - 1 : listBudget;
      variants.forEach((v, i) => {
        if (i === 0) parts.push(`${call(v)} ${select(named, depth - 1, budget)}`);
        else parts.push(`${field.name}_${i}: ${call(v)} ${select(named, 0, 0)}`);
      });
    }
    if (parts.length === 0) parts.push('__typename');
    return `{ ${parts.join(' ')} }`;
  };

  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return select(type, options.depth, options.listBudget);
}

/**
 * Every coordinate a client can exercise: each field and argument of the user-defined object types,
 * each input object field, and each value of enums that appear in input positions.
 */
export function schemaCoordinates(schema: GraphQLSchema): Set<string> {
  const out = new Set<string>();
  const inputEnums = new Set<string>();
  const noteInput = (type: GraphQLInputType): void => {
    const named = getNamedType(type);
    if (isEnumType(named)) inputEnums.add(named.name);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isUserType(type)) continue;
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        out.add(`${type.name}.${field.name}`);
        for (const arg of field.args) {
          out.add(`${type.name}.${field.name}(${arg.name}:)`);
          noteInput(arg.type);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        out.add(`${type.name}.${field.name}`);
        noteInput(field.type);
      }
    }
  }
  for (const name of inputEnums) {
    const type = schema.getType(name);
    if (isEnumType(type)) for (const value of type.getValues()) out.add(`${name}.${value.name}`);
  }
  return out;
}

function coverValue(type: GraphQLInputType, value: unknown, out: Set<string>): void {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return;
  if (isListType(inner)) {
    for (const item of Array.isArray(value) ? value : [value]) coverValue(inner.ofType, item, out);
  } else if (isInputObjectType(inner) && typeof value === 'object') {
    const fields = inner.getFields();
    for (const [key, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[key];
      if (!field) continue;
      out.add(`${inner.name}.${key}`);
      coverValue(field.type, fieldValue, out);
    }
  } else if (isEnumType(inner) && typeof value === 'string') {
    out.add(`${inner.name}.${value}`);
  }
}

/** The coordinates one document exercises, counting input fields and enum values passed as variables. */
export function coordinatesUsed(schema: GraphQLSchema, query: string, variables: Record<string, unknown> = {}): Set<string> {
  const out = new Set<string>();
  const document = parse(query);
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field && isUserType(parent)) out.add(`${parent.name}.${field.name}`);
      },
      Argument() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const arg = typeInfo.getArgument();
        if (parent && field && arg && isUserType(parent)) out.add(`${parent.name}.${field.name}(${arg.name}:)`);
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const named = parent ? getNamedType(parent) : undefined;
        if (named && isInputObjectType(named)) out.add(`${named.name}.${node.name.value}`);
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        const named = type ? getNamedType(type) : undefined;
        if (named && isEnumType(named)) out.add(`${named.name}.${node.value}`);
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type as never) as GraphQLInputType | undefined;
        if (type) coverValue(type, variables[node.variable.name.value], out);
      },
    }),
  );
  return out;
}
