/**
 * How the fuzz suite sends a generated request: as JSON over POST most of the time, and otherwise the
 * way clients and attackers also do it (GET with a query string, a batch, a persisted-query hash, a body
 * that is not JSON, odd content types and headers). Every request is bounded in time.
 */
import fc from 'fast-check';
import type { Gen, GeneratedRequest } from './document-generator.js';

export interface FuzzResponse {
  status: number;
  /** The parsed body, or the raw text when it is not JSON. */
  body: unknown;
  transport: string;
}

const TIMEOUT_MS = 30_000;

function headers(g: Gen): Record<string, string> {
  const out: Record<string, string> = {};
  if (g(fc.integer, { min: 0, max: 4 }) === 0)
    out['x-tenant'] = g(() =>
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.integer({ min: 1, max: 8_000 }).map((n) => 't'.repeat(n)),
      ),
    ).replace(/[^\x20-\x7e]/g, '');
  if (g(fc.integer, { min: 0, max: 9 }) === 0) out['apollo-require-preflight'] = 'true';
  if (g(fc.integer, { min: 0, max: 9 }) === 0) out.accept = g(fc.constantFrom, 'text/html', 'application/graphql-response+json', '*/*', 'image/png');
  return out;
}

export async function send(g: Gen, url: string, request: GeneratedRequest): Promise<FuzzResponse> {
  const transport = g(fc.constantFrom, 'post', 'post', 'post', 'post', 'post', 'get', 'batch', 'persisted', 'not-json', 'text-plain', 'form');
  const common = { ...headers(g) };
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  let response: Response;
  switch (transport) {
    case 'get': {
      const params = new URLSearchParams({ query: request.query, variables: JSON.stringify(request.variables) });
      if (request.operationName !== undefined) params.set('operationName', request.operationName);
      response = await fetch(`${url}?${params}`, { headers: { 'apollo-require-preflight': 'true', ...common }, signal });
      break;
    }
    case 'batch':
      response = await post(url, JSON.stringify([request, request]), 'application/json', common, signal);
      break;
    case 'persisted': {
      const sha256Hash = g(() => fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ maxLength: 70 })));
      const withQuery = g(fc.boolean);
      const body = { ...(withQuery ? request : {}), extensions: { persistedQuery: { version: g(fc.constantFrom, 1, 2, 0), sha256Hash } } };
      response = await post(url, JSON.stringify(body), 'application/json', common, signal);
      break;
    }
    case 'not-json':
      response = await post(
        url,
        g(fc.constantFrom, '{', '[]', 'null', '"query"', '{"query": 1}', '{"query": null}', '{"variables": []}', '\u0000'),
        'application/json',
        common,
        signal,
      );
      break;
    case 'text-plain':
      response = await post(url, JSON.stringify(request), 'text/plain', common, signal);
      break;
    case 'form':
      response = await post(url, `query=${encodeURIComponent(request.query)}`, 'application/x-www-form-urlencoded', common, signal);
      break;
    default:
      response = await post(url, JSON.stringify(request), 'application/json', common, signal);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: kept as text */
  }
  return { status: response.status, body, transport };
}

function post(url: string, body: string, contentType: string, extra: Record<string, string>, signal: AbortSignal): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...extra }, body, signal });
}
