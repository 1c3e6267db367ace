/**
 * Trace, TraceSummary and the list types. Fields come from the TraceView's lazy indexes, so asking
 * for `spanCount` never builds the tree and asking for `spans` never computes a summary.
 */
import { responsePathAsArray } from 'graphql';
import { isErrorSpan, isoToMicros, microsToIso, parseSpanId, tryParseSpanId, type Span } from '../model/index.js';
import type { ConnectionParent, DependencyParent, NameListParent, OperationListParent, ServiceListParent, SummaryParent } from './mappers.js';
import { BadUserInputError } from '../errors.js';
import type {
  DependencyGraphResolvers,
  NameListResolvers,
  OperationListResolvers,
  ServiceListResolvers,
  TraceConnectionResolvers,
  TraceResolvers,
  TraceSummaryResolvers,
} from '../schema/generated.js';
import { cursorFor } from './validate.js';
import { criticalPathOf } from '../federation/index.js';

/** Every backend answered: nothing is missing from this answer. */
function isComplete(parent: { backendStatus: ReadonlyArray<{ state: string }> }): boolean {
  return parent.backendStatus.every((o) => o.state === 'OK');
}

export const traceResolvers: TraceResolvers = {
  traceId: (view) => view.trace.traceId,
  spans: (view) => view.trace.spans,
  rootSpan: (view) => view.trace.spans[0] ?? null,
  topLevelSpans: (view) => view.tree.roots,
  spanCount: (view) => view.trace.spans.length,
  startTime: (view) => microsToIso(view.summary.startTimeUs),
  startTimeUs: (view) => view.summary.startTimeUs,
  endTimeUs: (view) => view.summary.startTimeUs + view.summary.durationUs,
  durationUs: (view) => view.summary.durationUs,
  services: (view) => view.summary.services,
  errorCount: (view) => view.summary.errorCount,
  errorSpans: (view) => view.trace.spans.filter(isErrorSpan),
  warnings: (view) => view.trace.warnings,
  sources: (view) => {
    const counts = new Map<string, number>();
    for (const span of view.trace.spans) for (const source of span.sources) counts.set(source, (counts.get(source) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([backend, spanCount]) => ({ backend, spanCount }));
  },
  events: (view, { filter }) => {
    const fromUs = filter?.from != null ? isoToMicros(filter.from) : undefined;
    const toUs = filter?.to != null ? isoToMicros(filter.to) : undefined;
    if (fromUs !== undefined && toUs !== undefined && fromUs > toUs) {
      throw new BadUserInputError(`filter.from must not be after filter.to, got ${filter?.from} and ${filter?.to}`, 'filter');
    }
    const out: Array<{ event: Span['events'][number]; span: Span }> = [];
    for (const span of view.trace.spans) {
      if (filter?.service != null && span.service !== filter.service) continue;
      if (filter?.source != null && !span.sources.includes(filter.source)) continue;
      for (const event of span.events) {
        if (filter?.name != null && event.name !== filter.name) continue;
        if (fromUs !== undefined && event.timeUs < fromUs) continue;
        if (toUs !== undefined && event.timeUs > toUs) continue;
        out.push({ event, span });
      }
    }
    return out.sort((a, b) => a.event.timeUs - b.event.timeUs);
  },
  backendStatus: (view) => view.backendStatus,
  isComplete: (view) => isComplete(view),
  criticalPath: (view) => criticalPathOf(view.trace),
  span: (view, { spanId }) => {
    const id = tryParseSpanId(spanId);
    if (id === undefined) parseSpanIdOrThrow(spanId);
    return view.trace.spans.find((s) => s.spanId === id && !s.isSharedServer) ?? view.trace.spans.find((s) => s.spanId === id) ?? null;
  },
};

function parseSpanIdOrThrow(raw: string): never {
  try {
    parseSpanId(raw);
  } catch (error) {
    throw new BadUserInputError((error as Error).message, 'spanId');
  }
  throw new BadUserInputError(`spanId must be 1 to 16 hex characters, got '${raw.slice(0, 40)}'`, 'spanId');
}

export const traceSummaryResolvers: TraceSummaryResolvers = {
  traceId: (p: SummaryParent) => p.summary.traceId,
  rootService: (p) => p.summary.rootService,
  rootOperation: (p) => p.summary.rootOperation,
  startTime: (p) => microsToIso(p.summary.startTimeUs),
  startTimeUs: (p) => p.summary.startTimeUs,
  durationUs: (p) => p.summary.durationUs,
  spanCount: (p) => p.summary.spanCount,
  errorCount: (p) => p.summary.errorCount,
  services: (p) => p.summary.services,
  sources: (p) => p.summary.sources,
  trace: async (p, _, ctx, info) => {
    const lookup = await ctx.loaders.traces(p.backends, false).load(p.summary.traceId);
    ctx.outcomes.record(responsePathAsArray(info.path), lookup.outcomes);
    return lookup.view;
  },
};

export const traceConnectionResolvers: TraceConnectionResolvers = {
  edges: (p: ConnectionParent) => p.page.map((node, i) => ({ cursor: cursorFor(p.offset + i), node })),
  pageInfo: (p) => ({
    hasNextPage: p.offset + p.page.length < p.totalCount,
    hasPreviousPage: p.offset > 0,
    startCursor: p.page.length > 0 ? cursorFor(p.offset) : null,
    endCursor: p.page.length > 0 ? cursorFor(p.offset + p.page.length - 1) : null,
  }),
  totalCount: (p) => p.totalCount,
  backendStatus: (p) => p.backendStatus,
  isComplete: (p) => isComplete(p),
};

export const serviceListResolvers: ServiceListResolvers = {
  services: (p: ServiceListParent) => p.services.map((s) => ({ name: s.item, sources: s.sources })),
  backendStatus: (p) => p.backendStatus,
  isComplete: (p) => isComplete(p),
};

export const nameListResolvers: NameListResolvers = {
  names: (p: NameListParent) => p.names.map((n) => ({ name: n.item, sources: n.sources })),
  backendStatus: (p) => p.backendStatus,
  isComplete: (p) => isComplete(p),
};

export const operationListResolvers: OperationListResolvers = {
  operations: (p: OperationListParent) => p.operations.map((o) => ({ name: o.item.name, spanKind: o.item.spanKind, sources: o.sources })),
  backendStatus: (p) => p.backendStatus,
  isComplete: (p) => isComplete(p),
};

export const dependencyGraphResolvers: DependencyGraphResolvers = {
  edges: (p: DependencyParent) => p.edges.map((e) => ({ ...e.item, sources: e.sources, derived: e.derived, tracesSeen: e.tracesSeen })),
  services: (p) => [...new Set(p.edges.flatMap((e) => [e.item.parent, e.item.child]))].sort(),
  startTime: (p) => microsToIso(p.window.startUs),
  endTime: (p) => microsToIso(p.window.endUs),
  backendStatus: (p) => p.backendStatus,
  isComplete: (p) => isComplete(p),
  derivation: (p) => p.derivation,
};
