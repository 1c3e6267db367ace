/**
 * The GraphQL side of a request's trace, as an Apollo Server plugin: names the request span
 * (request-spans.ts, the active span while Apollo runs) after the operation once Apollo resolved it,
 * and wraps execution in a `graphql.execute` span. Apollo's hooks cannot run execution inside a
 * context of their own, so the backend-call and merge spans the resolvers cause are the execution
 * span's siblings under the request span, not its children; their times show they fall inside it.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR, TRACER_NAME } from './spans.js';

/** A span name is no place for a caller's whole string. */
const MAX_NAME_CHARS = 100;

export function executionSpanPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, operation }) {
          const request = trace.getActiveSpan();
          if (request === undefined) return;
          if (operation !== undefined) request.setAttribute('graphql.operation.type', operation.operation);
          if (operationName === null) return;
          const name = operationName.slice(0, MAX_NAME_CHARS);
          request.setAttribute('graphql.operation.name', name);
          request.setAttribute(ATTR.operation, name);
          request.updateName(name);
        },
        async executionDidStart({ operationName, operation }) {
          if (trace.getActiveSpan() === undefined) return;
          const span = trace.getTracer(TRACER_NAME).startSpan('graphql.execute', {
            attributes: {
              'graphql.operation.type': operation.operation,
              ...(operationName !== null ? { 'graphql.operation.name': operationName.slice(0, MAX_NAME_CHARS) } : {}),
            },
          });
          return {
            async executionDidEnd(error) {
              if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error.name });
              span.end();
            },
          };
        },
      };
    },
  };
}
