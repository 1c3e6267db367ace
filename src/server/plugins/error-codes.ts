/**
 * Remembers the `extensions.code` of every error a GraphQL response carries, for the request's metrics
 * and log line (server/request-observer.ts), which run in Fastify's onResponse hook where the body is
 * already bytes. Keyed by the request's trail (audit/trail.ts), the one object both sides hold.
 * Registered after every plugin that adds or replaces errors, so it sees the response as sent.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestTrail } from '../../audit/trail.js';
import type { RequestContext } from '../context.js';

const codesByTrail = new WeakMap<RequestTrail, string[]>();

/** Codes are ours or Apollo's (UPPER_SNAKE); anything else (an error without a code) is `INTERNAL_SERVER_ERROR`, as Apollo answers it. */
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

export function errorCodesPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || contextValue?.trail === undefined) return;
          const errors = response.body.singleResult.errors ?? [];
          if (errors.length === 0) return;
          const codes = new Set(
            errors.map((e) => e.extensions?.code).map((code) => (typeof code === 'string' && CODE.test(code) ? code : 'INTERNAL_SERVER_ERROR')),
          );
          codesByTrail.set(contextValue.trail, [...codes].sort());
        },
      };
    },
  };
}

/** The distinct error codes of the request's GraphQL response, sorted; empty without errors or a trail. */
export function errorCodesOf(trail: RequestTrail | null): readonly string[] {
  return (trail && codesByTrail.get(trail)) ?? [];
}
