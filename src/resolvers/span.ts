/**
 * Span, Event and Resource. Most Span fields are canonical properties resolved by graphql's default
 * resolver (cheap on 10,000-span lists); only derived fields have functions here. A span's parent and
 * children come from the tree of the trace view it belongs to, which the request's own TraceViews
 * knows (model/trace-view.ts): spans stay plain canonical objects, never wrapped.
 */
import { endTimeUs, findAttribute, microsToIso, type Span } from '../model/index.js';
import type { EventResolvers, ResourceResolvers, SpanResolvers } from '../schema/generated.js';
import type { EventParent } from './mappers.js';
import { spanSelfTimeUs } from '../federation/index.js';

export const spanResolvers: SpanResolvers = {
  parent: (span, _, ctx) => ctx.views.viewOf(span)?.tree.parentOf(span) ?? null,
  children: (span, _, ctx) => ctx.views.viewOf(span)?.tree.childrenOf(span) ?? [],
  resource: (span) => span,
  startTime: (span) => microsToIso(span.startTimeUs),
  endTimeUs: (span) => endTimeUs(span),
  attribute: (span, { key }) => findAttribute(span.attributes, key) ?? null,
  events: (span) => span.events.map((event) => ({ event, span })),
  backend: (span) => span.sources[0] ?? 'unknown',
  // A span outside any view of this request has no known children: all its time is its own.
  selfTimeUs: (span, _, ctx) => {
    const tree = ctx.views.viewOf(span)?.tree;
    return tree === undefined ? span.durationUs : spanSelfTimeUs(span, tree);
  },
};

export const resourceResolvers: ResourceResolvers = {
  serviceName: (span: Span) => span.service,
  attributes: (span) => span.resource,
};

export const eventResolvers: EventResolvers = {
  name: (p: EventParent) => p.event.name,
  time: (p) => microsToIso(p.event.timeUs),
  timeUs: (p) => p.event.timeUs,
  attributes: (p) => p.event.attributes,
  spanId: (p) => p.span.spanId,
  service: (p) => p.span.service,
  sources: (p) => p.span.sources,
  span: (p) => p.span,
};
