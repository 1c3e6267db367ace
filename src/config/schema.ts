/**
 * The shape of Tracegate's configuration, validated with zod. Backend blocks are validated by the
 * schema their own folder exports (see backends/registry.ts), so this file never learns a backend's
 * options. Every default here is the embedded demo: no file, no backend, a working gateway.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { auditConfigSchema } from '../audit/config.js';
import { metricsConfigSchema } from '../server/metrics-config.js';
import { tenantsConfigSchema } from '../tenancy/config.js';
import { authConfigSchema } from '../auth/config.js';
import { redactionConfigSchema } from '../redaction/config.js';
import { telemetryConfigSchema } from '../telemetry/config.js';
import { corsSchema, httpTimeoutsSchema, metricsPortSchema, persistedQueriesSchema, trustProxySchema } from './http-server.js';
import { compressionSchema, healthConfigSchema, shutdownTimeoutSchema } from './operations.js';

const rateLimitSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        'Limit requests per principal when authenticated, else per client IP (`RATE_LIMITED`, HTTP 429); /healthz, /readyz and /metrics are never limited.',
      ),
    max: z
      .number()
      .int()
      .positive()
      .default(600)
      .describe('Requests per window per principal (or per client IP when anonymous); also the refused credentials one IP may send per window.'),
    windowMs: z.number().int().positive().default(60_000).describe('Length of the rate-limit window.'),
  })
  .default({ enabled: false, max: 600, windowMs: 60_000 });

/** A URL path prefix: empty (the root) or `/segment[/segment…]` without a trailing slash. */
const mountPrefixSchema = z.string().regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'a mount prefix is empty or /segment[/segment…], without a trailing slash');

const jaegerCompatSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Serve Jaeger\'s query API v1 (`/api/services`, `/api/traces`, …) and api_v3 (`/api/v3/…`, OTLP JSON) for Jaeger UI and Grafana\'s Jaeger data source (README, "Jaeger API").',
      ),
    prefix: mountPrefixSchema
      .default('')
      .describe(
        "Path the Jaeger API is mounted under: `''` serves `/api/…` (the URL to paste into Grafana is Tracegate's root), `/jaeger` serves `/jaeger/api/…`.",
      ),
  })
  .default({ enabled: true, prefix: '' });

const nullableLink = (what: string) => z.string().min(1).nullable().default(null).describe(`${what}; \`null\`: none (config.json).`);

/**
 * Zipkin Lens served by Tracegate (src/api/zipkin-lens/). Everything but `dir` and `path` is Lens's
 * config.json, with the defaults the Zipkin server writes (openzipkin/zipkin `zipkin-server-shared.yml`,
 * `zipkin.ui.*`).
 */
const lensSchema = z
  .strictObject({
    dir: z
      .string()
      .min(1)
      .refine((dir) => existsSync(join(dir, 'index.html')), {
        message: "holds no index.html: give the folder extracted from the Zipkin server jar's BOOT-INF/lib/zipkin-lens-<version>.jar as zipkin-lens/",
      })
      .nullable()
      .default(null)
      .describe(
        'Folder holding Zipkin Lens\'s static files (`zipkin-lens/` of the Zipkin server jar\'s `BOOT-INF/lib/zipkin-lens-<version>.jar`), served under `path`; `null`: not served (README, "Zipkin API").',
      ),
    path: z
      .string()
      .regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'the Lens path is /segment[/segment…], without a trailing slash')
      .default('/zipkin')
      .describe(
        'Where Lens is served, with its `config.json` and a second copy of the Zipkin API (`<path>/api/v2/…`) that Lens calls, as Zipkin serves them.',
      ),
    environment: z.string().default('').describe('Label Lens shows in its top-right corner (config.json).'),
    queryLimit: z.number().int().positive().default(10).describe("Lens's default search limit (config.json)."),
    defaultLookbackMs: z.number().int().positive().default(900_000).describe("Lens's default search window (config.json `defaultLookback`)."),
    searchEnabled: z.boolean().default(true).describe("Show Lens's search page (config.json)."),
    logsUrl: nullableLink('Logs link template Lens shows on a trace, `{traceId}` replaced'),
    supportUrl: nullableLink('Support link Lens shows'),
    archivePostUrl: nullableLink('Where Lens posts a trace to archive it'),
    archiveUrl: nullableLink('Link to an archived trace, `{traceId}` replaced'),
    dependency: z
      .strictObject({
        enabled: z.boolean().default(true).describe("Show Lens's dependency graph page (config.json)."),
        lowErrorRate: z.number().min(0).max(1).default(0.5).describe('Error rate from which Lens draws a dependency link yellow (config.json).'),
        highErrorRate: z.number().min(0).max(1).default(0.75).describe('Error rate from which Lens draws a dependency link red (config.json).'),
      })
      .default({ enabled: true, lowErrorRate: 0.5, highErrorRate: 0.75 }),
  })
  .default({
    dir: null,
    path: '/zipkin',
    environment: '',
    queryLimit: 10,
    defaultLookbackMs: 900_000,
    searchEnabled: true,
    logsUrl: null,
    supportUrl: null,
    archivePostUrl: null,
    archiveUrl: null,
    dependency: { enabled: true, lowErrorRate: 0.5, highErrorRate: 0.75 },
  });

const zipkinCompatSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('Serve the Zipkin API v2 read endpoints (`/api/v2/…`) for Zipkin Lens and Grafana\'s Zipkin data source (README, "Zipkin API").'),
    prefix: mountPrefixSchema
      .default('')
      .describe("Path the Zipkin API is mounted under: `''` serves `/api/v2/…`, `/zipkin` serves `/zipkin/api/v2/…`."),
    lens: lensSchema,
  })
  .default({ enabled: true, prefix: '', lens: lensSchema.parse(undefined) });

const compatSchema = z
  .strictObject({ jaeger: jaegerCompatSchema, zipkin: zipkinCompatSchema })
  .default({ jaeger: jaegerCompatSchema.parse(undefined), zipkin: zipkinCompatSchema.parse(undefined) })
  .describe("Other tracing systems' query APIs served over the federation, each under its own mount prefix.");

export const serverConfigSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1').describe('Address to listen on (env `HOST`).'),
    port: z.number().int().min(0).max(65_535).default(4000).describe('Port to listen on; 0 takes any free port (env `PORT`).'),
    graphqlPath: z.string().startsWith('/').default('/graphql').describe('Path of the GraphQL endpoint.'),
    explorerPath: z.string().default('/explorer').describe('Path of the offline GraphiQL explorer; `""` turns it off.'),
    bodyLimitBytes: z
      .number()
      .int()
      .positive()
      .default(1_048_576)
      .describe('Largest request body; a larger one is answered HTTP 413, `BAD_REQUEST`.'),
    introspection: z.boolean().default(true).describe('Allow introspection queries.'),
    executor: z
      .enum(['jit', 'graphql-js'])
      .default('jit')
      .describe(
        '`jit` compiles each operation once with graphql-jit (about 2× faster on big traces, proven equal by `test/server/jit-executor.test.ts`); `graphql-js` is the reference interpreter.',
      ),
    rateLimit: rateLimitSchema,
    timeouts: httpTimeoutsSchema,
    persistedQueries: persistedQueriesSchema,
    metricsPort: metricsPortSchema,
    cors: corsSchema,
    trustProxy: trustProxySchema,
    compat: compatSchema,
    compression: compressionSchema,
    shutdownTimeoutMs: shutdownTimeoutSchema,
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
    cors: corsSchema.parse(undefined),
    trustProxy: false,
    compat: compatSchema.parse(undefined),
    compression: compressionSchema.parse(undefined),
    shutdownTimeoutMs: shutdownTimeoutSchema.parse(undefined),
  });

/** Sized so every sensible query on the demo data passes and one request stays far below 512 MB of heap (README, "Limits"). */
const LIMIT_DEFAULTS = { maxCost: 10_000_000, maxResultValues: 1_000_000, maxResponseBytes: 32 * 1024 * 1024, maxExecutionMs: 30_000 };

export const limitsConfigSchema = z
  .strictObject({
    maxDepth: z.number().int().positive().default(12).describe('Deepest nesting of a selection (`QUERY_TOO_COMPLEX`).'),
    maxAliases: z.number().int().positive().default(20).describe('Most aliases in a document (`QUERY_TOO_COMPLEX`).'),
    maxTokens: z.number().int().positive().default(5_000).describe('Most lexical tokens in a document (`QUERY_TOO_COMPLEX`).'),
    /**
     * Planning price: the response values (fields and list items) an operation would produce with
     * the list sizes of server/limits/list-sizes.ts and its variables applied; checked before any
     * backend is asked (QUERY_TOO_COMPLEX). README, "Limits", says how to size this and the next three.
     */
    maxCost: z
      .number()
      .int()
      .positive()
      .default(LIMIT_DEFAULTS.maxCost)
      .describe(
        'Planning price: the response values an operation would produce with assumed list sizes, refused before any backend is called (`QUERY_TOO_COMPLEX`).',
      ),
    maxResultValues: z
      .number()
      .int()
      .positive()
      .default(LIMIT_DEFAULTS.maxResultValues)
      .describe('Values (fields and list items) one response may really hold, counted as they are produced (`RESULT_TOO_LARGE`).'),
    maxResponseBytes: z
      .number()
      .int()
      .positive()
      .default(LIMIT_DEFAULTS.maxResponseBytes)
      .describe('Longest JSON response, measured before it is written (`RESULT_TOO_LARGE`).'),
    maxExecutionMs: z
      .number()
      .int()
      .positive()
      .default(LIMIT_DEFAULTS.maxExecutionMs)
      .describe('Wall time one operation may execute, backend waits included; must exceed `federation.requestTimeoutMs` (`QUERY_TOO_COMPLEX`).'),
    maxTraceIds: z
      .number()
      .int()
      .positive()
      .max(10_000)
      .default(100)
      .describe('Most ids in `traces(ids:)`; they must name distinct traces (`BAD_USER_INPUT`).'),
    maxSearchLimit: z.number().int().positive().max(10_000).default(1_000).describe('Largest `searchTraces(query: {limit})` (`BAD_USER_INPUT`).'),
    maxPageSize: z.number().int().positive().default(200).describe('Largest `searchTraces(first:)` (`BAD_USER_INPUT`).'),
    maxWindowHours: z
      .number()
      .positive()
      .default(24 * 31)
      .describe('Longest search or dependency window (`BAD_USER_INPUT`).'),
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

/** Bounds of the derived service graph (README, "The derived service graph"). */
const DERIVED_DEPENDENCY_DEFAULTS = { enabled: true, tracesPerService: 20, maxServices: 50, maxTraces: 500, timeBudgetMs: 3_000, cacheSeconds: 300 };

const derivedDependenciesSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Add to `dependencies` the edges only merged traces show, from a sample of the window's traces."),
    tracesPerService: z
      .number()
      .int()
      .positive()
      .max(1_000)
      .default(20)
      .describe("Newest traces searched per service (one search per service, like a UI's default page of 20)."),
    maxServices: z
      .number()
      .int()
      .positive()
      .max(1_000)
      .default(50)
      .describe('Services searched at most (alphabetically first); the rest are reported as cut.'),
    maxTraces: z
      .number()
      .int()
      .positive()
      .max(10_000)
      .default(500)
      .describe('Distinct traces fetched merged at most, taken round-robin over the services.'),
    timeBudgetMs: z
      .number()
      .int()
      .positive()
      .max(600_000)
      .default(3_000)
      .describe('No new round of sampling calls starts after this; the answer is then partial and not cached.'),
    cacheSeconds: z
      .number()
      .int()
      .min(0)
      .default(300)
      .describe('How long a complete derived graph is kept per tenant, backends and window (needs `cache.enabled`); 0: not kept.'),
  })
  .default(DERIVED_DEPENDENCY_DEFAULTS);

export const federationConfigSchema = z
  .strictObject({
    requestTimeoutMs: z
      .number()
      .int()
      .positive()
      .max(600_000)
      .default(10_000)
      .describe("Deadline of one request's backend work; each backend also has its own `timeoutMs` (env `TRACEGATE_REQUEST_TIMEOUT_MS`)."),
    defaultBackends: z.array(z.string()).nullable().default(null).describe('Backends used when a query names none; `null`: every enabled backend.'),
    lenientTraceIds: z
      .boolean()
      .default(false)
      .describe("Match a 64-bit trace id with the 128-bit trace whose low half it is (Zipkin's `STRICT_TRACE_ID=false`)."),
    clockSkew: z
      .enum(['provable', 'off'])
      .default('provable')
      .describe(
        '`provable` shifts only a span that cannot be right as reported (README, "How merging works"); `off` returns every time as the backends reported it, like `raw: true`.',
      ),
    maxClockSkewUs: z
      .number()
      .int()
      .min(0)
      .default(600_000_000)
      .describe('Largest clock-skew shift applied; beyond it the span is left as reported and flagged `CLOCK_SKEW_TOO_LARGE`.'),
    dependencyCounts: z
      .enum(['sum', 'max'])
      .default('sum')
      .describe(
        'How the call counts of one dependency edge reported by several backends combine: `sum` when they hold different traffic (split by team or region), `max` when they hold copies of the same traffic (a Jaeger and the Elasticsearch its collector writes to).',
      ),
    derivedDependencies: derivedDependenciesSchema,
  })
  .default({
    requestTimeoutMs: 10_000,
    defaultBackends: null,
    lenientTraceIds: false,
    clockSkew: 'provable',
    maxClockSkewUs: 600_000_000,
    dependencyCounts: 'sum',
    derivedDependencies: DERIVED_DEPENDENCY_DEFAULTS,
  });

export const logConfigSchema = z
  .strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level (env `LOG_LEVEL`).'),
  })
  .default({ level: 'info' });

export const rootConfigSchema = z.strictObject({
  server: serverConfigSchema,
  limits: limitsConfigSchema,
  federation: federationConfigSchema,
  log: logConfigSchema,
  auth: authConfigSchema,
  redaction: redactionConfigSchema,
  tenants: tenantsConfigSchema,
  audit: auditConfigSchema,
  telemetry: telemetryConfigSchema,
  metrics: metricsConfigSchema,
  health: healthConfigSchema,
  /** Validated per kind in load.ts; the default is the embedded demo store. */
  backends: z
    .array(z.unknown())
    .min(1, 'at least one backend is required')
    .default([{ name: 'demo', kind: 'memory', demo: true }])
    .describe('The backends to federate, each validated by the schema of its `kind`; the default is the embedded demo store.'),
  cache: z.unknown().optional().describe('What is cached, where and for how long (README, "Caching").'),
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
