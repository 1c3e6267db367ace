/**
 * Rejects a mutation or subscription at validation (GRAPHQL_VALIDATION_FAILED, HTTP 400): the schema
 * has only a query root. graphql-js 16 has no such rule and fails the operation at execution instead,
 * where Apollo masks it as INTERNAL_SERVER_ERROR. graphql-js 17 adds the same rule
 * (KnownOperationTypesRule) with this wording.
 */
import { GraphQLError, type ValidationRule } from 'graphql';

export const knownOperationTypesRule: ValidationRule = (context) => {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      if (!schema.getRootType(node.operation)) {
        context.reportError(new GraphQLError(`The ${node.operation} operation is not supported by the schema.`, { nodes: node }));
      }
    },
  };
};
