/**
 * Jaeger's api_v3 over HTTP served by Tracegate (README, "Jaeger API"; wire facts in
 * docs/formats/jaeger.md §2), so a merged trace can be read, and exported, as OTLP/JSON:
 * `GET /api/v3/services`, `/api/v3/operations`, `/api/v3/traces/{trace_id}` and `/api/v3/traces?query.*`,
 * as the gateway of the harness's Jaeger answers them (jaegertracing/jaeger
 * `cmd/query/app/apiv3/http_gateway.go`). Every route builds a request context (server/context.ts) and
 * calls the federation functions the GraphQL resolvers call: the same fan-out, merge, cache and limits.
 * Traces are written by formats/otlp-json/from-model.ts with the `tracegate.backend` attribute.
 *
 * Answers: `{"result": TracesData}`, `{"services": [...]}` (`{}` when there are none, as Jaeger's
 * protobuf JSON leaves an empty list out), `{"operations": [{"name", "spanKind"}]}`. Errors are Jaeger's
 * `{"error": {"httpCode", "message"}}`: 400 for a bad parameter or a limit (window, depth, response bytes), 404 `No traces found` for an
 * unknown id and for a search that found nothing, 500 when every backend failed. api_v3 has no error
 * list beside a result, so a backend that failed, timed out or was skipped is named in the
 * `X-Tracegate-Partial` header (`backend:CODE`, comma-separated), as the Zipkin API does.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Backend } from '../../backends/backend.js';
import { federatedOperations, federatedServices, searchTraces } from '../../federation/index.js';
import { tracesToOtlp } from '../../formats/otlp-json/index.js';
import { SPAN_KIND_TAG_BY_KIND } from '../../formats/otel/index.js';
import { parseTraceId, type BackendOutcome, type TraceId } from '../../model/index.js';
import { contextForRequest, type RequestContext, type SharedState } from '../../server/context.js';
import { clientErrorStatus } from '../shared/error-status.js';
import { setPartialHeader } from '../shared/partial-header.js';
import { assertResponseFits } from '../shared/response-size.js';
import { goTraceIdFromString } from '../shared/go-parse.js';
import { operationParams, parsed, searchParams, traceParams, type QueryParams } from './params.js';

const NOT_FOUND = 'No traces found';

/** A Jaeger api_v3 error answer. */
class V3Error extends Error {
  constructor(
    readonly httpCode: number,
    message: string,
    readonly outcomes: readonly BackendOutcome[] = [],
  ) {
    super(message);
  }
}

interface Answer {
  body: unknown;
  outcomes: readonly BackendOutcome[];
}

type Handler = (ctx: RequestContext, request: FastifyRequest) => Promise<Answer>;

/** Registers the routes under `<mountPrefix>/api/v3/` on `app` (mountPrefix `''` or `/segment…`). */
export function registerJaegerV3Api(app: FastifyInstance, shared: SharedState, mountPrefix = ''): void {
  const route = (path: string, handler: Handler): void => {
    app.get(`${mountPrefix}/api/v3${path}`, async (request, reply) => answer(request, reply, shared, handler));
  };
  const all = (ctx: RequestContext): readonly Backend[] => ctx.select(null);

  route('/services', async (ctx) => {
    const result = await federatedServices(all(ctx), ctx.fanOut);
    failIfAllFailed(result.outcomes);
    const services = result.items.map((s) => s.item);
    return { body: services.length > 0 ? { services } : {}, outcomes: result.outcomes };
  });

  route('/operations', async (ctx, request) => {
    const { service, kind } = operationParams(request.query as QueryParams);
    // Jaeger matches no operation without a service or for a kind it does not know, and says so with [].
    if (service === null || kind === undefined) return { body: { operations: [] }, outcomes: [] };
    const result = await federatedOperations(service, kind, all(ctx), ctx.fanOut);
    failIfAllFailed(result.outcomes);
    const operations = result.items.map(({ item }) => {
      const spanKind = SPAN_KIND_TAG_BY_KIND[item.spanKind];
      return spanKind === '' ? { name: item.name } : { name: item.name, spanKind };
    });
    return { body: { operations }, outcomes: result.outcomes };
  });

  route('/traces/:trace_id', async (ctx, request) => {
    const id = traceIdParam(request);
    const { raw } = traceParams(request.query as QueryParams);
    if (id === null) throw new V3Error(404, NOT_FOUND);
    return loadTraces(ctx, all(ctx), [id], raw, []);
  });

  route('/traces', async (ctx, request) => {
    const { query, raw } = searchParams(request.query as QueryParams, ctx.limits);
    if (query === null) throw new V3Error(404, NOT_FOUND);
    const backends = all(ctx);
    const result = await searchTraces(query, backends, ctx.fanOut);
    const ids = result.hits.slice(0, query.limit).map((hit) => hit.traceId);
    return loadTraces(ctx, backends, ids, raw, result.outcomes);
  });
}

/**
 * The path's trace id as Jaeger reads it: the segment as sent (mux does not unescape it), Go's parse,
 * and null for the all-zero id, which Jaeger looks up and never finds.
 */
function traceIdParam(request: FastifyRequest): TraceId | null {
  const path = (request.raw.url ?? request.url).split('?')[0]!;
  const hex = parsed('trace_id', path.slice(path.lastIndexOf('/') + 1), goTraceIdFromString);
  return /^0+$/.test(hex) ? null : parseTraceId(hex);
}

async function loadTraces(
  ctx: RequestContext,
  backends: readonly Backend[],
  ids: readonly TraceId[],
  raw: boolean,
  searchOutcomes: readonly BackendOutcome[],
): Promise<Answer> {
  const loader = ctx.loaders.traces(backends, raw);
  const lookups = await Promise.all(ids.map((id) => loader.load(id)));
  const outcomes = [...searchOutcomes, ...lookups.flatMap((l) => l.outcomes)];
  failIfAllFailed(outcomes);
  const traces = lookups.flatMap((lookup) => (lookup.view === null ? [] : [lookup.view.trace]));
  if (traces.length === 0) throw new V3Error(404, NOT_FOUND, outcomes);
  return { body: { result: tracesToOtlp(traces, { backendAttribute: true, sortCollections: !raw }) }, outcomes };
}

/** Every called backend failed: nothing can be said, as Jaeger's 500 for a storage error. */
function failIfAllFailed(outcomes: readonly BackendOutcome[]): void {
  const called = outcomes.filter((o) => o.state !== 'SKIPPED');
  if (called.length === 0 || !called.every((o) => o.state === 'FAILED' || o.state === 'TIMEOUT')) return;
  const reasons = [
    ...new Map(called.map((o) => [o.backend, `backend '${o.backend}' ${o.state}: ${o.code ?? ''}${o.reason ? ` ${o.reason}` : ''}`])).values(),
  ];
  throw new V3Error(500, reasons.join('; '), outcomes);
}

async function answer(request: FastifyRequest, reply: FastifyReply, shared: SharedState, handler: Handler): Promise<FastifyReply> {
  try {
    const ctx = contextForRequest(shared, request);
    const { body, outcomes } = await handler(ctx, request);
    // limits.maxResponseBytes, as GraphQL applies it: measured before the body is written.
    assertResponseFits(body, ctx.limits.maxResponseBytes);
    setPartialHeader(reply, outcomes);
    return reply.type('application/json').send(body);
  } catch (error) {
    if (error instanceof V3Error) {
      setPartialHeader(reply, error.outcomes);
      return sendError(reply, error.httpCode, error.message);
    }
    // Our own errors (bad parameters, a bad trace id, limits, a grant) are the caller's to fix.
    const status = clientErrorStatus(error);
    if (status !== null) return sendError(reply, status, (error as Error).message);
    request.log.error({ err: error }, 'Jaeger api_v3 request failed');
    return sendError(reply, 500, 'internal error');
  }
}

function sendError(reply: FastifyReply, httpCode: number, message: string): FastifyReply {
  return reply.code(httpCode).type('application/json').send({ error: { httpCode, message } });
}
