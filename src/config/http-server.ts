/**
 * Configuration of the HTTP surface that callers reach before any GraphQL runs: Node's connection
 * and request timeouts, the automatic-persisted-query store and the metrics listener. Each default
 * is safe for a gateway exposed to every client of a company network; the README ("Timeouts and
 * surface") says how to size them. Used by config/schema.ts (`server.*`) and server/http-options.ts.
 */
import { z } from 'zod';

export const httpTimeoutsSchema = z
  .strictObject({
    /** Node `headersTimeout`: the request line and headers must arrive within this (408 otherwise). */
    headersMs: z.number().int().min(100).default(10_000),
    /**
     * Node `requestTimeout`: the whole request, headers and body, must arrive within this. What ends
     * a client that trickles a body at 1 byte/s.
     */
    requestMs: z.number().int().min(100).default(30_000),
    /**
     * Fastify `connectionTimeout` (socket inactivity): a socket that sends and receives nothing for
     * this long is closed. Nothing is written while a query runs, so it must exceed the longest a
     * query may run, `limits.maxExecutionMs` (checked at start-up). Unset: the larger of 60 s and
     * that limit plus 10 s (see `idleTimeoutMs`).
     */
    idleMs: z.number().int().min(100).optional(),
    /** Node `keepAliveTimeout`: how long an idle keep-alive connection waits for its next request. */
    keepAliveMs: z.number().int().min(100).default(5_000),
  })
  .refine((t) => t.headersMs <= t.requestMs, { message: 'headersMs must not exceed requestMs (the headers are part of the request)', path: ['headersMs'] })
  .prefault({});

export const persistedQueriesSchema = z
  .strictObject({
    /** Automatic persisted queries (Apollo's APQ); false answers PERSISTED_QUERY_NOT_SUPPORTED. */
    enabled: z.boolean().default(true),
    /** Most heap the stored query texts may take (LRU beyond it). */
    maxBytes: z.number().int().positive().default(8 * 1024 * 1024),
  })
  .prefault({});

/** `null`: /metrics is served on the API port; a number: only on this port (0 = any free port). */
export const metricsPortSchema = z.number().int().min(0).max(65_535).nullable().default(null);

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
