/**
 * The contract suite compares spans a backend returns with the spans it was loaded with through this
 * normaliser. Everything is compared exactly unless a backend declares, by name, what its storage
 * cannot carry (Zipkin v2 keeps tags as strings, has no links, no resource but the service...). A
 * tolerance applies to both sides, so a declared loss is forgiven and nothing else is.
 *
 * Never compared: `sources` (the suite checks it separately: [backend.name]), `warnings` (they
 * describe a mapping, not the data) and `clockSkewAdjustmentUs` (federation sets it, backends don't).
 */
import { attributeText, type Attribute, type Span, type SpanKind, type TraceSummary } from '../../src/model/index.js';

export interface ContractTolerances {
  /** Attribute values come back as STRING text (Zipkin v2 tags are strings); compared as attributeText. */
  attributeValuesAsText?: boolean;
  /** Service and span names come back lower-cased (Zipkin lower-cases them on ingest). */
  lowerCasesNames?: boolean;
  /** Links are not stored (Zipkin v2 has none). */
  dropsLinks?: boolean;
  /** A link's refType is the store's own (Jaeger turns OTLP links into FOLLOWS_FROM references). */
  ignoresLinkRefType?: boolean;
  /** Link attributes are not carried (Jaeger's v1 JSON references have none). */
  dropsLinkAttributes?: boolean;
  /** Event attributes are not stored; name and time are (a Zipkin annotation is one string). */
  dropsEventAttributes?: boolean;
  /** Resource attributes other than service.name are not stored (a Zipkin endpoint holds the service). */
  dropsResource?: boolean;
  /** The instrumentation scope is not stored. */
  dropsScope?: boolean;
  /** Status OK comes back UNSET (Zipkin records errors only). */
  statusOkBecomesUnset?: boolean;
  /** The status message is not stored, or not as given. */
  ignoresStatusMessage?: boolean;
  /** Kinds the store cannot hold, and what they come back as (Zipkin: INTERNAL → UNSPECIFIED). */
  kindsBecome?: Partial<Record<SpanKind, SpanKind>>;
  /**
   * Attribute keys ignored on both sides wherever attributes appear: keys the store adds (Jaeger's
   * `otel.scope.name` when it cannot read it back) or moves elsewhere (Zipkin's endpoint fields).
   */
  ignoredAttributeKeys?: readonly string[];
  /** DependencyLink.errorCount comes back null: the store does not count errors (Jaeger). */
  dependencyErrorCountUnknown?: boolean;
  /**
   * The store computes its own service graph with its own rule, not the suite's (parent → child across
   * services, child starting in the window): Jaeger's memory store counts every parent/child pair,
   * same-service ones too, over traces overlapping the window; Zipkin's linker counts RPC
   * (CLIENT/SERVER, PRODUCER/CONSUMER) pairs only. Then the dataset's cross-service edges must all be
   * present (in the narrower window too) and nothing is said of counts or extra edges.
   */
  storeDefinedDependencies?: boolean;
  /**
   * The store holds data besides the dataset (a reused server): services and operations must include
   * the dataset's, and search results are compared on the dataset's traces only.
   */
  sharedStore?: boolean;
}

export interface NormalisedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  isSharedServer: boolean;
  service: string;
  name: string;
  kind: SpanKind;
  startTimeUs: number;
  durationUs: number;
  status: { code: string; message: string | null };
  attributes: Attribute[];
  resource: Attribute[];
  scope: { name: string; version: string | null } | null;
  events: Array<{ name: string; timeUs: number; attributes: Attribute[] }>;
  links: Array<{ traceId: string; spanId: string; refType: string | null; attributes: Attribute[] }>;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function normaliseName(name: string, t: ContractTolerances): string {
  return t.lowerCasesNames ? name.toLowerCase() : name;
}

function normaliseAttributes(list: readonly Attribute[], t: ContractTolerances): Attribute[] {
  const ignored = new Set(t.ignoredAttributeKeys ?? []);
  return list
    .filter((a) => !ignored.has(a.key))
    .map((a) =>
      t.attributeValuesAsText ? { key: a.key, type: 'STRING' as const, value: attributeText(a) } : { key: a.key, type: a.type, value: a.value },
    )
    .sort((a, b) => byText(a.key, b.key) || byText(JSON.stringify(a.value), JSON.stringify(b.value)));
}

export function normaliseSpan(span: Span, t: ContractTolerances): NormalisedSpan {
  const code = t.statusOkBecomesUnset && span.status.code === 'OK' ? 'UNSET' : span.status.code;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    isSharedServer: span.isSharedServer,
    service: normaliseName(span.service, t),
    name: normaliseName(span.name, t),
    kind: t.kindsBecome?.[span.kind] ?? span.kind,
    startTimeUs: span.startTimeUs,
    durationUs: span.durationUs,
    status: { code, message: t.ignoresStatusMessage ? null : span.status.message },
    attributes: normaliseAttributes(span.attributes, t),
    resource: t.dropsResource ? [] : normaliseAttributes(span.resource, t),
    scope: t.dropsScope || span.scope === null ? null : { name: span.scope.name, version: span.scope.version },
    events: span.events
      .map((e) => ({ name: e.name, timeUs: e.timeUs, attributes: t.dropsEventAttributes ? [] : normaliseAttributes(e.attributes, t) }))
      .sort((a, b) => a.timeUs - b.timeUs || byText(a.name, b.name)),
    links: t.dropsLinks
      ? []
      : span.links
          .map((l) => ({
            traceId: l.traceId,
            spanId: l.spanId,
            refType: t.ignoresLinkRefType ? null : l.refType,
            attributes: t.dropsLinkAttributes ? [] : normaliseAttributes(l.attributes, t),
          }))
          .sort((a, b) => byText(a.traceId, b.traceId) || byText(a.spanId, b.spanId)),
  };
}

/** A trace's spans normalised and in a fixed order (span id, client half before server half). */
export function normaliseTrace(spans: readonly Span[], t: ContractTolerances): NormalisedSpan[] {
  return spans.map((s) => normaliseSpan(s, t)).sort((a, b) => byText(a.spanId, b.spanId) || Number(a.isSharedServer) - Number(b.isSharedServer));
}

export function normaliseSummary(summary: TraceSummary, t: ContractTolerances): TraceSummary {
  return {
    ...summary,
    rootService: summary.rootService === null ? null : normaliseName(summary.rootService, t),
    rootOperation: summary.rootOperation === null ? null : normaliseName(summary.rootOperation, t),
    services: [...new Set(summary.services.map((s) => normaliseName(s, t)))].sort(byText),
    sources: [...summary.sources].sort(byText),
  };
}
