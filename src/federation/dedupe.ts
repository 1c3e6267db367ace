/**
 * Merge step 2: fold copies of one span. The same span can reach several backends (a collector that
 * tees to Jaeger and Zipkin) or twice into one. Copies are identified by span id plus side (see
 * model/span.ts `spanKey`); the folded span keeps the union of attributes, events and links, and the
 * list of every backend that held it. The first copy in backend configuration order wins on
 * conflicting scalar fields, and the conflict is reported as a warning, never silently.
 *
 * Zipkin-style shared spans reported without the `shared` flag (one copy CLIENT, the other SERVER,
 * same id) are not duplicates: the SERVER copy becomes the shared server half (depends on nothing
 * earlier; build-tree.ts relies on it).
 */
import { mergeAttributes, spanKey, type Span, type SpanEvent, type SpanLink, type TraceWarning } from '../model/index.js';

function eventKey(event: SpanEvent): string {
  return `${event.timeUs}\u0000${event.name}`;
}

function linkKey(link: SpanLink): string {
  return `${link.traceId}:${link.spanId}`;
}

function unionBy<T>(first: readonly T[], second: readonly T[], key: (item: T) => string): T[] {
  if (second.length === 0) return [...first];
  const seen = new Set(first.map(key));
  const out = [...first];
  for (const item of second) {
    const k = key(item);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(item);
    }
  }
  return out;
}

function conflicts(a: Span, b: Span): string[] {
  const fields: string[] = [];
  if (a.name !== b.name) fields.push('name');
  if (a.service !== b.service) fields.push('service');
  if (a.startTimeUs !== b.startTimeUs) fields.push('startTime');
  if (a.durationUs !== b.durationUs) fields.push('duration');
  if (a.parentSpanId !== b.parentSpanId) fields.push('parentSpanId');
  return fields;
}

function fold(kept: Span, copy: Span, warnings: TraceWarning[]): Span {
  const differing = conflicts(kept, copy);
  const sameBackend = copy.sources.some((s) => kept.sources.includes(s));
  if (sameBackend) {
    warnings.push({ code: 'DUPLICATE_SPAN_ID', message: `span ${kept.spanId} appears more than once in ${copy.sources.join(', ')}`, spanId: kept.spanId });
  }
  if (differing.length > 0) {
    warnings.push({
      code: 'CONFLICTING_DUPLICATE',
      message: `copies of span ${kept.spanId} from ${kept.sources.join(', ')} and ${copy.sources.join(', ')} differ in ${differing.join(', ')}; kept the first`,
      spanId: kept.spanId,
    });
  }
  return {
    ...kept,
    // A copy that knows more (kind, status, parent) fills what the first lacked: Zipkin, for one, has no UNSET-vs-OK.
    kind: kept.kind === 'UNSPECIFIED' ? copy.kind : kept.kind,
    parentSpanId: kept.parentSpanId ?? copy.parentSpanId,
    status: kept.status.code === 'UNSET' && copy.status.code !== 'UNSET' ? copy.status : kept.status,
    scope: kept.scope ?? copy.scope,
    resource: mergeAttributes(kept.resource, copy.resource),
    attributes: mergeAttributes(kept.attributes, copy.attributes),
    events: unionBy(kept.events, copy.events, eventKey).sort((x, y) => x.timeUs - y.timeUs),
    links: unionBy(kept.links, copy.links, linkKey),
    sources: [...new Set([...kept.sources, ...copy.sources])],
    warnings: [...new Set([...kept.warnings, ...copy.warnings])],
  };
}

/** Input spans are in backend configuration order; output keeps first-seen order. */
export function dedupeSpans(spans: readonly Span[], warnings: TraceWarning[]): Span[] {
  const byKey = new Map<string, Span>();
  for (const original of spans) {
    let span = original;
    const key = spanKey(span);
    const existing = byKey.get(key);
    if (existing === undefined) {
      byKey.set(key, span);
      continue;
    }
    const isUnflaggedSharedPair =
      !span.isSharedServer &&
      ((existing.kind === 'CLIENT' && span.kind === 'SERVER') || (existing.kind === 'SERVER' && span.kind === 'CLIENT'));
    if (isUnflaggedSharedPair) {
      if (span.kind === 'SERVER') {
        span = { ...span, isSharedServer: true };
        const serverKey = spanKey(span);
        const serverCopy = byKey.get(serverKey);
        byKey.set(serverKey, serverCopy ? fold(serverCopy, span, warnings) : span);
      } else {
        // The SERVER copy came first: move it to the shared slot and put the CLIENT copy in the plain one.
        const server = { ...existing, isSharedServer: true };
        const serverKey = spanKey(server);
        const serverCopy = byKey.get(serverKey);
        byKey.set(serverKey, serverCopy ? fold(serverCopy, server, warnings) : server);
        byKey.set(key, span);
      }
      continue;
    }
    byKey.set(key, fold(existing, span, warnings));
  }
  return [...byKey.values()];
}
