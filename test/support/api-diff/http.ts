/**
 * GET helpers for the differential API tests (test/integration/api/): the same path asked of a real
 * server and of a Tracegate gateway, answered as status, content type and body. The body is parsed as
 * JSON when it is JSON, whatever the content type says (Jaeger writes its error envelopes with Go's
 * `http.Error`, as `text/plain`: docs/formats/jaeger.md §1.1), else kept as text (Zipkin's errors).
 */
import { expect } from 'vitest';

export interface Answer {
  status: number;
  /** The media type without parameters (`application/json`, `text/plain`). */
  type: string;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: unknown;
  text: string;
}

export async function getAnswer(base: string, path: string): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: Zipkin's plain-text errors, a plain-text 404 for an unknown route.
  }
  return { status: response.status, type: (response.headers.get('content-type') ?? '').split(';')[0]!.trim(), body, text };
}

/** The same path asked of the real server and of Tracegate, in parallel. */
export async function getBoth(realBase: string, oursBase: string, path: string): Promise<{ real: Answer; ours: Answer }> {
  const [real, ours] = await Promise.all([getAnswer(realBase, path), getAnswer(oursBase, path)]);
  return { real, ours };
}

/** The gateway's HTTP root: its GraphQL url without the `/graphql` path. */
export function httpBase(graphqlUrl: string): string {
  return new URL(graphqlUrl).origin;
}

/**
 * Asks both; asserts the same status and the same body once `normalise` (one of this folder's
 * normalisers) has been applied to each; returns the real server's answer for further checks.
 */
export async function expectSameAnswer(realBase: string, oursBase: string, path: string, normalise: (body: unknown) => unknown): Promise<Answer> {
  const { real, ours } = await getBoth(realBase, oursBase, path);
  expect(ours.status, path).toBe(real.status);
  expect(normalise(ours.body), path).toEqual(normalise(real.body));
  return real;
}
