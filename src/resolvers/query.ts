/**
 * Query root: validate arguments, ask the loaders or the federation layer, hand back canonical
 * objects. Every non-OK backend outcome is recorded with this field's path (→ errors[]).
 */
import { responsePathAsArray } from 'graphql';
import {
  decodeEventCursor,
  dependencyGraph,
  federatedNames,
  federatedOperations,
  federatedServices,
  pageOfEvents,
  searchEvents,
  searchTraces,
} from '../federation/index.js';
import { BadUserInputError, ForbiddenError } from '../errors.js';
import type { RequestContext } from '../server/context.js';
import type { TraceView } from '../model/index.js';
import type { QueryResolvers } from '../schema/generated.js';
import type { SummaryParent } from './mappers.js';
import { eventQueryArg, pageArgs, traceIdArg, traceIdListArg, traceQueryArg, windowArg } from './validate.js';

const DAY_US = 86_400_000_000;

export const queryResolvers: QueryResolvers = {
  async trace(_, args, ctx, info) {
    const id = traceIdArg(args.id);
    const backends = ctx.select(args.backends);
    const lookup = await ctx.loaders.traces(backends, args.raw ?? false).load(id);
    ctx.outcomes.record(responsePathAsArray(info.path), lookup.outcomes);
    return lookup.view;
  },

  async traces(_, args, ctx, info) {
    const ids = traceIdListArg(args.ids, ctx.limits);
    const backends = ctx.select(args.backends);
    const loader = ctx.loaders.traces(backends, args.raw ?? false);
    const lookups = await Promise.all(ids.map((id) => loader.load(id)));
    const path = responsePathAsArray(info.path);
    return lookups.map((lookup, index): TraceView | null => {
      ctx.outcomes.record([...path, index], lookup.outcomes);
      return lookup.view;
    });
  },

  async searchTraces(_, args, ctx, info) {
    const query = traceQueryArg(args.query, ctx.limits, ctx.searchBucketUs);
    const { first, offset } = pageArgs(args.first, args.after, ctx.limits);
    const backends = ctx.select(args.backends);
    const result = await searchTraces(query, backends, ctx.fanOut);
    ctx.outcomes.record(responsePathAsArray(info.path), result.outcomes);
    const pageHits = result.hits.slice(offset, offset + first);
    // A summary must equal what trace(id) shows: each backend summarised its own raw spans (copies of a
    // span exported twice counted twice, times before clock-skew correction), so the page is
    // summarised again over the merged trace, one batch per backend, as trace(id) would merge it.
    const loader = ctx.loaders.traces(backends, false);
    const lookups = await Promise.all(pageHits.map((hit) => loader.load(hit.traceId)));
    const page: SummaryParent[] = pageHits.map((hit, i) => ({ summary: lookups[i]!.view?.summary ?? hit, backends }));
    return { page, offset, totalCount: result.hits.length, backendStatus: result.outcomes };
  },

  async searchEvents(_, args, ctx, info) {
    const query = eventQueryArg(args.query, ctx.limits, ctx.searchBucketUs);
    const { first } = pageArgs(args.first, null, ctx.limits);
    const after = args.after == null ? null : decodeEventCursor(args.after);
    const backends = ctx.select(args.backends);
    const searched = query.backend === null ? backends : backends.filter((b) => b.name === query.backend);
    if (searched.length === 0) {
      const names = backends.map((b) => b.name).join(', ');
      throw new BadUserInputError(`query.backend must be one of the selected backends (${names}), got '${query.backend}'`, 'query.backend');
    }
    const loader = ctx.loaders.traces(backends, false);
    const result = await searchEvents(query, searched, ctx.fanOut, (ids) => Promise.all(ids.map((id) => loader.load(id))));
    ctx.outcomes.record(responsePathAsArray(info.path), result.outcomes);
    return pageOfEvents(result, first, after);
  },

  async services(_, args, ctx, info) {
    const result = await federatedServices(ctx.select(args.backends), ctx.fanOut);
    ctx.outcomes.record(responsePathAsArray(info.path), result.outcomes);
    return { services: result.items, backendStatus: result.outcomes };
  },

  async operations(_, args, ctx, info) {
    if (args.service.trim() === '') throw new BadUserInputError('service must not be empty', 'service');
    const result = await federatedOperations(args.service, args.spanKind ?? null, ctx.select(args.backends), ctx.fanOut);
    ctx.outcomes.record(responsePathAsArray(info.path), result.outcomes);
    return { operations: result.items, backendStatus: result.outcomes };
  },

  async dependencies(_, args, ctx, info) {
    const window = windowArg(args.window, DAY_US, ctx.limits, ctx.searchBucketUs);
    const result = await dependencyGraph(window, ctx.select(args.backends), ctx);
    ctx.outcomes.record(responsePathAsArray(info.path), result.outcomes);
    return { edges: result.items, window, backendStatus: result.outcomes, derivation: result.derivation };
  },

  async attributeKeys(_, args, ctx, info) {
    const result = await federatedNames('keys', null, ctx.select(args.backends), ctx.fanOut);
    ctx.outcomes.record(responsePathAsArray(info.path), result.outcomes);
    return { names: result.items, backendStatus: result.outcomes };
  },

  async attributeValues(_, args, ctx, info) {
    if (args.key.trim() === '') throw new BadUserInputError('key must not be empty', 'key');
    const result = await federatedNames('values', args.key, ctx.select(args.backends), ctx.fanOut);
    ctx.outcomes.record(responsePathAsArray(info.path), result.outcomes);
    return { names: result.items, backendStatus: result.outcomes };
  },

  cache(_, __, ctx) {
    requireAdmin(ctx);
    return {
      enabled: ctx.cache !== undefined,
      redis: ctx.cache?.redis ? { mode: ctx.cache.redis.mode, ready: ctx.cache.redis.isReady } : null,
      counters: ctx.cache?.stats.snapshot() ?? [],
    };
  },

  async backends(_, __, ctx) {
    requireAdmin(ctx);
    // The last background check of each backend (server/health-monitor.ts), as /readyz shows it.
    const checks = await ctx.health.current();
    return ctx.gateway.backends.map((b, i) => {
      const { name: _name, kind: _kind, ...health } = checks[i]!;
      return { name: b.name, kind: b.kind, isDefault: ctx.gateway.isDefault(b), ...health, capabilities: b.capabilities };
    });
  },
};

/** The gateway's configuration and counters are for operators: an admin grant (README, "Tenants and grants"). */
function requireAdmin(ctx: RequestContext): void {
  if (!ctx.principal.admin) throw new ForbiddenError('Query.backends and Query.cache need an admin grant');
}
