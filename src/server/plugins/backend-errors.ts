/**
 * Appends the backend outcomes collected during execution (server/outcome-report.ts) to the
 * response's `errors[]`, so a partial answer says which backend failed and why, at the path of the
 * field that needed it, while `data` keeps everything the other backends returned.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context.js';

export function backendErrorsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const extra = contextValue.outcomes?.list ?? [];
          if (extra.length === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const formatted = extra.map((e) => e.toJSON());
          result.errors = [...(result.errors ?? []), ...formatted];
        },
      };
    },
  };
}
