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
 *
 * Every span it hands on is an object of the merge's own: a folded span is new, and a span held once is
 * copied (shallowly), since backend answers are shared (the cache hands the same arrays to every
 * request) and the steps after this one set fields in place (merge-step.ts). This is the merge's only
 * copy of a span: normalise-ids, before it, passes spans on as they are.
 */
import {
  spanKey,
  UNKNOWN_SERVICE,
  type Attribute,
  type Span,
  type SpanEvent,
  type SpanId,
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

/** Whether every copy was read from one wire format (the common case: one backend kind teed twice). */
function isOneFormat(copies: readonly Span[]): boolean {
  const format = copies[0]!.wireFormat;
  for (let i = 1; i < copies.length; i++) if (copies[i]!.wireFormat !== format) return false;
  return true;
}

/**
 * Copies ordered by how well their format holds `field`, most faithful first; configuration order
 * breaks ties (what a stable sort gives). Built level by level rather than sorted: there are only three
 * levels, and this runs for every field of every folded span.
 */
function byFidelity(copies: readonly Span[], field: MergedField): readonly Span[] {
  if (isOneFormat(copies)) return copies;
  const ordered: Span[] = [];
  for (let level = 2; level >= 0; level--) for (const copy of copies) if (fidelity(field, copy.wireFormat) === level) ordered.push(copy);
  return ordered;
}

/** The first copy, in configuration order, among those whose format holds `field` best: byFidelity's head without the list. */
function mostFaithful(copies: readonly Span[], field: MergedField): Span {
  let best = copies[0]!;
  let top = fidelity(field, best.wireFormat);
  for (let i = 1; i < copies.length; i++) {
    const level = fidelity(field, copies[i]!.wireFormat);
    if (level > top) {
      best = copies[i]!;
      top = level;
    }
  }
  return best;
}

/** The only copy holding an entry of `field`; undefined when none does, SEVERAL when more than one does. */
function soleHolder(copies: readonly Span[], field: 'attributes' | 'resource' | 'events' | 'links'): Span | undefined | typeof SEVERAL {
  let holder: Span | undefined;
  for (const copy of copies) {
    if (copy[field].length === 0) continue;
    if (holder !== undefined) return SEVERAL;
    holder = copy;
  }
  return holder;
}
const SEVERAL = Symbol('several copies');

/** Below this many keys a linear scan beats building a Set (a span's attributes are mostly a handful). */
const SCAN_KEYS = 16;

/**
 * The union by key, most faithful copy first: every attribute of a copy whose key no earlier copy
 * holds (one copy's repeated key stays repeated, as it came).
 */
function unionAttributes(copies: readonly Span[], field: 'attributes' | 'resource'): Attribute[] {
  const sole = soleHolder(copies, field);
  if (sole === undefined) return [];
  if (sole !== SEVERAL) return [...sole[field]];
  const merged: Attribute[] = [];
  let seen: Set<string> | undefined;
  const oneFormat = isOneFormat(copies);
  // Most faithful level first, configuration order within a level (byFidelity's order, without the list).
  for (let level = 2; level >= 0; level--) {
    for (const copy of copies) {
      if (!oneFormat && fidelity(field, copy.wireFormat) !== level) continue;
      const list = copy[field];
      const before = merged.length;
      if (before === 0) {
        for (const attribute of list) merged.push(attribute);
        continue;
      }
      if (seen === undefined && before > SCAN_KEYS) seen = new Set(merged.map(keyOf));
      for (const attribute of list)
        if (!(seen === undefined ? hasKey(merged, before, attribute.key) : seen.has(attribute.key))) merged.push(attribute);
      // Keys this copy adds count for the copies after it only.
      if (seen !== undefined) for (let i = before; i < merged.length; i++) seen.add(merged[i]!.key);
    }
    if (oneFormat) break;
  }
  return merged;
}
const keyOf = (attribute: Attribute): string => attribute.key;

/** Whether one of the first `count` attributes has `key`. */
function hasKey(attributes: readonly Attribute[], count: number, key: string): boolean {
  for (let i = 0; i < count; i++) if (attributes[i]!.key === key) return true;
  return false;
}

function unionEvents(copies: readonly Span[]): SpanEvent[] {
  const sole = soleHolder(copies, 'events');
  if (sole === undefined) return [];
  if (sole !== SEVERAL) return [...sole.events];
  const ordered = byFidelity(copies, 'events');
  const events = [...ordered[0]!.events];
  const available = new Map<string, number>();
  for (const event of events) {
    const id = eventIdentity(event, ordered[0]!.wireFormat);
    available.set(id, (available.get(id) ?? 0) + 1);
  }
  for (const copy of ordered.slice(1)) {
    // Each kept event absorbs at most one matching event per other copy (a span may log one event twice).
    const absorbed = new Map<string, number>();
    for (const event of copy.events) {
      const id = eventIdentity(event, copy.wireFormat);
      const used = absorbed.get(id) ?? 0;
      if (used >= (available.get(id) ?? 0)) {
        events.push(event);
        available.set(id, (available.get(id) ?? 0) + 1);
      }
      absorbed.set(id, used + 1);
    }
  }
  return events.sort((x, y) => x.timeUs - y.timeUs);
}

function unionLinks(copies: readonly Span[]): SpanLink[] {
  const sole = soleHolder(copies, 'links');
  if (sole === undefined) return [];
  if (sole !== SEVERAL) return [...sole.links];
  const byTarget = new Map<string, SpanLink>();
  for (const copy of byFidelity(copies, 'links')) {
    for (const link of copy.links) {
      const target = `${link.traceId}:${link.spanId}`;
      if (!byTarget.has(target)) byTarget.set(target, link);
    }
  }
  return [...byTarget.values()];
}

/** How `pick` reads one field: its value, whether a copy holds it, and which differences a weaker format explains. */
interface FieldRule<T> {
  field: MergedField;
  get(span: Span): T;
  /** `copies` are all the copies being folded (the parent rule reads their links). */
  explained(format: WireFormat, lossy: T, exact: T, copies: readonly Span[]): boolean;
  /** Tells a copy that holds the field from one that lacks it (UNSPECIFIED kind, UNSET status). */
  knows?(span: Span): boolean;
  /** A copy that lacks the field still claims something (a null parent says "root"). */
  lackingIsAClaim?: boolean;
}

/**
 * The most faithful copy's value; a conflict when another copy differs in a way its format does not
 * explain. Among equally faithful copies the one that knows the field wins, and one that lacks it
 * conflicts with nothing unless `lackingIsAClaim`.
 */
function pick<T>(copies: readonly Span[], rule: FieldRule<T>): T {
  const { field, knows } = rule;
  let best = mostFaithful(copies, field);
  if (knows !== undefined && !knows(best)) {
    // Among the most faithful copies, one that knows the field (a kind, a status) fills what another lacks.
    const top = fidelity(field, best.wireFormat);
    for (const copy of copies) {
      if (fidelity(field, copy.wireFormat) === top && knows(copy)) {
        best = copy;
        break;
      }
    }
  }
  const value = rule.get(best);
  pickConflict = false;
  for (const copy of copies) {
    if (copy === best || (knows !== undefined && !knows(copy) && rule.lackingIsAClaim !== true)) continue;
    if (!rule.explained(copy.wireFormat, rule.get(copy), value, copies)) {
      pickConflict = true;
      break;
    }
  }
  return value;
}
/** Whether the last `pick` found a conflict: a second result without an object per field of every folded span. */
let pickConflict = false;

/**
 * Span ids the most faithful copy links to within the trace: a Jaeger v1 parent that is one of them is
 * that format's known loss (field-fidelity.ts isExplainedParent). Only asked for when parents differ.
 */
function linkTargets(copies: readonly Span[]): string[] {
  const targets: string[] = [];
  for (const link of mostFaithful(copies, 'links').links) if (link.traceId === copies[0]!.traceId) targets.push(link.spanId);
  return targets;
}

// One object per field, made once: `pick` runs for five fields of every folded span.
const NAME: FieldRule<string> = { field: 'name', get: (s) => s.name, explained: isExplainedText };
const SERVICE: FieldRule<string> = {
  field: 'service',
  get: (s) => s.service,
  explained: isExplainedText,
  knows: (s) => s.service !== UNKNOWN_SERVICE,
};
const KIND: FieldRule<Span['kind']> = { field: 'kind', get: (s) => s.kind, explained: isExplainedKind, knows: (s) => s.kind !== 'UNSPECIFIED' };
const PARENT: FieldRule<SpanId | null> = {
  field: 'parent',
  get: (s) => s.parentSpanId,
  explained: (format, lossy, exact, copies) => lossy === exact || isExplainedParent(format, lossy, exact, linkTargets(copies)),
  knows: (s) => s.parentSpanId !== null,
  lackingIsAClaim: true,
};
const STATUS: FieldRule<Span['status']> = {
  field: 'status',
  get: (s) => s.status,
  explained: isExplainedStatus,
  knows: (s) => s.status.code !== 'UNSET',
};

/** Every backend that held a copy, in first-seen order; and those that held more than one whole copy. */
function sourcesOf(copies: readonly Span[]): { sources: string[]; repeated: string[] } {
  const distinct = onePerBackend(copies);
  if (distinct !== undefined) return { sources: distinct, repeated: [] };
  const sources: string[] = [];
  const wholeCopies = new Map<string, number>();
  for (const copy of copies) {
    // One backend holding two whole copies is odd; a span sent in pieces (one without a start) is not.
    const isWhole = isStartKnown(copy) && copy.isDurationKnown;
    const list = copy.sources;
    for (let i = 0; i < list.length; i++) {
      const source = list[i]!;
      if (!sources.includes(source)) sources.push(source);
      if (isWhole && list.indexOf(source) === i) wholeCopies.set(source, (wholeCopies.get(source) ?? 0) + 1);
    }
  }
  const repeated: string[] = [];
  for (const source of sources) if ((wholeCopies.get(source) ?? 0) > 1) repeated.push(source);
  return { sources, repeated };
}

/** The common case, one copy from each of several backends: their names; else undefined. */
function onePerBackend(copies: readonly Span[]): string[] | undefined {
  const sources: string[] = [];
  for (const copy of copies) {
    if (copy.sources.length !== 1 || sources.includes(copy.sources[0]!)) return undefined;
    sources.push(copy.sources[0]!);
  }
  return sources;
}

/** The union of the copies' warnings, in first-seen order. */
function warningsOf(copies: readonly Span[]): string[] {
  if (copies.every(hasNoWarnings)) return [];
  return [...new Set(copies.flatMap((s) => s.warnings))];
}
const hasNoWarnings = (span: Span): boolean => span.warnings.length === 0;

function mergeCopies(copies: readonly Span[], warnings: TraceWarning[]): Span {
  const first = copies[0]!;
  const name = pick(copies, NAME);
  const nameConflict = pickConflict;
  const service = pick(copies, SERVICE);
  const serviceConflict = pickConflict;
  const kind = pick(copies, KIND);
  const kindConflict = pickConflict;
  const parent = pick(copies, PARENT);
  const parentConflict = pickConflict;
  const status = pick(copies, STATUS);
  const statusConflict = pickConflict;
  const timed = copies.find(isDurationKnown) ?? first;
  const started = copies.find(isStartKnown) ?? first;

  const differing: string[] = [];
  if (nameConflict) differing.push('name');
  if (serviceConflict) differing.push('service');
  for (const copy of copies) {
    if (isStartKnown(copy) && copy.startTimeUs !== started.startTimeUs) {
      differing.push('startTime');
      break;
    }
  }
  for (const copy of copies) {
    if (copy.isDurationKnown && copy.durationUs !== timed.durationUs) {
      differing.push('duration');
      break;
    }
  }
  if (parentConflict) differing.push('parentSpanId');
  if (kindConflict) differing.push('kind');
  if (statusConflict) differing.push('status');

  const { sources, repeated } = sourcesOf(copies);
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
  let scope: Span['scope'] = null;
  for (const copy of copies) {
    if (copy.scope !== null) {
      scope = copy.scope;
      break;
    }
  }
  return {
    ...first,
    name,
    service,
    kind,
    parentSpanId: parent,
    status,
    startTimeUs: started.startTimeUs,
    durationUs: timed.durationUs,
    isDurationKnown: timed.isDurationKnown,
    scope,
    resource: unionAttributes(copies, 'resource'),
    attributes: unionAttributes(copies, 'attributes'),
    events: unionEvents(copies),
    links: unionLinks(copies),
    sources,
    warnings: warningsOf(copies),
  };
}
const isDurationKnown = (span: Span): boolean => span.isDurationKnown;

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
  // Copies this step made already (an unflagged server half): the one copy a span needs.
  const owned = new Set<Span>();
  const groups = new Map<string, Span[][]>();
  const distinct: Span[][] = [];
  for (const original of spans) {
    const isUnflaggedServerHalf = !original.isSharedServer && original.kind === 'SERVER' && clientIds.has(original.spanId);
    const span = isUnflaggedServerHalf ? { ...original, isSharedServer: true } : original;
    if (isUnflaggedServerHalf) owned.add(span);
    const key = spanKey(span);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    let copies: Span[] | undefined;
    for (const candidate of group) {
      if (isSameSpan(candidate[0]!, span)) {
        copies = candidate;
        break;
      }
    }
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
  const merged: Span[] = new Array(distinct.length);
  for (let i = 0; i < distinct.length; i++) {
    const copies = distinct[i]!;
    const only = copies[0]!;
    merged[i] = copies.length > 1 ? mergeCopies(copies, warnings) : owned.has(only) ? only : { ...only };
  }
  return { spans: merged, warnings };
};
