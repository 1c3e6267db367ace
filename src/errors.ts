/**
 * The error catalog. `ErrorCode` values are a public contract: clients branch on
 * `extensions.code`, and the README's error table lists every one (a test keeps them in step).
 * Errors are thrown typed where the problem is found, so nothing downstream classifies by message.
 */
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  /** Arguments that are malformed or out of range (inverted window, limit too large, bad cursor). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** A trace id that is not 1–32 hex digits or is all zeros. */
  INVALID_TRACE_ID: 'INVALID_TRACE_ID',
  /** A `backends:` argument naming a backend that is not configured. */
  UNKNOWN_BACKEND: 'UNKNOWN_BACKEND',
  /** The query is deeper, wider or costlier than the configured limits, or ran longer than allowed. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** Executing the query produced more values, or a longer response, than the configured limits allow. */
  RESULT_TOO_LARGE: 'RESULT_TOO_LARGE',
  /** The document does not parse or does not validate against the schema. */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** The HTTP request is not a GraphQL request (no query, wrong method or content type). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The document has several operations and `operationName` does not pick one. */
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  /** A backend could not be reached or answered with a server error. */
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  /** A backend did not answer within its timeout or the request deadline. */
  BACKEND_TIMEOUT: 'BACKEND_TIMEOUT',
  /** A backend answered with a body Tracegate could not understand. */
  BACKEND_BAD_RESPONSE: 'BACKEND_BAD_RESPONSE',
  /** A backend rejected the query (4xx other than not-found). */
  BACKEND_REJECTED: 'BACKEND_REJECTED',
  /** The backend cannot serve this kind of query exactly, so it was skipped (never approximated). */
  BACKEND_UNSUPPORTED: 'BACKEND_UNSUPPORTED',
  /**
   * An automatic persisted query (APQ) sent by hash alone that this gateway does not hold (never
   * registered, or evicted from the bounded store): send it again with its text.
   */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Automatic persisted queries are turned off (`server.persistedQueries.enabled: false`): send the text. */
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  /**
   * No valid credentials (missing, malformed, expired, wrong audience or issuer, bad signature, unknown
   * API key): HTTP 401. Every reason gets the same message; the reason is logged at debug only.
   */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /**
   * Authenticated, but not allowed: a backend outside the caller's tenant grant, a tenant the caller
   * does not hold (X-Tenant), an admin-only field without the admin grant. HTTP 403.
   */
  FORBIDDEN: 'FORBIDDEN',
  /** Too many requests from this client. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Anything unexpected; details are logged, never sent. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type ErrorExtensions = Record<string, unknown>;

/** Base class: stamps `extensions.code` so formatError never has to guess. */
export class TracegateError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extensions: ErrorExtensions = {},
  ) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'TracegateError';
  }
}

export class BadUserInputError extends TracegateError {
  constructor(message: string, argument?: string) {
    super(ErrorCode.BAD_USER_INPUT, message, argument ? { argument } : {});
  }
}

export class InvalidTraceIdError extends TracegateError {
  constructor(message: string, received: string) {
    super(ErrorCode.INVALID_TRACE_ID, message, { received });
  }
}

export class UnknownBackendError extends TracegateError {
  constructor(name: string, known: readonly string[]) {
    super(ErrorCode.UNKNOWN_BACKEND, `unknown backend '${name}'; configured backends are: ${known.join(', ')}`, {
      backend: name,
    });
  }
}

/** The one message every authentication failure gets, so a caller learns nothing about why. */
export const UNAUTHENTICATED_MESSAGE = 'authentication required: send a valid bearer token or API key';

/**
 * A request without valid credentials (src/auth/). `reason` says what was wrong for the server's log at
 * debug (never the token); callers only ever see UNAUTHENTICATED_MESSAGE. `isOperatorProblem` marks a
 * failure that is not the caller's (an issuer's JWKS that cannot be fetched), logged at warn.
 */
export class ForbiddenError extends TracegateError {
  constructor(message: string) {
    super(ErrorCode.FORBIDDEN, message);
    this.name = 'ForbiddenError';
  }
}

export class UnauthenticatedError extends TracegateError {
  constructor(
    readonly reason: string,
    readonly isOperatorProblem = false,
  ) {
    super(ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE);
    this.name = 'UnauthenticatedError';
  }
}

/**
 * A request stopped by one of the `limits` (README, "Limits"): `limit` names the setting, `max` its
 * value, so a caller can tell which one to stay under and an operator which one to raise.
 */
export class LimitExceededError extends TracegateError {
  constructor(
    code: typeof ErrorCode.QUERY_TOO_COMPLEX | typeof ErrorCode.RESULT_TOO_LARGE,
    readonly limit: string,
    max: number,
    message: string,
  ) {
    super(code, message, { limit, max });
  }
}

export type BackendErrorCode =
  | typeof ErrorCode.BACKEND_UNAVAILABLE
  | typeof ErrorCode.BACKEND_TIMEOUT
  | typeof ErrorCode.BACKEND_BAD_RESPONSE
  | typeof ErrorCode.BACKEND_REJECTED
  | typeof ErrorCode.BACKEND_UNSUPPORTED;

/**
 * The only error a Backend may throw. It is not a GraphQLError: the federation layer turns it into a
 * per-backend outcome plus an `errors[]` entry, so one backend's failure never sinks the answer.
 *
 * Two texts: `message` is for the log and may hold anything the backend said (its error body, its
 * address, index names); `publicReason` is what every caller sees in `errors[]`, `backendStatus` and
 * `/readyz`, and holds nothing the backend sent: by default it is made from the code and the HTTP
 * status. A BACKEND_UNSUPPORTED message is Tracegate's own wording about the query ("Jaeger needs a
 * service to search") and is public as it is, so it must never quote the backend.
 */
export class BackendError extends Error {
  readonly publicReason: string;

  constructor(
    readonly code: BackendErrorCode,
    readonly backend: string,
    message: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown; publicReason?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BackendError';
    this.publicReason = options?.publicReason ?? defaultPublicReason(code, message, httpStatus);
  }
}

function defaultPublicReason(code: BackendErrorCode, message: string, httpStatus: number | undefined): string {
  const status = httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`;
  switch (code) {
    case 'BACKEND_UNSUPPORTED':
      return message;
    case 'BACKEND_UNAVAILABLE':
      return `unavailable${status}`;
    case 'BACKEND_TIMEOUT':
      return `timed out${status}`;
    case 'BACKEND_BAD_RESPONSE':
      return `answered with a body Tracegate could not read${status}`;
    case 'BACKEND_REJECTED':
      return `rejected the request${status}`;
  }
}

/** For our own bugs only, never for user input (graphql-js's invariant). */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violation: ${message}`);
}
