/**
 * Tells a GraphQL request's trail (audit/trail.ts) its operation name once Apollo has resolved it from
 * the document, so the audit line names the operation even when the caller sent no `operationName`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../server/context.js';

const MAX_OPERATION_CHARS = 100;

export function auditOperationPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName }) {
          contextValue.trail.operation = operationName === null ? null : operationName.slice(0, MAX_OPERATION_CHARS);
        },
      };
    },
  };
}
