/**
 * Merge step 2: fold copies of one span. The same span can reach several backends (a collector that
 * tees to Jaeger and Zipkin) or one backend twice. Two spans are copies of one span only when they
 * agree on its identity: span id, side (Zipkin shared server or not), kind, service and start time
 * (see `isSameSpan`). Anything else that shares an id stays a separate span: Zipkin lets several
 * servers answer one client span id (fan-out over messaging, retries), one server half per receiver.
 * Depends on normalise-ids (one trace id); build-tree depends on it (one span per identity).
 *
 * Folded copies keep, field by field, the value of the copy whose wire format holds that field
 * (field-fidelity.ts; configuration order breaks ties), the union of attributes, events and links, and
 * the list of every backend that held the span. A disagreement that a weaker format's known loss does
 * not explain is reported as CONFLICTING_DUPLICATE, never silently.
 *
 * Zipkin-style shared spans reported without the `shared` flag (a CLIENT and a SERVER with one id) are
 * not duplicates: every SERVER span with the id of a CLIENT span becomes a shared server half.
 */
import {
  mergeAttributes,
  spanKey,
  UNKNOWN_SERVICE,
  type Attribute,
  type Span,
  type SpanEvent,
  type SpanLink,
  type TraceWarning,
  type WireFormat,
} from '../model/index.js';
import { eventIdentity } from './event-identity.js';
import {
  fidelity,
  isExplainedKind,
  isExplainedParent,
  isExplainedStatus,
  isExplainedText,
  isZipkinLike,
  type MergedField,
} from './field-fidelity.js';
import type { MergeStep } from './merge-step.js';

/** Copies start within this of each other: OTLP's nanoseconds are truncated to µs by some writers and rounded by others. */
const START_TOLERANCE_US = 1;

function isSameService(a: Span, b: Span): boolean {
  if (a.service === b.service || a.service === UNKNOWN_SERVICE || b.service === UNKNOWN_SERVICE) return true;
  // Zipkin lower-cases service names on ingest.
  return (isZipkinLike(a.wireFormat) || isZipkinLike(b.wireFormat)) && a.service.toLowerCase() === b.service.toLowerCase();
}

/** 0: the backend recorded no start (a Zipkin span sent in pieces, the late piece without timestamp). */
const isStartKnown = (span: Span): boolean => span.startTimeUs !== 0;

/**
 * Same id and side are given (same group); the rest of a span's identity must agree too. What a copy
 * does not know (no kind, no start, no service) agrees with anything: Zipkin reporters send one span
 * in pieces, and Zipkin's own UI joins them (zipkin2.internal.Trace.merge).
 */
export function isSameSpan(a: Span, b: Span): boolean {
  const kindsAgree = a.kind === b.kind || a.kind === 'UNSPECIFIED' || b.kind === 'UNSPECIFIED';
  const startsAgree = !isStartKnown(a) || !isStartKnown(b) || Math.abs(a.startTimeUs - b.startTimeUs) <= START_TOLERANCE_US;
  return kindsAgree && startsAgree && isSameService(a, b);
}

/** Copies ordered by how well their format holds `field`; stable, so configuration order breaks ties. */
function byFidelity(copies: readonly Span[], field: MergedField): readonly Span[] {
  // Copies in one format (the common case: one backend kind teed twice) need no ordering.
  if (copies.every((s) => s.wireFormat === copies[0]!.wireFormat)) return copies;
  return [...copies].sort((x, y) => fidelity(field, y.wireFormat) - fidelity(field, x.wireFormat));
}

function unionAttributes(copies: readonly Span[], field: 'attributes' | 'resource'): Attribute[] {
  const holding = copies.filter((s) => s[field].length > 0);
  if (holding.length <= 1) return [...(holding[0]?.[field] ?? [])];
  let merged: Attribute[] = [];
  for (const copy of byFidelity(copies, field)) merged = mergeAttributes(merged, copy[field]);
  // Keep the order in which the first copy lists its keys; mergeAttributes already keeps first-seen order.
  return merged;
}

function unionEvents(copies: readonly Span[]): SpanEvent[] {
  const holding = copies.filter((s) => s.events.length > 0);
  if (holding.length <= 1) return [...(holding[0]?.events ?? [])];
  const ordered = byFidelity(copies, 'events');
  const events = [...ordered[0]!.events];
  const available = new Map<string, number>();
  const count = (id: string, delta: number) => available.set(id, (available.get(id) ?? 0) + delta);
  for (const event of events) count(eventIdentity(event, ordered[0]!.wireFormat), 1);
  for (const copy of ordered.slice(1)) {
    // Each kept event absorbs at most one matching event per other copy (a span may log one event twice).
    const absorbed = new Map<string, number>();
    for (const event of copy.events) {
      const id = eventIdentity(event, copy.wireFormat);
      const used = absorbed.get(id) ?? 0;
      if (used < (available.get(id) ?? 0)) absorbed.set(id, used + 1);
      else {
        events.push(event);
        count(id, 1);
        absorbed.set(id, used + 1);
      }
    }
  }
  return events.sort((x, y) => x.timeUs - y.timeUs);
}

function unionLinks(copies: readonly Span[]): SpanLink[] {
  const holding = copies.filter((s) => s.links.length > 0);
  if (holding.length <= 1) return [...(holding[0]?.links ?? [])];
  const byTarget = new Map<string, SpanLink>();
  for (const copy of byFidelity(copies, 'links')) {
    for (const link of copy.links) {
      const target = `${link.traceId}:${link.spanId}`;
      if (!byTarget.has(target)) byTarget.set(target, link);
    }
  }
  return [...byTarget.values()];
}

interface Pick<T> {
  value: T;
  conflict: boolean;
}

/**
 * The most faithful copy's value; a conflict when another copy differs in a way its format does not
 * explain. `knows` tells a copy that holds the field from one that lacks it (UNSPECIFIED kind, UNSET
 * status): among equally faithful copies the one that knows wins, and one that lacks it conflicts with
 * nothing unless `lackingIsAClaim` (a null parent says "root").
 */
function pick<T>(
  copies: readonly Span[],
  field: MergedField,
  get: (s: Span) => T,
  explained: (format: WireFormat, lossy: T, exact: T) => boolean,
  knows?: (s: Span) => boolean,
  lackingIsAClaim = false,
): Pick<T> {
  const ordered = byFidelity(copies, field);
  const top = fidelity(field, ordered[0]!.wireFormat);
  // Among the most faithful copies, one that knows the field (a kind, a status) fills what another lacks.
  const best = (knows && ordered.find((s) => fidelity(field, s.wireFormat) === top && knows(s))) || ordered[0]!;
  const value = get(best);
  const silent = (s: Span): boolean => knows !== undefined && !knows(s) && !lackingIsAClaim;
  const conflict = copies.some((s) => s !== best && !silent(s) && !explained(s.wireFormat, get(s), value));
  return { value, conflict };
}

function mergeCopies(copies: readonly Span[], warnings: TraceWarning[]): Span {
  const first = copies[0]!;
  const best = byFidelity(copies, 'links')[0]!;
  const linkTargets = best.links.filter((l) => l.traceId === first.traceId).map((l) => l.spanId);
  const name = pick(copies, 'name', (s) => s.name, isExplainedText);
  const service = pick(
    copies,
    'service',
    (s) => s.service,
    isExplainedText,
    (s) => s.service !== UNKNOWN_SERVICE,
  );
  const kind = pick(
    copies,
    'kind',
    (s) => s.kind,
    isExplainedKind,
    (s) => s.kind !== 'UNSPECIFIED',
  );
  const parent = pick(
    copies,
    'parent',
    (s) => s.parentSpanId,
    (format, lossy, exact) => isExplainedParent(format, lossy, exact, linkTargets),
    (s) => s.parentSpanId !== null,
    true,
  );
  const status = pick(
    copies,
    'status',
    (s) => s.status,
    isExplainedStatus,
    (s) => s.status.code !== 'UNSET',
  );
  const timed = copies.find((s) => s.isDurationKnown) ?? first;
  const started = copies.find(isStartKnown) ?? first;

  const differing: string[] = [];
  if (name.conflict) differing.push('name');
  if (service.conflict) differing.push('service');
  if (copies.some((s) => isStartKnown(s) && s.startTimeUs !== started.startTimeUs)) differing.push('startTime');
  if (copies.some((s) => s.isDurationKnown && s.durationUs !== timed.durationUs)) differing.push('duration');
  if (parent.conflict) differing.push('parentSpanId');
  if (kind.conflict) differing.push('kind');
  if (status.conflict) differing.push('status');

  const sources = [...new Set(copies.flatMap((s) => s.sources))];
  // One backend holding two whole copies is odd; a span sent in pieces (one without a start) is not.
  const whole = copies.filter((s) => isStartKnown(s) && s.isDurationKnown);
  const repeated = sources.filter((source) => whole.filter((s) => s.sources.includes(source)).length > 1);
  if (repeated.length > 0) {
    warnings.push({
      code: 'DUPLICATE_SPAN_ID',
      message: `span ${first.spanId} appears more than once in ${repeated.join(', ')}`,
      spanId: first.spanId,
    });
  }
  if (differing.length > 0) {
    warnings.push({
      code: 'CONFLICTING_DUPLICATE',
      message: `copies of span ${first.spanId} from ${sources.join(', ')} differ in ${differing.join(', ')}; kept the value of the copy whose format holds each field (the first on a tie)`,
      spanId: first.spanId,
    });
  }
  return {
    ...first,
    name: name.value,
    service: service.value,
    kind: kind.value,
    parentSpanId: parent.value,
    status: status.value,
    startTimeUs: started.startTimeUs,
    durationUs: timed.durationUs,
    isDurationKnown: timed.isDurationKnown,
    scope: copies.find((s) => s.scope !== null)?.scope ?? null,
    resource: unionAttributes(copies, 'resource'),
    attributes: unionAttributes(copies, 'attributes'),
    events: unionEvents(copies),
    links: unionLinks(copies),
    sources,
    warnings: [...new Set(copies.flatMap((s) => s.warnings))],
  };
}

/** Span ids held by a CLIENT span that is not itself a shared half. */
function clientSpanIds(spans: readonly Span[]): Set<string> {
  const ids = new Set<string>();
  for (const span of spans) if (span.kind === 'CLIENT' && !span.isSharedServer) ids.add(span.spanId);
  return ids;
}

/** Input spans are in backend configuration order; output keeps first-seen order. */
export const dedupeSpans: MergeStep = (spans) => {
  const warnings: TraceWarning[] = [];
  const clientIds = clientSpanIds(spans);
  const groups = new Map<string, Span[][]>();
  const distinct: Span[][] = [];
  for (const original of spans) {
    const isUnflaggedServerHalf = !original.isSharedServer && original.kind === 'SERVER' && clientIds.has(original.spanId);
    const span = isUnflaggedServerHalf ? { ...original, isSharedServer: true } : original;
    const key = spanKey(span);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    const copies = group.find((c) => isSameSpan(c[0]!, span));
    if (copies) copies.push(span);
    else {
      const fresh = [span];
      group.push(fresh);
      distinct.push(fresh);
    }
  }
  for (const group of groups.values()) {
    // Several server halves per client id are Zipkin's normal fan-out; several other spans per id are not.
    if (group.length > 1 && !group[0]![0]!.isSharedServer) {
      const id = group[0]![0]!.spanId;
      warnings.push({
        code: 'DUPLICATE_SPAN_ID',
        message: `span id ${id} names ${group.length} different spans (kind, service or start differ); all are kept`,
        spanId: id,
      });
    }
  }
  return { spans: distinct.map((copies) => (copies.length === 1 ? copies[0]! : mergeCopies(copies, warnings))), warnings };
};
