/**
 * What the shared contract suite expects, derived from the dataset a backend was loaded with rather
 * than written down: which traces a query must find, which operations and dependency edges a
 * backend must list, and which queries are worth asking (ones that tell a right answer from a
 * plausible wrong one). The same code serves the memory backend's small fixture, the demo data and
 * the integration dataset the real Jaeger, Zipkin and Elasticsearch hold.
 *
 * The search rule is written out here again, on purpose independently of
 * src/backends/shared/match-query.ts, so that the suite checks that module instead of trusting it:
 * a trace matches when ONE of its spans has the service, the operation, every attribute (span or
 * resource attribute, value compared as text; `error=true|false` meaning status ERROR or not), a
 * duration within bounds and a start inside the window.
 */
import type { AttributeFilter, DependencyLink, Operation, TimeWindow, TraceQuery } from '../../src/backends/backend.js';
import { attributeText, buildTraceTree, type Attribute, type Span, type SpanKind, type TraceId } from '../../src/model/index.js';

/** The canonical spans loaded into the backend under test (their `sources` are ignored). */
export interface ContractDataset {
  spans: readonly Span[];
}

function spanHasAttribute(span: Span, filter: AttributeFilter): boolean {
  if (filter.key === 'error' && (filter.value === 'true' || filter.value === 'false')) {
    return (span.status.code === 'ERROR') === (filter.value === 'true');
  }
  const hit = (list: readonly Attribute[]): boolean => list.some((a) => a.key === filter.key && attributeText(a) === filter.value);
  return hit(span.attributes) || hit(span.resource);
}

export function spanMatches(span: Span, query: TraceQuery): boolean {
  return (
    (query.service === null || span.service === query.service) &&
    (query.operation === null || span.name === query.operation) &&
    span.startTimeUs >= query.window.startUs &&
    span.startTimeUs <= query.window.endUs &&
    (query.minDurationUs === null || span.durationUs >= query.minDurationUs) &&
    (query.maxDurationUs === null || span.durationUs <= query.maxDurationUs) &&
    query.attributes.every((filter) => spanHasAttribute(span, filter))
  );
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class DatasetIndex {
  readonly traces = new Map<TraceId, Span[]>();
  /** From the first span start to the last span end. */
  readonly window: TimeWindow;
  readonly services: string[];
  private readonly startOf = new Map<TraceId, number>();

  constructor(
    dataset: ContractDataset,
    private readonly ignoredAttributeKeys: ReadonlySet<string>,
  ) {
    for (const span of dataset.spans) {
      let list = this.traces.get(span.traceId);
      if (list === undefined) this.traces.set(span.traceId, (list = []));
      list.push(span);
    }
    let startUs = Number.POSITIVE_INFINITY;
    let endUs = Number.NEGATIVE_INFINITY;
    for (const span of dataset.spans) {
      startUs = Math.min(startUs, span.startTimeUs);
      endUs = Math.max(endUs, span.startTimeUs + span.durationUs);
    }
    this.window = { startUs, endUs };
    this.services = [...new Set(dataset.spans.map((s) => s.service))].sort(byText);
  }

  get traceIds(): TraceId[] {
    return [...this.traces.keys()].sort(byText);
  }

  traceStartUs(id: TraceId): number {
    let start = this.startOf.get(id);
    if (start === undefined) {
      start = Number.POSITIVE_INFINITY;
      for (const span of this.traces.get(id) ?? []) start = Math.min(start, span.startTimeUs);
      this.startOf.set(id, start);
    }
    return start;
  }

  /** A query over the whole dataset with nothing but `fields` set, and a limit that truncates nothing. */
  query(fields: Partial<TraceQuery>): TraceQuery {
    return {
      service: null,
      operation: null,
      attributes: [],
      minDurationUs: null,
      maxDurationUs: null,
      window: this.window,
      limit: this.traces.size + 10,
      ...fields,
    };
  }

  /** Trace ids that must match, newest trace start first, ties by trace id, at most `limit`. */
  expectedSearch(query: TraceQuery): TraceId[] {
    const ids = [...this.traces].filter(([, spans]) => spans.some((s) => spanMatches(s, query))).map(([id]) => id);
    return this.sortNewestFirst(ids).slice(0, query.limit);
  }

  sortNewestFirst(ids: readonly TraceId[]): TraceId[] {
    return [...ids].sort((a, b) => this.traceStartUs(b) - this.traceStartUs(a) || byText(a, b));
  }

  /** Unique (name, kind) pairs of the service, sorted by name then kind. */
  expectedOperations(service: string, spanKind: SpanKind | null): Operation[] {
    const seen = new Map<string, Operation>();
    for (const spans of this.traces.values()) {
      for (const span of spans) {
        if (span.service !== service || (spanKind !== null && span.kind !== spanKind)) continue;
        seen.set(`${span.name}\u0000${span.kind}`, { name: span.name, spanKind: span.kind });
      }
    }
    return [...seen.values()].sort((a, b) => byText(a.name, b.name) || byText(a.spanKind, b.spanKind));
  }

  /** Parent → child pairs whose services differ, the child starting in the window; errors = child in ERROR. */
  expectedDependencies(window: TimeWindow): DependencyLink[] {
    const edges = new Map<string, DependencyLink>();
    for (const spans of this.traces.values()) {
      const tree = buildTraceTree(spans);
      for (const child of spans) {
        const parent = tree.parentOf(child);
        if (parent === null || parent.service === child.service) continue;
        if (child.startTimeUs < window.startUs || child.startTimeUs > window.endUs) continue;
        const key = `${parent.service}\u0000${child.service}`;
        const edge = edges.get(key) ?? { parent: parent.service, child: child.service, callCount: 0, errorCount: 0 };
        edge.callCount++;
        if (child.status.code === 'ERROR') edge.errorCount = (edge.errorCount ?? 0) + 1;
        edges.set(key, edge);
      }
    }
    return [...edges.values()].sort((a, b) => byText(a.parent, b.parent) || byText(a.child, b.child));
  }

  private allSpans(): Span[] {
    return [...this.traces.values()].flat();
  }

  /** How many traces a query matches: pickers prefer queries that match some traces but not all. */
  private score(query: TraceQuery): number {
    const n = this.expectedSearch(query).length;
    if (n === 0) return Number.POSITIVE_INFINITY;
    return n >= 2 && n < this.traces.size ? n : this.traces.size + n;
  }

  private best<T>(candidates: Iterable<T>, toQuery: (c: T) => TraceQuery): TraceQuery | undefined {
    let best: TraceQuery | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const candidate of candidates) {
      const query = toQuery(candidate);
      const score = this.score(query);
      if (score < bestScore) [best, bestScore] = [query, score];
    }
    return best;
  }

  /** Service + operation queries, most selective first, at most `max`. */
  operationQueries(max: number): TraceQuery[] {
    const pairs = new Map<string, { service: string; name: string }>();
    for (const span of this.allSpans()) pairs.set(`${span.service}\u0000${span.name}`, { service: span.service, name: span.name });
    return [...pairs.values()]
      .map((p) => this.query({ service: p.service, operation: p.name }))
      .map((q) => [q, this.score(q)] as const)
      .sort((a, b) => a[1] - b[1] || byText(a[0].service!, b[0].service!) || byText(a[0].operation!, b[0].operation!))
      .slice(0, max)
      .map(([q]) => q);
  }

  /** The attribute as a search filter, or undefined when it is not one every backend can search. */
  private searchable(a: Attribute, wantString: boolean): AttributeFilter | undefined {
    if (this.ignoredAttributeKeys.has(a.key) || a.key === 'error') return undefined;
    if (!['STRING', 'INT', 'DOUBLE', 'BOOL'].includes(a.type) || (a.type === 'STRING') !== wantString) return undefined;
    const value = attributeText(a);
    // Long values (statements, stack traces) are not searchable everywhere (Elasticsearch ignore_above).
    if (value.length === 0 || value.length > 64) return undefined;
    return { key: a.key, value };
  }

  private attributeCandidates(where: 'span' | 'resource', wantString: boolean): Array<{ service: string; filter: AttributeFilter }> {
    const out = new Map<string, { service: string; filter: AttributeFilter }>();
    for (const span of this.allSpans()) {
      for (const a of where === 'span' ? span.attributes : span.resource) {
        const filter = this.searchable(a, wantString);
        if (filter !== undefined) out.set(`${span.service}\u0000${filter.key}\u0000${filter.value}`, { service: span.service, filter });
      }
    }
    return [...out.values()];
  }

  /** service + one span attribute: a string one and a typed one (INT, DOUBLE or BOOL, compared as text). */
  attributeQueries(): TraceQuery[] {
    return [true, false]
      .map((wantString) => this.best(this.attributeCandidates('span', wantString), (c) => this.query({ service: c.service, attributes: [c.filter] })))
      .filter((q): q is TraceQuery => q !== undefined);
  }

  resourceAttributeQuery(): TraceQuery | undefined {
    return this.best([...this.attributeCandidates('resource', true), ...this.attributeCandidates('resource', false)], (c) =>
      this.query({ service: c.service, attributes: [c.filter] }),
    );
  }

  /** `error=true` and `error=false` for a service that has spans of both. */
  errorQueries(): TraceQuery[] {
    const spans = this.allSpans();
    const service = this.services.find(
      (s) => spans.some((x) => x.service === s && x.status.code === 'ERROR') && spans.some((x) => x.service === s && x.status.code !== 'ERROR'),
    );
    if (service === undefined) return [];
    return ['true', 'false'].map((value) => this.query({ service, attributes: [{ key: 'error', value }] }));
  }

  /**
   * A service + attribute query that one-span matching and any-span-of-the-trace matching answer
   * differently: some trace has a span of the service and, on ANOTHER span, the attribute. It must
   * not be found. Undefined when the dataset holds no such case.
   */
  oneSpanQuery(): { query: TraceQuery; mustNotFind: TraceId } | undefined {
    for (const [traceId, spans] of [...this.traces].sort(([a], [b]) => byText(a, b))) {
      for (const carrier of spans) {
        for (const attribute of carrier.attributes) {
          const filter = this.searchable(attribute, true);
          if (filter === undefined) continue;
          for (const service of this.services) {
            if (service === carrier.service || !spans.some((s) => s.service === service)) continue;
            const query = this.query({ service, attributes: [filter] });
            if (!this.expectedSearch(query).includes(traceId)) return { query, mustNotFind: traceId };
          }
        }
      }
    }
    return undefined;
  }

  /** The service with the most spans, and its span durations sorted ascending. */
  private busiestService(): { service: string; spans: Span[] } {
    const spans = this.allSpans();
    const counts = this.services.map((service) => ({ service, spans: spans.filter((s) => s.service === service) }));
    return counts.sort((a, b) => b.spans.length - a.spans.length || byText(a.service, b.service))[0]!;
  }

  /** min only, max only, and both, around the busiest service's median span duration. */
  durationQueries(): TraceQuery[] {
    const { service, spans } = this.busiestService();
    const durations = spans.map((s) => s.durationUs).sort((a, b) => a - b);
    const median = durations[Math.floor(durations.length / 2)]!;
    const upper = durations[Math.floor((durations.length * 3) / 4)]!;
    const lower = durations[Math.floor(durations.length / 4)]!;
    return [
      this.query({ service, minDurationUs: median }),
      this.query({ service, maxDurationUs: median }),
      this.query({ service, minDurationUs: lower, maxDurationUs: upper }),
    ];
  }

  /**
   * The busiest service in a window that starts inside one of its traces, after that trace's last
   * span of the service but before its other spans: one-span matching must leave that trace out,
   * where "the trace overlaps the window" would keep it.
   */
  windowQuery(): TraceQuery {
    const { service, spans: serviceSpans } = this.busiestService();
    const oldestFirst = this.sortNewestFirst([...this.traces.keys()]).reverse();
    for (const id of oldestFirst) {
      const spans = this.traces.get(id)!;
      const lastOfService = Math.max(...spans.filter((s) => s.service === service).map((s) => s.startTimeUs));
      const later = spans.filter((s) => s.startTimeUs > lastOfService).map((s) => s.startTimeUs);
      if (!Number.isFinite(lastOfService) || later.length === 0) continue;
      const query = this.query({ service, window: { startUs: Math.min(...later), endUs: this.window.endUs } });
      if (this.expectedSearch(query).length > 0) return query;
    }
    const starts = serviceSpans.map((s) => s.startTimeUs).sort((a, b) => a - b);
    return this.query({ service, window: { startUs: starts[Math.floor(starts.length / 2)]!, endUs: this.window.endUs } });
  }

  /** A limit below the number of matching traces, for the service with the most traces. */
  limitQuery(): TraceQuery | undefined {
    const ranked = this.services
      .map((service) => this.query({ service }))
      .map((q) => [q, this.expectedSearch(q).length] as const)
      .sort((a, b) => b[1] - a[1]);
    const [query, count] = ranked[0] ?? [];
    if (query === undefined || count === undefined || count < 3) return undefined;
    return { ...query, limit: Math.min(5, count - 1) };
  }
}
