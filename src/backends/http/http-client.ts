/**
 * HTTP for every HTTP backend (Jaeger, Zipkin): base URL, extra headers, TLS options, a pooled
 * keep-alive connection limit, abort signal, status check, JSON body. It throws only BackendError,
 * classified where the failure is seen, and knows nothing about any wire format or the model.
 *
 * Bodies are parsed with ../../formats/shared/exact-json.ts: Jaeger's v1 API writes int64 tags as JSON numbers,
 * which JSON.parse would round past ±2^53, so such an integer reaches the readers as an exact bigint.
 */
import { readFileSync } from 'node:fs';
import { Agent, errors as undiciErrors, request } from 'undici';
import { BackendError } from '../../errors.js';
import type { CallOptions } from '../backend.js';
import type { HttpBackendConfig } from '../factory.js';
import { parseJsonExact, stringifyJsonExact } from '../../formats/shared/index.js';
import { withTraceContext } from '../../telemetry/index.js';
import { nextTurn } from '../../next-turn.js';
import { reportResponseBytes } from './response-bytes.js';

/** A body this long (about 2,000 spans of Jaeger JSON) is parsed in one turn of the event loop and read in the next. */
const BIG_BODY_CHARS = 1_000_000;

export interface HttpResponse {
  status: number;
  /**
   * Parsed JSON, integers beyond ±2^53 as bigints; or the text when the body is not JSON (Jaeger/Zipkin
   * error bodies are text/plain).
   */
  body: unknown;
  text: string;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

export class HttpClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(
    private readonly backend: string,
    config: Pick<HttpBackendConfig, 'url' | 'headers' | 'tls' | 'maxConcurrency'>,
    private readonly headers: Record<string, string> = config.headers,
  ) {
    this.base = new URL(config.url.endsWith('/') ? config.url : `${config.url}/`);
    this.agent = new Agent({
      connections: config.maxConcurrency,
      keepAliveTimeout: 10_000,
      connect: {
        rejectUnauthorized: !config.tls.insecureSkipVerify,
        ...(config.tls.caFile ? { ca: readFileSync(config.tls.caFile, 'utf8') } : {}),
      },
    });
  }

  url(path: string, query: Record<string, QueryValue> = {}): URL {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else url.searchParams.set(key, String(value));
    }
    return url;
  }

  /**
   * GETs and parses JSON, under the call's signal and with its headers over the configured ones.
   * Statuses listed in `accept` are returned to the caller (e.g. 404 meaning "no such trace"); any
   * other non-2xx becomes BACKEND_UNAVAILABLE (5xx) or BACKEND_REJECTED (4xx).
   */
  async getJson(path: string, query: Record<string, QueryValue>, call: CallOptions, accept: readonly number[] = []): Promise<HttpResponse> {
    const url = this.url(path, query);
    const { signal } = call;
    let status: number;
    let text: string;
    try {
      const response = await request(url, {
        method: 'GET',
        // The request's trace context too when it is traced (telemetry/propagation.ts).
        headers: withTraceContext(withCallHeaders({ accept: 'application/json', ...this.headers }, call.headers)),
        dispatcher: this.agent,
        signal,
      });
      status = response.statusCode;
      text = await response.body.text();
      // The body as sent (no content coding is asked for): its declared length, else what was read.
      const length = Number(response.headers['content-length']);
      reportResponseBytes(this.backend, Number.isFinite(length) ? length : Buffer.byteLength(text));
    } catch (error) {
      throw this.transportError(error, url, signal);
    }
    const where = `GET ${url.pathname}`;
    if ((status < 200 || status >= 300) && !accept.includes(status)) {
      const detail = text.trim().slice(0, 300);
      const publicReason = `answered HTTP ${status}`;
      if (status >= 500)
        throw new BackendError('BACKEND_UNAVAILABLE', this.backend, `${where} answered HTTP ${status}: ${detail}`, status, { publicReason });
      throw new BackendError('BACKEND_REJECTED', this.backend, `${where} answered HTTP ${status}: ${detail}`, status, { publicReason });
    }
    let body: unknown = text;
    if (text.length > 0) {
      try {
        body = parseJsonExact(text);
        // A big body's parse is one block of the event loop; its mapping, the next (next-turn.ts).
        if (text.length >= BIG_BODY_CHARS) await nextTurn();
      } catch {
        if (status >= 200 && status < 300) {
          throw new BackendError('BACKEND_BAD_RESPONSE', this.backend, `${where} answered a body that is not JSON: ${text.slice(0, 120)}`, status, {
            publicReason: 'answered a body that is not JSON',
          });
        }
      }
    }
    return { status, body, text };
  }

  private transportError(error: unknown, url: URL, signal: AbortSignal): BackendError {
    const where = `GET ${url.pathname}`;
    if (signal.aborted || error instanceof undiciErrors.RequestAbortedError || (error as Error)?.name === 'AbortError') {
      return new BackendError('BACKEND_TIMEOUT', this.backend, `${where} was aborted: timeout or request deadline`, undefined, {
        cause: error,
        publicReason: 'aborted: timeout or request deadline',
      });
    }
    if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
      return new BackendError('BACKEND_TIMEOUT', this.backend, `${where} timed out: ${(error as Error).message}`, undefined, {
        cause: error,
        publicReason: 'timed out',
      });
    }
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    const message = error instanceof Error ? error.message : String(error);
    // The system's error code (ECONNREFUSED, ENOTFOUND) says what went wrong without the address.
    const publicReason = `connection failed${code && /^[A-Z][A-Z0-9_]+$/.test(code) ? ` (${code})` : ''}`;
    return new BackendError('BACKEND_UNAVAILABLE', this.backend, `${where} failed: ${code ? `${code} ` : ''}${message}`, undefined, {
      cause: error,
      publicReason,
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/**
 * `configured` with `perCall` over it. HTTP header names are case-insensitive and undici sends an
 * object's keys as written, so a configured `authorization` and a per-call `Authorization` would both
 * go out: a per-call name first removes every configured name equal to it but for case.
 */
function withCallHeaders(
  configured: Readonly<Record<string, string>>,
  perCall: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  if (perCall === undefined) return { ...configured };
  const replaced = new Set(Object.keys(perCall).map((name) => name.toLowerCase()));
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries(configured)) if (!replaced.has(name.toLowerCase())) merged[name] = value;
  return Object.assign(merged, perCall);
}

/** Throws BACKEND_BAD_RESPONSE unless `ok`: the shape check clients run on every body. */
export function expectShape(ok: boolean, backend: string, what: string, body: unknown): void {
  if (!ok) {
    const sample = typeof body === 'string' ? body : stringifyJsonExact(body);
    throw new BackendError('BACKEND_BAD_RESPONSE', backend, `${what}: unexpected body ${String(sample).slice(0, 160)}`, undefined, {
      publicReason: 'answered a body of an unexpected shape',
    });
  }
}

/** Runs `work` over `items` with at most `limit` in flight, keeping order: for APIs without a batch call. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
