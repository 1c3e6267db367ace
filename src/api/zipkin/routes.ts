/**
 * Zipkin API v2, served from the federation: the read endpoints of openzipkin/zipkin
 * `zipkin-server/.../ZipkinQueryApiV2.java` under `/api/v2/`, so Zipkin Lens and Grafana's Zipkin data
 * source can read merged cross-backend traces. Each request gets its own context (server/context.ts:
 * deadline, fan-out options, loaders) and asks the same functions the GraphQL resolvers ask
 * (searchTraces, the trace loader, federatedServices/Operations/Dependencies/Names); nothing here
 * fans out or merges by itself. Spans are written by formats/zipkin-v2/from-model.ts with the
 * `tracegate.backend` tag.
 *
 * Zipkin's answers carry no error list, so a backend that failed, timed out or was skipped is
 * reported in the `X-Tracegate-Partial` header (`backend:CODE`, comma-separated) while the body holds
 * what the other backends answered. Bad parameters are 400 with a plain-text message and an unknown
 * trace id 404 `<id> not found`, as Zipkin answers them. `remoteServices` asks the backends that keep
 * remote services (federation/remote-services.ts; the others are SKIPPED and named in the header). Not
 * served: `remoteServiceName` in a search is refused (no backend call filters by it); POST /api/v2/spans.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Backend } from '../../backends/backend.js';
import { BadUserInputError, TracegateError } from '../../errors.js';
import {
  dependencyGraph,
  federatedNames,
  federatedOperations,
  federatedRemoteServices,
  federatedServices,
  searchTraces,
} from '../../federation/index.js';
import { spansToZipkinSpans, type ZipkinSpan } from '../../formats/zipkin-v2/index.js';
import { compactTraceId, type BackendOutcome, type TraceId } from '../../model/index.js';
import { contextForRequest, type RequestContext, type SharedState } from '../../server/context.js';
import { clientErrorStatus } from '../shared/error-status.js';
import { setPartialHeader } from '../shared/partial-header.js';
import { assertResponseFits } from '../shared/response-size.js';
import { dependencyWindowParams, mandatoryParam, type Params, traceIdsParam, traceQueryParams, zipkinTraceId } from './params.js';

/** The tag naming the backends that held a span, comma-separated. */
const SOURCE_TAG = 'tracegate.backend';

type Handler = (ctx: RequestContext, query: Params) => Promise<{ body: unknown; outcomes: BackendOutcome[] }>;

/** Registers the routes under `<mountPrefix>/api/v2/` on `app` (mountPrefix `''` or `/segment…`). */
export function registerZipkinApi(app: FastifyInstance, shared: SharedState, mountPrefix = ''): void {
  const PREFIX = `${mountPrefix}/api/v2`;
  const route = (path: string, handler: Handler): void => {
    app.get(`${PREFIX}${path}`, async (request, reply) => answer(request, reply, shared, handler));
  };
  const all = (ctx: RequestContext): readonly Backend[] => ctx.select(null);

  route('/services', async (ctx) => {
    const result = await federatedServices(all(ctx), ctx.fanOut);
    return { body: result.items.map((s) => s.item), outcomes: result.outcomes };
  });

  route('/spans', async (ctx, query) => {
    // An empty serviceName names no service: Zipkin answers [].
    const service = mandatoryParam(query, 'serviceName');
    if (service === '') return { body: [], outcomes: [] };
    const result = await federatedOperations(service, null, all(ctx), ctx.fanOut);
    return { body: unique(result.items.map((o) => o.item.name)), outcomes: result.outcomes };
  });

  // The client's serviceName as given: the Zipkin backends lower-case it themselves, as Zipkin does.
  route('/remoteServices', async (ctx, query) => {
    const service = mandatoryParam(query, 'serviceName');
    if (service === '') return { body: [], outcomes: [] };
    const result = await federatedRemoteServices(service, all(ctx), ctx.fanOut);
    return { body: result.items.map((s) => s.item), outcomes: result.outcomes };
  });

  route('/traces', async (ctx, query) => {
    const traceQuery = traceQueryParams(query, ctx.limits);
    const backends = all(ctx);
    const result = await searchTraces(traceQuery, backends, ctx.fanOut);
    const hits = result.hits.slice(0, traceQuery.limit);
    const loader = ctx.loaders.traces(backends, false);
    const lookups = await Promise.all(hits.map((hit) => loader.load(hit.traceId)));
    const traces = lookups.flatMap((lookup) => (lookup.view === null ? [] : [writeSpans(lookup.view.trace.spans)]));
    return { body: traces, outcomes: [...result.outcomes, ...lookups.flatMap((l) => l.outcomes)] };
  });

  route('/traceMany', async (ctx, query) => {
    const ids = traceIdsParam(query, ctx.limits);
    const lookups = await Promise.all(ids.map((id) => ctx.loaders.traces(all(ctx), false).load(id)));
    const traces = lookups.flatMap((lookup) => (lookup.view === null ? [] : [writeSpans(lookup.view.trace.spans)]));
    return { body: traces, outcomes: lookups.flatMap((l) => l.outcomes) };
  });

  route('/dependencies', async (ctx, query) => {
    const window = dependencyWindowParams(query, ctx.limits);
    const result = await dependencyGraph(window, all(ctx), ctx);
    const links = result.items.map(({ item }) => ({
      parent: item.parent,
      child: item.child,
      callCount: item.callCount,
      ...(item.errorCount ? { errorCount: item.errorCount } : {}),
    }));
    return { body: links, outcomes: result.outcomes };
  });

  route('/autocompleteKeys', async (ctx) => {
    const result = await federatedNames('keys', null, all(ctx), ctx.fanOut);
    return { body: result.items.map((n) => n.item), outcomes: result.outcomes };
  });

  route('/autocompleteValues', async (ctx, query) => {
    const key = mandatoryParam(query, 'key');
    if (key === '') throw new BadUserInputError('key was empty', 'key');
    const result = await federatedNames('values', key, all(ctx), ctx.fanOut);
    return { body: result.items.map((n) => n.item), outcomes: result.outcomes };
  });

  // Zipkin answers an unknown trace 404 with `<id> not found`, the id as Zipkin normalised it.
  app.get<{ Params: { traceId: string } }>(`${PREFIX}/trace/:traceId`, async (request, reply) =>
    answer(request, reply, shared, async (ctx) => {
      const id: TraceId = zipkinTraceId(request.params.traceId.trim());
      const lookup = await ctx.loaders.traces(all(ctx), false).load(id);
      if (lookup.view === null) throw new NotFound(`${compactTraceId(id)} not found`, lookup.outcomes);
      return { body: writeSpans(lookup.view.trace.spans), outcomes: lookup.outcomes };
    }),
  );
}

class NotFound extends Error {
  constructor(
    message: string,
    readonly outcomes: BackendOutcome[],
  ) {
    super(message);
  }
}

function writeSpans(spans: Parameters<typeof spansToZipkinSpans>[0]): ZipkinSpan[] {
  return spansToZipkinSpans(spans, { sourceTag: SOURCE_TAG });
}

function unique(names: string[]): string[] {
  return [...new Set(names)].sort();
}

async function answer(request: FastifyRequest, reply: FastifyReply, shared: SharedState, handler: Handler): Promise<FastifyReply> {
  try {
    const ctx = contextForRequest(shared, request);
    const { body, outcomes } = await handler(ctx, request.query as Params);
    assertResponseFits(body, ctx.limits.maxResponseBytes);
    setPartialHeader(reply, outcomes);
    return reply.type('application/json').send(body);
  } catch (error) {
    if (error instanceof NotFound) {
      setPartialHeader(reply, error.outcomes);
      return reply.code(404).type('text/plain').send(error.message);
    }
    // Our own errors (bad parameters, a bad trace id, limits, a grant) are the caller's to fix, in plain text as Zipkin answers.
    const status = clientErrorStatus(error) ?? (error instanceof TracegateError ? 400 : null);
    if (status !== null)
      return reply
        .code(status)
        .type('text/plain')
        .send((error as Error).message);
    request.log.error({ err: error }, 'zipkin api request failed');
    return reply.code(500).type('text/plain').send('internal server error');
  }
}
