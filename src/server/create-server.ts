/**
 * Serves a gateway over HTTP: Fastify with Apollo Server on `graphqlPath`, /healthz, /readyz, /metrics
 * and the offline explorer, with query depth/alias limits from graphql-armor and the limits of limits/.
 * What answers the queries (backends, cache, gateway, metrics) is built by build-gateway.ts; `close()`
 * releases both.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ValidationContext } from 'graphql';
import type { Logger } from 'pino';
import { AuditLog } from '../audit/audit-log.js';
import { registerAuditHook } from '../audit/hook.js';
import { auditOperationPlugin } from '../audit/operation-plugin.js';
import { prepareAuthentication } from '../auth/index.js';
import type { Backend } from '../backends/backend.js';
import type { Config } from '../config/index.js';
import { ErrorCode, ForbiddenError, TracegateError } from '../errors.js';
import type { Gateway } from '../federation/index.js';
import { registerZipkinApi } from '../api/zipkin/routes.js';
import { registerZipkinLens } from '../api/zipkin-lens/routes.js';
import { resolvers } from '../resolvers/index.js';
import { executionSpanPlugin, registerRequestSpans } from '../telemetry/index.js';
import { registerJaegerExtras } from '../api/jaeger/extras.js';
import { registerJaegerApi } from '../api/jaeger/routes.js';
import { registerJaegerV3Api } from '../api/jaeger-v3/routes.js';
import { buildGateway } from './build-gateway.js';
import { contextForRequest, type RequestContext } from './context.js';
import { registerExplorer } from './explorer.js';
import { registerCompression } from './compression.js';
import { registerCors } from './cors.js';
import { createFormatError } from './format-error.js';
import { registerHealthRoutes } from './health.js';
import { HealthMonitor } from './health-monitor.js';
import { rejectUnusableHost } from './host-header.js';
import { answerRequestErrorsAsGraphQL } from './http-errors.js';
import { httpServerOptions } from './http-options.js';
import { jitGateway } from './jit-executor.js';
import { registerMetricsRoute } from './metrics-route.js';
import { requestIdOf } from './request-id.js';
import { registerRequestObserver } from './request-observer.js';
import { persistedQueryOptions } from './persisted-queries.js';
import { prepareRateLimit } from './rate-limit.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerGraphQLRoute, stringifyResult } from './stream-response.js';
import { countResultValues } from './limits/execution-budget.js';
import { backendErrorsPlugin } from './plugins/backend-errors.js';
import { errorCodesPlugin } from './plugins/error-codes.js';
import { executionBudgetPlugin, ExecutionBudgets } from './plugins/execution-budget.js';
import { knownOperationTypesRule } from './plugins/known-operation-types-rule.js';
import { maxTokensRule } from './plugins/max-tokens-rule.js';
import { queryCostPlugin } from './plugins/query-cost.js';

const SCHEMA_PATH = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

export interface TracegateServer {
  app: FastifyInstance;
  /** The /metrics listener when `server.metricsPort` is set. */
  metricsApp?: FastifyInstance;
  gateway: Gateway;
  close(): Promise<void>;
}

function tooComplex(ctx: ValidationContext | null, error: { message: string }): void {
  ctx?.reportError(new TracegateError(ErrorCode.QUERY_TOO_COMPLEX, error.message));
}

/** `backends` replaces the configured ones (tests, benchmarks): see buildGateway. */
export async function createServer(config: Config, logger: Logger, backends?: Backend[]): Promise<TracegateServer> {
  const registerAuthentication = prepareAuthentication(config); // before anything starts: it may refuse the config
  const built = await buildGateway(config, logger, backends);
  const { gateway, cache, metrics } = built;

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    ...httpServerOptions(config.server, config.limits.maxExecutionMs),
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.server.trustProxy,
    genReqId: requestIdOf,
  });
  // First: every answer, a refusal too, carries x-request-id; every API request is counted and logged once.
  registerRequestObserver(app, config, metrics);
  // Tracing on: a span per API request, active while it is handled (telemetry/request-spans.ts).
  if (config.telemetry.tracing.enabled) registerRequestSpans(app, config);
  await registerCompression(app, config.server.compression); // before any route: it hooks each route as it is added
  await registerSecurityHeaders(app);
  await registerCors(app, config.server.cors); // before authentication, which would refuse preflights (cors.ts)
  rejectUnusableHost(app, config.server.graphqlPath);
  answerRequestErrorsAsGraphQL(app);
  // Around authentication: refused credentials are limited per IP before it, callers per principal after it (rate-limit.ts).
  const rateLimit = await prepareRateLimit(app, config);
  rateLimit?.beforeAuthentication(app);
  registerAuthentication(app);
  rateLimit?.afterAuthentication(app);
  // Every request's trail (set by its context, server/context.ts) and, when on, its audit line.
  app.decorateRequest('trail', null);
  const audit = config.audit.enabled ? new AuditLog(config.audit) : undefined;
  if (audit) registerAuditHook(app, config, audit);
  const limits = config.limits;
  const armor = new ApolloArmor({
    blockFieldSuggestion: { enabled: false },
    maxDepth: { n: limits.maxDepth, propagateOnRejection: false, onReject: [tooComplex] },
    maxAliases: { n: limits.maxAliases, propagateOnRejection: false, onReject: [tooComplex] },
    // Priced by what lists return, with variables applied: plugins/query-cost.ts.
    costLimit: { enabled: false },
    maxDirectives: { n: 50, propagateOnRejection: false, onReject: [tooComplex] },
    maxTokens: { enabled: false }, // see plugins/max-tokens-rule.ts
  });
  const protection = armor.protect();

  const schema = makeExecutableSchema({ typeDefs: readFileSync(SCHEMA_PATH, 'utf8'), resolvers: resolvers as never });
  const budgets = new ExecutionBudgets();
  countResultValues(schema, budgets.budgetOf);
  const apollo = new ApolloServer<RequestContext>({
    ...(config.server.executor === 'jit' ? { gateway: jitGateway(schema) } : { schema }),
    introspection: config.server.introspection,
    persistedQueries: persistedQueryOptions(config.server.persistedQueries),
    includeStacktraceInErrorResponses: false,
    // Signals are index.ts's (server/shutdown.ts): Apollo's own SIGTERM handler would stop Apollo, close
    // Fastify and raise the signal again, which the shutdown takes for an impatient second signal and
    // exits 1 before the drain and the last trace export end.
    stopOnTerminationSignals: false,
    formatError: createFormatError(logger),
    validationRules: [knownOperationTypesRule, ...protection.validationRules, maxTokensRule(limits.maxTokens)],
    plugins: [
      // graphql-armor types its plugins for BaseContext and reads nothing of ours; under exactOptionalPropertyTypes
      // Apollo's request types for the two contexts are not comparable (request.http.headers), hence via unknown.
      ...(protection.plugins as unknown as Array<ApolloServerPlugin<RequestContext>>),
      queryCostPlugin(limits, config.backends.length),
      backendErrorsPlugin(),
      auditOperationPlugin(),
      ...(config.telemetry.tracing.enabled ? [executionSpanPlugin<RequestContext>()] : []),
      // Apollo's HTTP cache-hint plugin wraps every field resolver (a third of execution time on a
      // 10,000-span trace, bench/RESULTS.md); Tracegate caches backend answers itself.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads its scripts from Apollo's CDN, which the Content-Security-Policy
      // (security-headers.ts) forbids and offline machines cannot reach; /explorer is the explorer.
      ApolloServerPluginLandingPageDisabled(),
      fastifyApolloDrainPlugin(app) as ApolloServerPlugin<RequestContext>,
      // Last but one: it may replace the whole response the others built.
      executionBudgetPlugin(budgets, limits, logger),
      // Last: it reads the errors as sent (for the request's metrics and log line).
      errorCodesPlugin(),
    ],
    // Big answers leave as a stream of chunks, not one string (stream-response.ts).
    stringifyResult,
    logger,
  });
  await apollo.start();

  // Background health checks, read by /readyz and Query.backends: neither calls a backend per request.
  const health = new HealthMonitor(gateway.backends, config.health);
  const shared = {
    gateway,
    health,
    limits,
    cache,
    searchBucketUs: cache ? config.cache.ttl.searchBucketSeconds * 1_000_000 : 0,
    tenants: new Set(Object.keys(config.tenants)),
  };
  registerGraphQLRoute(app, apollo, {
    path: config.server.graphqlPath,
    context: async (request) => {
      try {
        return contextForRequest(shared, request);
      } catch (error) {
        // Apollo answers a context error 500 unless it carries its own status (only here: a FORBIDDEN
        // field error inside an operation stays a 200 with data beside it).
        if (error instanceof ForbiddenError) (error.extensions as Record<string, unknown>).http = { status: 403 };
        throw error;
      }
    },
  });
  const { jaeger, zipkin } = config.server.compat;
  if (jaeger.enabled) {
    registerJaegerApi(app, shared, jaeger.prefix);
    registerJaegerV3Api(app, shared, jaeger.prefix);
    registerJaegerExtras(app, jaeger.prefix);
  }
  registerHealthRoutes(app, gateway, health);
  if (zipkin.enabled) registerZipkinApi(app, shared, zipkin.prefix);
  if (zipkin.enabled) await registerZipkinLens(app, shared, zipkin);
  const metricsApp = registerMetricsRoute(app, metrics, config.server, config.limits.maxExecutionMs, logger as FastifyBaseLogger);
  if (config.server.explorerPath !== '') registerExplorer(app, config.server.explorerPath, config.server.graphqlPath);
  app.get('/', async (_, reply) =>
    reply.send({
      name: 'tracegate',
      graphql: config.server.graphqlPath,
      explorer: config.server.explorerPath || null,
      // The base URL a client of each compatible API is given (Grafana's data source URL is this path on Tracegate's host).
      jaegerApi: jaeger.enabled ? jaeger.prefix || '/' : null,
      zipkinApi: zipkin.enabled ? zipkin.prefix || '/' : null,
      // Lens's page, when its files are served (server.compat.zipkin.lens.dir).
      zipkinLens: zipkin.enabled && zipkin.lens.dir !== null ? `${zipkin.lens.path}/` : null,
    }),
  );

  return {
    app,
    ...(metricsApp ? { metricsApp } : {}),
    gateway,
    async close() {
      await app.close();
      await built.close();
      audit?.flush();
    },
  };
}
