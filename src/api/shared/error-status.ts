/**
 * The HTTP status a compatible API (Jaeger v1, api_v3, Zipkin) answers one of Tracegate's own errors
 * with, the same in all three: the caller's mistakes (bad parameters or ids, limits) 400, a backend or
 * tenant outside the caller's grant 403. Anything else is not the caller's to fix: null (the API's 500).
 */
import { ErrorCode, TracegateError } from '../../errors.js';

const STATUS_BY_CODE: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.INVALID_TRACE_ID]: 400,
  [ErrorCode.UNKNOWN_BACKEND]: 400,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
  [ErrorCode.RESULT_TOO_LARGE]: 400,
  [ErrorCode.FORBIDDEN]: 403,
};

export function clientErrorStatus(error: unknown): number | null {
  return error instanceof TracegateError ? (STATUS_BY_CODE[error.code] ?? null) : null;
}
