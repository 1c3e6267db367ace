/**
 * The Fastify and Node HTTP server options that bound what a connection may cost before any GraphQL
 * runs: body size, time to send the headers, time to send the whole request, socket inactivity and
 * keep-alive. Fastify's own defaults leave the request timeout off, so a client trickling a body at
 * 1 byte/s held its connection (and its parser state) for as long as it liked.
 */
import type { FastifyHttpOptions } from 'fastify';
import type { Server } from 'node:http';
import { idleTimeoutMs, type ServerConfig } from '../config/index.js';

/**
 * Node enforces headersTimeout and requestTimeout by sweeping its connections every
 * `connectionsCheckingInterval` (30 s by default, which would let a 10 s header timeout run to
 * 40 s). A quarter of the shortest timeout keeps the overshoot small; a sweep is one walk over the
 * open connections.
 */
function checkingIntervalMs(timeouts: ServerConfig['timeouts']): number {
  return Math.min(1_000, Math.max(25, Math.floor(timeouts.headersMs / 4)));
}

/** `longestQueryMs`: the longest one query may run (limits.maxExecutionMs); the idle timeout exceeds it. */
export function httpServerOptions(
  server: ServerConfig,
  longestQueryMs: number,
): Pick<FastifyHttpOptions<Server>, 'bodyLimit' | 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'http'> {
  const { timeouts } = server;
  return {
    bodyLimit: server.bodyLimitBytes,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: idleTimeoutMs(timeouts, longestQueryMs),
    keepAliveTimeout: timeouts.keepAliveMs,
    http: { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: checkingIntervalMs(timeouts) },
  };
}
