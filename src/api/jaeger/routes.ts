/**
 * Jaeger's query API v1 served by Tracegate (README, "Jaeger API"; formats in docs/formats/jaeger.md
 * §1.2–1.6), so Jaeger UI and Grafana's Jaeger data source read merged traces. Every route builds a
 * request context (server/context.ts) and calls the federation functions the GraphQL resolvers call
 * (resolvers/query.ts): the same fan-out, merge, cache and limits.
 *
 * Answers are Jaeger's envelope `{data, total, limit, offset, errors}` with its statuses: 400 for a
 * bad parameter or trace id, 404 for an unknown trace, 500 when every backend failed. A partial answer
 * is 200 with the data and one `errors` entry per backend that did not answer (its name, outcome and
 * reason); a multi-get adds one `trace not found` entry per missing id, as Jaeger does.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { dependencyGraph, federatedOperations, federatedServices, searchTraces } from '../../federation/index.js';
import { BadUserInputError, InvalidTraceIdError } from '../../errors.js';
import { traceToJaeger } from '../../formats/jaeger-json/from-model.js';
import type { JaegerStructuredError, JaegerTrace } from '../../formats/jaeger-json/wire.js';
import { SPAN_KIND_TAG_BY_KIND } from '../../formats/otel/index.js';
import { compactTraceId, type BackendOutcome, type TraceId } from '../../model/index.js';
import { traceIdArg } from '../../resolvers/validate.js';
import { GoParseError, goTraceIdFromString } from '../shared/go-parse.js';
import { contextForRequest, type RequestContext, type SharedState } from '../../server/context.js';
import { clientErrorStatus } from '../shared/error-status.js';
import { assertResponseFits } from '../shared/response-size.js';
import { dependencyWindow, isTrue, param, params, searchParams, spanKindParam, type QueryParams } from './params.js';

interface Envelope {
  data: unknown;
  total: number;
  limit: number;
  offset: number;
  errors: JaegerStructuredError[] | null;
}

const STATUS_BY_STATE: Partial<Record<BackendOutcome['state'], number>> = { FAILED: 502, TIMEOUT: 504 };

function envelope(data: unknown, errors: JaegerStructuredError[], total = 0): Envelope {
  return { data, total, limit: 0, offset: 0, errors: errors.length > 0 ? errors : null };
}

/** One entry per backend that did not answer, each backend once. */
function backendErrors(outcomes: readonly BackendOutcome[]): JaegerStructuredError[] {
  const seen = new Set<string>();
  const errors: JaegerStructuredError[] = [];
  for (const o of outcomes) {
    if (o.state === 'OK' || seen.has(o.backend)) continue;
    seen.add(o.backend);
    const code = STATUS_BY_STATE[o.state];
    errors.push({
      ...(code ? { code } : {}),
      msg: `backend '${o.backend}' (${o.kind}) ${o.state}: ${o.code ?? ''}${o.reason ? ` ${o.reason}` : ''}`,
    });
  }
  return errors;
}

/** Every called backend failed: nothing can be said, as Jaeger's 500 for a storage error. */
function allFailed(outcomes: readonly BackendOutcome[]): boolean {
  const called = outcomes.filter((o) => o.state !== 'SKIPPED');
  return called.length > 0 && called.every((o) => o.state === 'FAILED' || o.state === 'TIMEOUT');
}

function send(reply: FastifyReply, data: unknown, outcomes: readonly BackendOutcome[], total = 0, extra: JaegerStructuredError[] = []) {
  const errors = [...extra, ...backendErrors(outcomes)];
  if (allFailed(outcomes)) return reply.code(500).send(envelope(null, errors));
  return reply.send(envelope(data, errors, total));
}

/**
 * A trace id as Jaeger v1 reads it (model.TraceIDFromString through src/api/shared/go-parse.ts, with
 * Go's messages, `prefix` first), or null for the all-zero id: no backend can hold it, and Jaeger
 * answers it `trace not found`.
 */
function v1TraceId(text: string, prefix = ''): TraceId | null {
  let hex: string;
  try {
    hex = goTraceIdFromString(text);
  } catch (error) {
    if (error instanceof GoParseError) throw new InvalidTraceIdError(`${prefix}${error.message}`, text);
    throw error;
  }
  return /^0+$/.test(hex) ? null : traceIdArg(hex);
}

/** How Jaeger names the all-zero id in a multi-get's `trace not found` entry. */
const ZERO_TRACE_ID = '0000000000000000';

/** Jaeger builds these name lists by appending to a nil Go slice: none is `null`, not `[]`. */
function nilIfEmpty(names: string[]): string[] | null {
  return names.length > 0 ? names : null;
}

async function loadTraces(ctx: RequestContext, ids: readonly TraceId[], raw: boolean) {
  const loader = ctx.loaders.traces(ctx.select(null), raw);
  const lookups = await Promise.all(ids.map((id) => loader.load(id)));
  const traces: JaegerTrace[] = [];
  for (const lookup of lookups) if (lookup.view !== null) traces.push(traceToJaeger(lookup.view.trace, { backendTag: true, sortTags: !raw }));
  return { lookups, traces, outcomes: lookups.flatMap((l) => l.outcomes) };
}

/** Registers the routes under `<mountPrefix>/api` on `app` (mountPrefix `''` or `/segment…`). */
export function registerJaegerApi(app: FastifyInstance, shared: SharedState, mountPrefix = ''): void {
  void app.register(
    async (scope) => {
      scope.setErrorHandler(async (error, request, reply) => {
        const clientStatus = clientErrorStatus(error);
        if (clientStatus !== null) return reply.code(clientStatus).send(envelope(null, [{ code: clientStatus, msg: (error as Error).message }]));
        const status = (error as { statusCode?: number }).statusCode ?? 500;
        if (status >= 500) request.log.error({ err: error }, 'Jaeger API request failed');
        return reply.code(status).send(envelope(null, [{ code: status, msg: status >= 500 ? 'internal error' : (error as Error).message }]));
      });

      // limits.maxResponseBytes, as GraphQL applies it: measured before the body is written; the error
      // handler above answers it in the envelope.
      // An error envelope (data null) is never measured, so the refusal itself always goes out.
      scope.addHook('preSerialization', async (_request, _reply, payload: Envelope) => {
        if (payload.data !== null) assertResponseFits(payload, shared.limits.maxResponseBytes);
        return payload;
      });

      scope.get('/api/services', async (request, reply) => {
        const ctx = contextForRequest(shared, request);
        const result = await federatedServices(ctx.select(null), ctx.fanOut);
        return send(reply, nilIfEmpty(result.items.map((s) => s.item)), result.outcomes, result.items.length);
      });

      scope.get<{ Params: { service: string } }>('/api/services/:service/operations', async (request, reply) => {
        const ctx = contextForRequest(shared, request);
        const result = await federatedOperations(request.params.service, null, ctx.select(null), ctx.fanOut);
        const names = [...new Set(result.items.map((o) => o.item.name))];
        return send(reply, nilIfEmpty(names), result.outcomes, names.length);
      });

      scope.get<{ Querystring: QueryParams }>('/api/operations', async (request, reply) => {
        const service = param(request.query, 'service');
        if (service === undefined) throw new BadUserInputError("parameter 'service' is required");
        const kind = spanKindParam(request.query);
        if (kind === 'none') return send(reply, [], []);
        const ctx = contextForRequest(shared, request);
        const result = await federatedOperations(service, kind, ctx.select(null), ctx.fanOut);
        const data = result.items.map(({ item }) => ({ name: item.name, spanKind: SPAN_KIND_TAG_BY_KIND[item.spanKind] }));
        return send(reply, data, result.outcomes, data.length);
      });

      scope.get<{ Params: { id: string }; Querystring: QueryParams }>('/api/traces/:id', async (request, reply) => {
        const id = v1TraceId(request.params.id);
        const raw = isTrue(request.query, 'raw');
        if (id === null) return reply.code(404).send(envelope(null, [{ code: 404, msg: 'trace not found' }]));
        const ctx = contextForRequest(shared, request);
        const { traces, outcomes } = await loadTraces(ctx, [id], raw);
        if (traces.length === 0 && !allFailed(outcomes)) {
          return reply.code(404).send(envelope(null, [{ code: 404, msg: 'trace not found' }, ...backendErrors(outcomes)]));
        }
        return send(reply, traces, outcomes);
      });

      scope.get<{ Querystring: QueryParams }>('/api/traces', async (request, reply) => {
        const ctx = contextForRequest(shared, request);
        const raw = isTrue(request.query, 'raw');
        const idTexts = params(request.query, 'traceID');
        if (idTexts.length > 0) {
          if (idTexts.length > ctx.limits.maxTraceIds) {
            throw new BadUserInputError(`'traceID' may be given at most ${ctx.limits.maxTraceIds} times, got ${idTexts.length}`);
          }
          // One answer per id given, repeats included, as Jaeger asks its storage once per id.
          const parsed = idTexts.map((text) => v1TraceId(text, 'cannot parse traceID param: '));
          const ids = parsed.filter((id) => id !== null);
          const { lookups, traces, outcomes } = await loadTraces(ctx, ids, raw);
          const missing = [
            ...parsed.filter((id) => id === null).map(() => ({ msg: 'trace not found', traceID: ZERO_TRACE_ID })),
            ...lookups.filter((l) => l.view === null).map((l) => ({ msg: 'trace not found', traceID: compactTraceId(l.traceId) })),
          ];
          return send(reply, traces, outcomes, 0, missing);
        }
        const query = searchParams(request.query, ctx.limits);
        if (query === null) return send(reply, [], []);
        const backends = ctx.select(null);
        const result = await searchTraces(query, backends, ctx.fanOut);
        const { traces, outcomes } = await loadTraces(
          ctx,
          result.hits.slice(0, query.limit).map((h) => h.traceId),
          raw,
        );
        return send(reply, traces, [...result.outcomes, ...outcomes]);
      });

      scope.get<{ Querystring: QueryParams }>('/api/dependencies', async (request, reply) => {
        const ctx = contextForRequest(shared, request);
        const window = dependencyWindow(request.query, ctx.limits);
        const result = await dependencyGraph(window, ctx.select(null), ctx);
        const data = result.items.map(({ item }) => ({ parent: item.parent, child: item.child, callCount: item.callCount }));
        return send(reply, data, result.outcomes);
      });
    },
    { prefix: mountPrefix },
  );
}
