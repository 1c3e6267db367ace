/**
 * The memory backend's storage: spans grouped by trace id (one Map lookup per getTraces id), plus the
 * indexes the metadata calls read (services, operations, remote services, attribute keys and values).
 * It owns its copies: spans are cloned on the way in, stamped with the backend's name as their only
 * source, and the backend clones them again on the way out (index.ts), so no caller ever holds a
 * stored object.
 *
 * Adding a span whose key (span id, plus the side for Zipkin shared spans) the trace already holds
 * replaces it: loading the same file twice leaves one copy. Search and dependencies live in
 * search.ts and dependencies.ts; they scan `traces()`.
 */
import {
  attributeText,
  buildTraceTree,
  cloneSpan,
  compareOperations,
  findAttribute,
  spanIdentityKey,
  summarizeTrace,
  type Attribute,
  type Micros,
  type Span,
  type TraceId,
  type TraceSummary,
  type TraceTree,
} from '../../model/index.js';
import { ENDPOINT_ATTRIBUTES } from '../../formats/otel/index.js';
import type { Operation } from '../backend.js';

/** Autocomplete keeps short values only (not statements or stack traces), and a bounded number per key. */
const MAX_AUTOCOMPLETE_VALUE_LENGTH = 200;
const MAX_AUTOCOMPLETE_VALUES_PER_KEY = 500;

export interface StoredTrace {
  readonly traceId: TraceId;
  /** In insertion order. Owned by the store: never hand these out without cloning. */
  readonly spans: Span[];
  /** Earliest and latest span start, so a windowed scan skips a trace without visiting its spans. */
  firstStartUs: Micros;
  lastStartUs: Micros;
}

interface Entry extends StoredTrace {
  readonly indexOfKey: Map<string, number>;
  summary: TraceSummary | undefined;
  tree: TraceTree | undefined;
}

export class TraceStore {
  private readonly byId = new Map<TraceId, Entry>();
  private operationsByService = new Map<string, Map<string, Operation>>();
  private valuesByKey = new Map<string, Set<string>>();
  private remoteServicesByService = new Map<string, Set<string>>();
  /** Set when a span was replaced: the indexes may hold names only the old copy had. */
  private indexesAreStale = false;
  private totalSpans = 0;

  constructor(private readonly backendName: string) {}

  get traceCount(): number {
    return this.byId.size;
  }

  get spanCount(): number {
    return this.totalSpans;
  }

  add(spans: readonly Span[]): void {
    const touched = new Set<Entry>();
    for (const input of spans) {
      const span = cloneSpan(input);
      span.sources = [this.backendName];
      let entry = this.byId.get(span.traceId);
      if (entry === undefined) {
        entry = { traceId: span.traceId, spans: [], indexOfKey: new Map(), firstStartUs: 0, lastStartUs: 0, summary: undefined, tree: undefined };
        this.byId.set(span.traceId, entry);
      }
      const key = spanIdentityKey(span);
      const at = entry.indexOfKey.get(key);
      if (at === undefined) {
        entry.indexOfKey.set(key, entry.spans.length);
        entry.spans.push(span);
        this.totalSpans++;
      } else {
        entry.spans[at] = span;
        this.indexesAreStale = true;
      }
      if (!this.indexesAreStale) this.index(span);
      touched.add(entry);
    }
    for (const entry of touched) {
      entry.summary = undefined;
      entry.tree = undefined;
      // A loop, not Math.min(...spans): spreading a 100,000-span trace overflows the argument limit.
      entry.firstStartUs = Number.POSITIVE_INFINITY;
      entry.lastStartUs = Number.NEGATIVE_INFINITY;
      for (const span of entry.spans) {
        if (span.startTimeUs < entry.firstStartUs) entry.firstStartUs = span.startTimeUs;
        if (span.startTimeUs > entry.lastStartUs) entry.lastStartUs = span.startTimeUs;
      }
    }
  }

  /** The stored spans of a trace, or undefined when the store holds none. Callers must not mutate them. */
  get(traceId: TraceId): readonly Span[] | undefined {
    return this.byId.get(traceId)?.spans;
  }

  traces(): IterableIterator<StoredTrace> {
    return this.byId.values();
  }

  /** Summary of a stored trace, computed once per change. Shared: callers copy before handing it out. */
  summaryOf(trace: StoredTrace): TraceSummary {
    const entry = trace as Entry;
    return (entry.summary ??= summarizeTrace({ traceId: entry.traceId, spans: entry.spans, warnings: [] }));
  }

  /** Parent/child navigation of a stored trace, built once per change. */
  treeOf(trace: StoredTrace): TraceTree {
    const entry = trace as Entry;
    return (entry.tree ??= buildTraceTree(entry.spans));
  }

  services(): string[] {
    this.refreshIndexes();
    return [...this.operationsByService.keys()].sort();
  }

  /** Every (name, kind) pair of the service, sorted by name then kind. */
  operations(service: string): Operation[] {
    this.refreshIndexes();
    const operations = [...(this.operationsByService.get(service)?.values() ?? [])];
    return operations.sort(compareOperations).map((op) => ({ ...op }));
  }

  /** The remote services of the service's spans (remoteServiceOf), sorted. */
  remoteServices(service: string): string[] {
    this.refreshIndexes();
    return [...(this.remoteServicesByService.get(service) ?? [])].sort();
  }

  attributeKeys(): string[] {
    this.refreshIndexes();
    return [...this.valuesByKey.keys()].sort();
  }

  attributeValues(key: string): string[] {
    this.refreshIndexes();
    return [...(this.valuesByKey.get(key) ?? [])].sort();
  }

  private index(span: Span): void {
    let operations = this.operationsByService.get(span.service);
    if (operations === undefined) this.operationsByService.set(span.service, (operations = new Map()));
    const opKey = `${span.name}\u0000${span.kind}`;
    if (!operations.has(opKey)) operations.set(opKey, { name: span.name, spanKind: span.kind });
    const remote = remoteServiceOf(span);
    if (remote !== undefined) {
      let remotes = this.remoteServicesByService.get(span.service);
      if (remotes === undefined) this.remoteServicesByService.set(span.service, (remotes = new Set()));
      remotes.add(remote);
    }
    this.indexAttributes(span.attributes);
    this.indexAttributes(span.resource);
  }

  private indexAttributes(attributes: readonly Attribute[]): void {
    for (const attribute of attributes) {
      if (attribute.type === 'ARRAY' || attribute.type === 'MAP' || attribute.type === 'BYTES') continue;
      let values = this.valuesByKey.get(attribute.key);
      if (values === undefined) this.valuesByKey.set(attribute.key, (values = new Set()));
      const text = attributeText(attribute);
      if (text.length <= MAX_AUTOCOMPLETE_VALUE_LENGTH && values.size < MAX_AUTOCOMPLETE_VALUES_PER_KEY) values.add(text);
    }
  }

  private refreshIndexes(): void {
    if (!this.indexesAreStale) return;
    this.operationsByService = new Map();
    this.valuesByKey = new Map();
    this.remoteServicesByService = new Map();
    for (const entry of this.byId.values()) for (const span of entry.spans) this.index(span);
    this.indexesAreStale = false;
  }
}

/**
 * The span's remote service as Zipkin would record it: the `remoteEndpoint.serviceName` that
 * formats/zipkin-v2/from-model.ts writes, i.e. a non-empty STRING `peer.service`, the span's attribute
 * before its resource's. Any other type stays a tag there, so it is no remote service here either.
 */
function remoteServiceOf(span: Span): string | undefined {
  const peer = findAttribute(span.attributes, ENDPOINT_ATTRIBUTES.remoteService) ?? findAttribute(span.resource, ENDPOINT_ATTRIBUTES.remoteService);
  return peer?.type === 'STRING' && peer.value !== '' ? String(peer.value) : undefined;
}
