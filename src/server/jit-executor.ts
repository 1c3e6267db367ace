/**
 * Executes operations with graphql-jit instead of graphql-js's interpreter: the operation is compiled
 * once into JavaScript (cached per parsed document, which Apollo's document store reuses across
 * requests) and run directly. On a 10,000-span trace this is the difference measured in
 * bench/RESULTS.md. Apollo still parses and validates (so graphql-armor's rules still apply); only
 * execution changes. An operation graphql-jit cannot compile runs on graphql-js, and
 * test/server/jit-executor.test.ts checks that both give identical answers.
 *
 * Apollo Server plugs a custom executor in only through its gateway interface, hence the shape.
 */
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Compiled = CompiledQuery | null;

export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();

  const compile = (document: DocumentNode, operationName: string | undefined): Compiled => {
    let byName = compiled.get(document);
    if (byName === undefined) compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    if (!byName.has(key)) {
      const result = compileQuery(schema, document, operationName);
      byName.set(key, isCompiledQuery(result) ? result : null);
    }
    return byName.get(key)!;
  };

  return {
    async load() {
      return {
        executor: async (requestContext) => {
          const { document, operationName, request, context: contextValue } = requestContext;
          const query = compile(document, operationName ?? undefined);
          const variables = request.variables ?? {};
          const result = query
            ? await query.query(undefined, contextValue, variables)
            : await execute({ schema, document, operationName: operationName ?? null, variableValues: variables, contextValue });
          return result as ExecutionResult;
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
