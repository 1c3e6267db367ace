/**
 * Configuration of the HTTP surface that callers reach before any GraphQL runs: Node's connection
 * and request timeouts, the automatic-persisted-query store and the metrics listener. Each default
 * is safe for a gateway exposed to every client of a company network; the README ("Timeouts and
 * surface") says how to size them. Used by config/schema.ts (`server.*`) and server/http-options.ts.
 */
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
