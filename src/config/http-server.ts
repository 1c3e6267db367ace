/**
 * Configuration of the HTTP surface that callers reach before any GraphQL runs: Node's connection
 * and request timeouts, the automatic-persisted-query store, the metrics listener, CORS for browser
 * callers and which proxies are trusted for the client address. Each default
 * is safe for a gateway exposed to every client of a company network; the README ("Timeouts and
 * surface") says how to size them. Used by config/schema.ts (`server.*`) and server/http-options.ts.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

export const httpTimeoutsSchema = z
  .strictObject({
    headersMs: z
      .number()
      .int()
      .min(100)
      .default(10_000)
      .describe('The request line and headers must arrive within this (Node `headersTimeout`); else HTTP 408 and the connection is closed.'),
    /**
     * Node `requestTimeout`: the whole request, headers and body, must arrive within this. What ends
     * a client that trickles a body at 1 byte/s.
     */
    requestMs: z
      .number()
      .int()
      .min(100)
      .default(30_000)
      .describe('The whole request, body included, must arrive within this (Node `requestTimeout`); else HTTP 408 and the connection is closed.'),
    /**
     * Fastify `connectionTimeout` (socket inactivity): a socket that sends and receives nothing for
     * this long is closed. Nothing is written while a query runs, so it must exceed the longest a
     * query may run, `limits.maxExecutionMs` (checked at start-up). Unset: the larger of 60 s and
     * that limit plus 10 s (see `idleTimeoutMs`).
     */
    idleMs: z
      .number()
      .int()
      .min(100)
      .optional()
      .describe(
        'A connection on which nothing moves this long is closed (Fastify `connectionTimeout`); must exceed `limits.maxExecutionMs`. Unset: the larger of 60000 and `limits.maxExecutionMs` + 10000.',
      ),
    keepAliveMs: z
      .number()
      .int()
      .min(100)
      .default(5_000)
      .describe("How long a kept-alive connection waits for its next request (Node `keepAliveTimeout`, plus Node's own 1 s)."),
  })
  .refine((t) => t.headersMs <= t.requestMs, {
    message: 'headersMs must not exceed requestMs (the headers are part of the request)',
    path: ['headersMs'],
  })
  .prefault({});

export const persistedQueriesSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Automatic persisted queries (Apollo's APQ); `false` answers `PERSISTED_QUERY_NOT_SUPPORTED`."),
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(8 * 1024 * 1024)
      .describe('Most heap the stored query texts may take; the least recently used are dropped beyond it.'),
  })
  .prefault({});

export const metricsPortSchema = z
  .number()
  .int()
  .min(0)
  .max(65_535)
  .nullable()
  .default(null)
  .describe('`null` serves `/metrics` on the API port; a number serves it only on this port (0: any free port), on `server.host`.');

/** An origin as a browser sends it in `Origin`: scheme://host[:port], lowercase, no path (RFC 6454 §6.2). */
const isSerializedOrigin = (text: string): boolean => URL.canParse(text) && new URL(text).origin === text;

export const corsSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Answer browsers on other origins (CORS, `@fastify/cors`); off: no CORS headers at all.'),
    origins: z
      .array(
        z.string().refine((o) => o === '*' || isSerializedOrigin(o), {
          message: "an origin is scheme://host[:port] exactly as a browser sends it (lowercase, no path or trailing slash), or '*'",
        }),
      )
      .default([])
      .describe(
        "Origins allowed, exactly (`https://portal.example.com`); `'*'`: any origin, only without `credentials`. Others get no CORS headers.",
      ),
    credentials: z
      .boolean()
      .default(false)
      .describe('Send `Access-Control-Allow-Credentials: true` (browsers then send cookies and TLS client certificates); not with `*`.'),
    methods: z
      .array(z.string().regex(/^[A-Z]+$/))
      .default(['GET', 'POST', 'OPTIONS'])
      .describe('Methods a preflight allows.'),
    allowedHeaders: z
      .array(z.string().regex(/^[A-Za-z0-9-]+$/))
      .default(['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight', 'x-apollo-operation-name', 'traceparent'])
      .describe('Request headers a preflight allows.'),
    exposedHeaders: z
      .array(z.string().regex(/^[A-Za-z0-9-]+$/))
      .default(['x-tracegate-partial'])
      .describe('Response headers a browser script may read (`Access-Control-Expose-Headers`).'),
    maxAgeSeconds: z.number().int().min(0).default(600).describe('How long a browser may reuse a preflight answer (`Access-Control-Max-Age`).'),
  })
  // The Fetch standard refuses `*` with credentials anyway; refusing it here says so at start-up instead
  // of letting every credentialed browser call fail.
  .refine((c) => !(c.credentials && c.origins.includes('*')), {
    message: "'*' cannot be used with credentials: true (browsers refuse it); list the origins",
    path: ['origins'],
  })
  .prefault({});

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, `address/prefix` or one of proxy-addr's names, as Fastify's `trustProxy` list takes them. */
function isProxyAddress(text: string): boolean {
  if (PROXY_NAMES.has(text)) return true;
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * No hop count: Fastify 5.12 treats a number as "trust nothing" (node_modules/fastify/lib/request.js,
 * getTrustProxyFn), because counting hops cannot check that the nearest peer is a proxy at all, so any
 * direct client could choose its address with X-Forwarded-For. List the proxies' addresses instead.
 */
export const trustProxySchema = z
  .union([
    z.boolean(),
    z
      .array(z.string().refine(isProxyAddress, { message: "expected an IP address, address/prefix, or 'loopback', 'linklocal', 'uniquelocal'" }))
      .min(1),
  ])
  .default(false)
  .describe(
    'Fastify `trustProxy`: `false` takes the client address from the socket; `true` (trust every peer) or a list of proxy addresses/CIDRs takes it from `X-Forwarded-For`, for the per-IP rate limit and the audit log.',
  );

export type HttpTimeoutsConfig = z.infer<typeof httpTimeoutsSchema>;
export type PersistedQueriesConfig = z.infer<typeof persistedQueriesSchema>;

/**
 * The socket inactivity timeout in force: configured, or derived from `longestQueryMs`, the longest a
 * query may run (`limits.maxExecutionMs`, itself longer than the backend deadline).
 */
export function idleTimeoutMs(timeouts: HttpTimeoutsConfig, longestQueryMs: number): number {
  return timeouts.idleMs ?? Math.max(60_000, longestQueryMs + 10_000);
}

/** The rule that spans sections; returns it as "path: message" when broken, else null. */
export function checkHttpTimeouts(timeouts: HttpTimeoutsConfig, longestQueryMs: number): string | null {
  if (timeouts.idleMs !== undefined && timeouts.idleMs <= longestQueryMs) {
    return `server.timeouts.idleMs: must exceed limits.maxExecutionMs (${longestQueryMs}), or a running query's connection is closed; got ${timeouts.idleMs}`;
  }
  return null;
}
