/**
 * Label values of the request metrics, each from a bounded set so that no caller can grow the number
 * of series: the API a path belongs to, the route pattern (never the raw URL) and the GraphQL operation
 * name, folded to `other` outside an allow-list (the configured names, or the first N names seen).
 */
import type { FastifyRequest } from 'fastify';
import { apiOf } from '../auth/index.js';
import type { Config } from '../config/index.js';
import type { MetricsConfig } from './metrics-config.js';

/** A GraphQL request without an operation name: an anonymous operation, or one refused before its name was known. */
export const ANONYMOUS = 'anonymous';
export const OTHER = 'other';
/** A request no route matched (a 404 for an unknown path). */
export const UNMATCHED = 'unmatched';

/** Which operation names get a label of their own: a fixed list, or the first `max` distinct ones seen. */
export class OperationNames {
  private readonly allowed: Set<string>;
  private readonly isFixed: boolean;
  private readonly max: number;

  constructor(config: MetricsConfig) {
    this.isFixed = config.operationNames !== null;
    this.allowed = new Set(config.operationNames ?? []);
    this.max = config.maxOperationNames;
  }

  label(name: string | null): string {
    if (name === null) return ANONYMOUS;
    if (this.allowed.has(name)) return name;
    if (this.isFixed || this.allowed.size >= this.max) return OTHER;
    this.allowed.add(name);
    return name;
  }
}

const isUnder = (path: string, base: string): boolean => path === base || path.startsWith(`${base}/`);

/** graphql, jaeger, jaeger-v3 or zipkin by mount path (auth/refusal.ts); `other` for the rest (`/`, unknown paths). */
export function apiLabel(url: string, config: Config): string {
  const api = apiOf(url, config);
  return api === 'graphql' && !isUnder(url.split('?', 1)[0]!, config.server.graphqlPath) ? OTHER : api;
}

/** `METHOD /route/:pattern` as registered (Fastify's routeOptions.url), or `unmatched`. */
export function routeLabel(request: Pick<FastifyRequest, 'method' | 'routeOptions'>): string {
  const route = request.routeOptions.url;
  return route === undefined ? UNMATCHED : `${request.method} ${route}`;
}
