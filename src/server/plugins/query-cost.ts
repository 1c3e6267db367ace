/**
 * Rejects an operation whose planning price (limits/static-cost.ts) is above `limits.maxCost`, as
 * QUERY_TOO_COMPLEX with HTTP 400, before any backend is asked. It runs once the operation is
 * resolved, because only then are the variables known: `first: $f` is priced at the value of `$f`,
 * exactly as `first: 200` would be (a validation rule, which Apollo caches per document, never sees
 * variables). Variables that do not coerce are left to execution, which answers BAD_USER_INPUT and
 * runs nothing.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, Kind, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import type { LimitsConfig } from '../../config/index.js';
import { ErrorCode, LimitExceededError } from '../../errors.js';
import type { RequestContext } from '../context.js';
import { listSizes, type ListSizeFacts, type ListSizes } from '../limits/list-sizes.js';
import { estimateCost } from '../limits/static-cost.js';

export function queryCostPlugin(limits: LimitsConfig, backendCount: number): ApolloServerPlugin<RequestContext> {
  const facts: ListSizeFacts = { backendCount, maxTraceIds: limits.maxTraceIds, maxPageSize: limits.maxPageSize };
  const sizesOf = new WeakMap<GraphQLSchema, ListSizes>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, response }) {
          if (!operation) return;
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
          if (coerced.errors) return;
          let sizes = sizesOf.get(schema);
          if (!sizes) sizesOf.set(schema, (sizes = listSizes(schema, facts)));
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions)
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          const cost = estimateCost({ schema, operation, fragments, variables: coerced.coerced, sizes, facts });
          if (cost <= limits.maxCost) return;
          response.http.status = 400;
          throw new LimitExceededError(
            ErrorCode.QUERY_TOO_COMPLEX,
            'maxCost',
            limits.maxCost,
            `the query is estimated at ${Math.round(cost).toLocaleString('en')} response values, more than limits.maxCost (${limits.maxCost.toLocaleString('en')}); ask for fewer items (first:, ids:), fewer nested lists or fewer aliases`,
          );
        },
      };
    },
  };
}
