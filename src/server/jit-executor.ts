/**
 * Executes operations with graphql-jit instead of graphql-js's interpreter: the operation is compiled
 * once into JavaScript (cached per parsed document, which Apollo's document store reuses across
 * requests) and run directly. On a 10,000-span trace this is the difference measured in
 * bench/RESULTS.md. Apollo still parses and validates (so graphql-armor's rules still apply); only
 * execution changes. An operation graphql-jit cannot compile runs on graphql-js, and
 * test/server/jit-executor.test.ts checks that both give identical answers.
 *
 * Apollo Server plugs a custom executor in only through its gateway interface, hence the shape.
 *
 * Where graphql-jit itself departs from graphql-js, this file evens it out: variables it cannot
 * coerce, the errors it creates, and NaN from a custom scalar (see each function below).
 */
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  GraphQLError,
  isScalarType,
  isSpecifiedScalarType,
  printSchema,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Compiled = CompiledQuery | null;

/**
 * graphql-js accepts any value a custom scalar's serialize returns except null and undefined, and
 * JSON then writes NaN as null; graphql-jit rejects NaN with an error. A DOUBLE attribute of NaN
 * (model/attributes.ts allows it) thus answered with an error under graphql-jit only. Hand graphql-jit
 * the null the wire would carry. Built-in scalars keep their own checks, the same in both.
 */
function customSerializers(schema: GraphQLSchema): Record<string, (value: unknown) => unknown> {
  const serializers: Record<string, (value: unknown) => unknown> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isScalarType(type) || isSpecifiedScalarType(type)) continue;
    serializers[type.name] = (value) => {
      const serialized = type.serialize(value);
      return Number.isNaN(serialized) ? null : serialized;
    };
  }
  return serializers;
}

/**
 * graphql-jit's own errors (non-null violations, failed leaf serialization) are its own GraphQLError
 * without `extensions`, where graphql-js always has an object. Apollo reads `extensions.code` before
 * formatError runs, so each such error left as a bare "Internal server error", without path or
 * locations, and was never logged. Rebuilt as graphql-js errors, they take the path graphql-js's take.
 */
function toGraphQLJsError(error: GraphQLError): GraphQLError {
  const rebuilt = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions ?? undefined,
  });
  // graphql-jit keeps the locations but not the AST nodes they came from, so copy them over.
  return error.locations ? Object.assign(rebuilt, { locations: error.locations }) : rebuilt;
}

export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();
  const serializers = customSerializers(schema);

  const compile = (document: DocumentNode, operationName: string | undefined): Compiled => {
    let byName = compiled.get(document);
    if (byName === undefined) compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    if (!byName.has(key)) {
      const result = compileQuery(schema, document, operationName, { customSerializers: serializers });
      byName.set(key, isCompiledQuery(result) ? result : null);
    }
    return byName.get(key)!;
  };

  return {
    async load() {
      return {
        executor: async (requestContext) => {
          const { document, operation, request, context: contextValue } = requestContext;
          const variables = request.variables ?? {};
          // graphql-js gets the name the caller sent, as Apollo's own executor does.
          const run = () => execute({ schema, document, operationName: request.operationName ?? null, variableValues: variables, contextValue });
          // Apollo found no operation for the requested name (unknown, "", or several operations and
          // none named): graphql-js answers with the error Apollo turns into 400
          // OPERATION_RESOLUTION_FAILURE. `requestContext.operationName` is Apollo's *resolved* name
          // (null here), so compiling with it would run the document's only operation instead; and
          // compiling per requested name would let callers fill the cache below with names.
          if (operation === undefined) return run();
          const query = compile(document, operation.name?.value);
          if (!query) return run();
          const result = (await query.query(undefined, contextValue, variables)) as ExecutionResult;
          // No data at all: graphql-jit could not coerce the variables. Its errors carry no AST node,
          // which Apollo needs to answer 400 BAD_USER_INPUT, and some are worded differently; let
          // graphql-js coerce them again and report (it executes nothing when it rejects them too).
          if (!('data' in result)) return run();
          // An error graphql-jit raised itself during execution (no originalError) cannot be told
          // apart: a caller's argument null through a defaulted variable (BAD_USER_INPUT), or a
          // non-null field or leaf that failed (our bug, logged). graphql-js raises each with the
          // AST node formatError tells them by, so it answers these rare requests; traces already
          // loaded come from the request's DataLoaders, so only uncached fields are fetched again.
          if (result.errors?.some((error) => error.originalError == null)) return run();
          return result.errors ? { ...result, errors: result.errors.map(toGraphQLJsError) } : result;
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async stop() {},
  };
}
