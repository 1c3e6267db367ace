/**
 * The shape of Tracegate's configuration, validated with zod. Backend blocks are validated by the
 * schema their own folder exports (see backends/registry.ts), so this file never learns a backend's
 * options. Every default here is the embedded demo: no file, no backend, a working gateway.
 */
import { z } from 'zod';
import { httpTimeoutsSchema, metricsPortSchema, persistedQueriesSchema } from './http-server.js';

const rateLimitSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Requests per window per client IP. */
    max: z.number().int().positive().default(600),
    windowMs: z.number().int().positive().default(60_000),
  })
  .default({ enabled: false, max: 600, windowMs: 60_000 });

export const serverConfigSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(4000),
    graphqlPath: z.string().startsWith('/').default('/graphql'),
    /** Offline GraphQL explorer page; empty string turns it off. */
    explorerPath: z.string().default('/explorer'),
    bodyLimitBytes: z.number().int().positive().default(1_048_576),
    introspection: z.boolean().default(true),
    /** `jit` compiles each operation once (graphql-jit); `graphql-js` interprets it (the reference). */
    executor: z.enum(['jit', 'graphql-js']).default('jit'),
    rateLimit: rateLimitSchema,
    timeouts: httpTimeoutsSchema,
    persistedQueries: persistedQueriesSchema,
    metricsPort: metricsPortSchema,
  })
  .default({
    host: '127.0.0.1',
    port: 4000,
    graphqlPath: '/graphql',
    explorerPath: '/explorer',
    bodyLimitBytes: 1_048_576,
    introspection: true,
    executor: 'jit',
    rateLimit: { enabled: false, max: 600, windowMs: 60_000 },
    timeouts: httpTimeoutsSchema.parse(undefined),
    persistedQueries: persistedQueriesSchema.parse(undefined),
    metricsPort: null,
  });

/** Sized so every sensible query on the demo data passes and one request stays far below 512 MB of heap (README, "Limits"). */
const LIMIT_DEFAULTS = { maxCost: 10_000_000, maxResultValues: 1_000_000, maxResponseBytes: 32 * 1024 * 1024, maxExecutionMs: 30_000 };

export const limitsConfigSchema = z
  .strictObject({
    maxDepth: z.number().int().positive().default(12),
    maxAliases: z.number().int().positive().default(20),
    maxTokens: z.number().int().positive().default(5_000),
    /**
     * Planning price: the response values (fields and list items) an operation would produce with
     * the list sizes of server/limits/list-sizes.ts and its variables applied; checked before any
     * backend is asked (QUERY_TOO_COMPLEX). README, "Limits", says how to size this and the next three.
     */
    maxCost: z.number().int().positive().default(LIMIT_DEFAULTS.maxCost),
    /** Values (fields and list items) one response may really hold, counted as they are produced (RESULT_TOO_LARGE). */
    maxResultValues: z.number().int().positive().default(LIMIT_DEFAULTS.maxResultValues),
    /** Longest JSON response, measured before it is written (RESULT_TOO_LARGE). */
    maxResponseBytes: z.number().int().positive().default(LIMIT_DEFAULTS.maxResponseBytes),
    /** Wall time one operation may execute, backend waits included (QUERY_TOO_COMPLEX). */
    maxExecutionMs: z.number().int().positive().default(LIMIT_DEFAULTS.maxExecutionMs),
    maxTraceIds: z.number().int().positive().max(10_000).default(100),
    maxSearchLimit: z.number().int().positive().max(10_000).default(1_000),
    maxPageSize: z.number().int().positive().default(200),
    /** Longest allowed search or dependency window. */
    maxWindowHours: z.number().positive().default(24 * 31),
  })
  .default({
    maxDepth: 12,
    maxAliases: 20,
    maxTokens: 5_000,
    ...LIMIT_DEFAULTS,
    maxTraceIds: 100,
    maxSearchLimit: 1_000,
    maxPageSize: 200,
    maxWindowHours: 24 * 31,
  });

export const federationConfigSchema = z
  .strictObject({
    /** Overall deadline of one GraphQL request's backend work; each backend also has its own timeout. */
    requestTimeoutMs: z.number().int().positive().max(600_000).default(10_000),
    /** Backends used when a query names none; null = every enabled backend. */
    defaultBackends: z.array(z.string()).nullable().default(null),
    /** Match a 64-bit trace id with the 128-bit trace whose low half it is (Zipkin's STRICT_TRACE_ID=false). */
    lenientTraceIds: z.boolean().default(false),
    /**
     * Clock-skew correction: `provable` shifts only a span that cannot be right as reported (README,
     * "How merging works"); `off` returns every time as the backends reported it, like `raw: true`.
     */
    clockSkew: z.enum(['provable', 'off']).default('provable'),
    /** Largest shift clock-skew correction applies; beyond it the span is left and a warning added. */
    maxClockSkewUs: z.number().int().min(0).default(600_000_000),
    /**
     * How call counts of one dependency edge reported by several backends combine: `sum` when the
     * backends hold different traffic (split by team or region), `max` when they hold copies of the
     * same traffic (a Jaeger and the Elasticsearch its collector writes to).
     */
    dependencyCounts: z.enum(['sum', 'max']).default('sum'),
  })
  .default({ requestTimeoutMs: 10_000, defaultBackends: null, lenientTraceIds: false, clockSkew: 'provable', maxClockSkewUs: 600_000_000, dependencyCounts: 'sum' });

export const logConfigSchema = z
  .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
  .default({ level: 'info' });

export const rootConfigSchema = z.strictObject({
  server: serverConfigSchema,
  limits: limitsConfigSchema,
  federation: federationConfigSchema,
  log: logConfigSchema,
  /** Validated per kind in load.ts; the default is the embedded demo store. */
  backends: z.array(z.unknown()).min(1, 'at least one backend is required').default([{ name: 'demo', kind: 'memory', demo: true }]),
  cache: z.unknown().optional(),
});

/**
 * The execution clock includes backend waits, so it must outlast the request deadline: a slow
 * backend is a partial answer with BACKEND_TIMEOUT, never a whole request lost to maxExecutionMs.
 */
export function checkExecutionTime(limits: { maxExecutionMs: number }, federation: { requestTimeoutMs: number }): string | null {
  if (limits.maxExecutionMs > federation.requestTimeoutMs) return null;
  return `limits.maxExecutionMs (${limits.maxExecutionMs}) must be longer than federation.requestTimeoutMs (${federation.requestTimeoutMs}): execution includes waiting for the backends`;
}

export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type LimitsConfig = z.infer<typeof limitsConfigSchema>;
export type FederationConfig = z.infer<typeof federationConfigSchema>;
