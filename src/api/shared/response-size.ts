/**
 * `limits.maxResponseBytes` for the compatible APIs (Jaeger v1, api_v3, Zipkin), as the GraphQL API
 * applies it (server/plugins/execution-budget.ts): the body is measured before it is serialised and
 * refused as RESULT_TOO_LARGE once it passes the bound, so a trace too large to send is never written
 * out. Each API's error handler turns the error into its own shape (Jaeger's envelope, Zipkin's plain
 * text), status 400 like every other limit.
 */
import { ErrorCode, LimitExceededError } from '../../errors.js';
import { jsonLengthUpTo } from '../../server/limits/response-size.js';

export function assertResponseFits(body: unknown, maxResponseBytes: number): void {
  if (jsonLengthUpTo(body, maxResponseBytes) <= maxResponseBytes) return;
  throw new LimitExceededError(
    ErrorCode.RESULT_TOO_LARGE,
    'maxResponseBytes',
    maxResponseBytes,
    `the response would be longer than limits.maxResponseBytes (${maxResponseBytes.toLocaleString('en')} bytes); ask for fewer traces or a shorter window`,
  );
}
