/**
 * Shapes every error that leaves the server. Errors we threw (TracegateError) keep their code;
 * graphql-js and Apollo's own request errors keep theirs; anything else is masked as
 * INTERNAL_SERVER_ERROR and logged in full, so stack traces and backend internals never leak.
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { ErrorCode, TracegateError } from '../errors.js';

/** Codes Apollo and graphql-js stamp themselves, passed through unchanged. */
const PASS_THROUGH = new Set<string>([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.BAD_REQUEST,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

export interface ErrorLogger {
  error(obj: object, msg?: string): void;
}

function findTracegateError(error: unknown): TracegateError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof TracegateError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

export function createFormatError(logger: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const ours = findTracegateError(error);
    if (ours) {
      return { ...formatted, message: ours.message, extensions: { ...ours.extensions, code: ours.code } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && code.startsWith('BACKEND_')) return formatted; // from OutcomeReport
    if (typeof code === 'string' && PASS_THROUGH.has(code)) {
      const { stacktrace: _ignored, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError && original.originalError === undefined && code === undefined) {
      // A plain GraphQLError raised by graphql-js itself (e.g. variable coercion) is a user error.
      return { ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    logger.error({ err: original }, 'internal error while executing a query');
    const out: GraphQLFormattedError = {
      message: 'Internal server error',
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
    return formatted.path ? { ...out, path: formatted.path, ...(formatted.locations ? { locations: formatted.locations } : {}) } : out;
  };
}
