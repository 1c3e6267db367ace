/**
 * Shapes every error that leaves the server. Errors we threw (TracegateError) keep their code;
 * graphql-js and Apollo's own request errors keep theirs; anything else is masked as
 * INTERNAL_SERVER_ERROR and logged in full, so stack traces and backend internals never leak.
 *
 * Only a masked error is logged at error level: a caller's mistake (bad variables, an unknown
 * operation, a mutation, an unknown persisted query) is answered with its code and never logged, so
 * no caller can fill the error log. Every message and string extension is cut to a bounded length,
 * since graphql-js and our own messages echo what the caller sent (a 100 KB id, a 100 KB variable).
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, Kind } from 'graphql';
import { ErrorCode, TracegateError } from '../errors.js';

/** Codes Apollo and graphql-js stamp themselves on a caller's mistake, passed through unchanged. */
const PASS_THROUGH = new Set<string>([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.BAD_REQUEST,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
  ErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
]);

/** Longest message sent; longer ones keep their start and their end (where graphql-js says why). */
export const MAX_MESSAGE_CHARS = 600;
/** Longest string extension sent (`received`, `argument` ...). */
export const MAX_EXTENSION_CHARS = 120;

export interface ErrorLogger {
  error(obj: object, msg?: string): void;
}

/** `text` cut to `max` characters, keeping the head and (when room) the tail, saying how much went. */
export function truncateEcho(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = ` …[${text.length - max} characters cut]… `;
  const keep = Math.max(0, max - marker.length);
  const tail = Math.floor(keep / 3);
  return `${text.slice(0, keep - tail)}${marker}${tail > 0 ? text.slice(-tail) : ''}`;
}

function bounded(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions =
    formatted.extensions &&
    Object.fromEntries(
      Object.entries(formatted.extensions).map(([key, value]) => [key, typeof value === 'string' ? truncateEcho(value, MAX_EXTENSION_CHARS) : value]),
    );
  return { ...formatted, message: truncateEcho(formatted.message, MAX_MESSAGE_CHARS), ...(extensions ? { extensions } : {}) };
}

function findTracegateError(error: unknown): TracegateError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof TracegateError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * Apollo answers some malformed requests with a GraphQLError that carries an HTTP 4xx status but no
 * code ("Unsupported persisted query version", "provided sha does not match query"); Apollo's own
 * normalisation would then stamp INTERNAL_SERVER_ERROR on the caller's mistake.
 */
function isRejectedRequest(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** AST nodes an argument's value can be: where graphql-js points an argument it cannot coerce. */
const VALUE_KINDS = new Set<string>([Kind.VARIABLE, Kind.NULL, Kind.INT, Kind.FLOAT, Kind.STRING, Kind.BOOLEAN, Kind.ENUM, Kind.LIST, Kind.OBJECT]);

/**
 * An argument value graphql-js could not coerce at execution (null through a variable whose default
 * let it pass validation into a non-null argument): graphql-js raises it without a code or an
 * originalError, pointing at the value in the document. A leaf that fails to serialize (our bug) is
 * raised without any node, and so stays an internal error.
 */
function isArgumentValueError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.originalError != null || error.extensions.code !== undefined) return false;
  return error.nodes?.length === 1 && VALUE_KINDS.has(error.nodes[0]!.kind);
}

/**
 * graphql-js stops coercing variables after 50 errors and adds one error of its own, without a code
 * or a node ("Too many errors processing variables, error limit reached. Execution aborted."), which
 * Apollo would stamp INTERNAL_SERVER_ERROR: it is the caller's variables, like the 50 before it.
 */
function isVariableErrorLimit(error: unknown): boolean {
  return error instanceof GraphQLError && error.extensions.code === undefined && error.message.startsWith('Too many errors processing variables');
}

export function createFormatError(logger: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const ours = findTracegateError(error);
    if (ours) {
      return bounded({ ...formatted, message: ours.message, extensions: { ...ours.extensions, code: ours.code } });
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && code.startsWith('BACKEND_')) return formatted; // from OutcomeReport
    if (typeof code === 'string' && PASS_THROUGH.has(code)) {
      const { stacktrace: _ignored, ...extensions } = formatted.extensions ?? {};
      return bounded({ ...formatted, extensions });
    }
    if (isRejectedRequest(error)) return bounded({ message: formatted.message, extensions: { code: ErrorCode.BAD_REQUEST } });
    const original = unwrapResolverError(error);
    if (isArgumentValueError(original) || isVariableErrorLimit(original)) {
      return bounded({ ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT } });
    }
    logger.error({ err: original }, 'internal error while executing a query');
    const out: GraphQLFormattedError = {
      message: 'Internal server error',
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
    return formatted.path ? { ...out, path: formatted.path, ...(formatted.locations ? { locations: formatted.locations } : {}) } : out;
  };
}
