/**
 * The Backend interface: the one seam between Tracegate and a trace store. Every store (Jaeger's
 * query API, Zipkin's API v2, Elasticsearch with either schema, the in-process memory store) sits in
 * its own folder behind this contract, and nothing outside that folder knows its wire format (the
 * formats themselves live in ../formats/).
 *
 * The contract carries what a store answers and almost nothing about who asks: no tenant scope, no
 * cache bookkeeping. The cache is a decorator in front of a backend that the request path calls under
 * the request's scope (cache/caching-backend.ts, federation/fan-out.ts); a backend sees only its
 * CallOptions: the signal, and the extra headers of this one call when the request has any.
 */
import type { BackendError } from '../errors.js';
import type { DurationUs, Micros, Span, SpanKind, TraceId, TraceSummary } from '../model/index.js';

export type BackendKind = 'jaeger' | 'zipkin' | 'elasticsearch' | 'memory';

/**
 * What a backend can do exactly. The all-false value is the least capable backend; a query that needs
 * a capability the backend lacks is skipped for that backend and reported (BACKEND_UNSUPPORTED),
 * never approximated.
 */
export interface BackendCapabilities {
  /** getTraces for many ids costs one call, not one per id. */
  batchGetTraces: boolean;
  /** findTraces can filter on attributes. */
  searchByAttributes: boolean;
  /** findTraces accepts no service (searches every service). */
  searchWithoutService: boolean;
  /** findTraces can bound duration. */
  searchByDuration: boolean;
  /** getOperations can filter by span kind. */
  operationsBySpanKind: boolean;
  /** getDependencies returns real data. */
  dependencies: boolean;
}

export const NO_CAPABILITIES: BackendCapabilities = {
  batchGetTraces: false,
  searchByAttributes: false,
  searchWithoutService: false,
  searchByDuration: false,
  operationsBySpanKind: false,
  dependencies: false,
};

/** The most capable backend (the memory store); a backend's capabilities.ts says what it lacks of this. */
export const ALL_CAPABILITIES: BackendCapabilities = {
  batchGetTraces: true,
  searchByAttributes: true,
  searchWithoutService: true,
  searchByDuration: true,
  operationsBySpanKind: true,
  dependencies: true,
};

export interface CallOptions {
  /** Aborted when the backend's timeout or the request deadline passes; every call must honour it. */
  readonly signal: AbortSignal;
  /**
   * Extra HTTP headers for this one call, sent on every request the call makes (each page, chunk and
   * per-id fetch, and health probes), over the backend's configured headers: a name given here
   * replaces the configured header of the same name, compared case-insensitively. They exist for
   * per-request identity: the caller's bearer token forwarded to a store that enforces its own access
   * control (Jaeger's bearer-token-propagation; issue 14, README "Access control"), chosen per backend
   * by fan-out's `callHeaders` (federation/fan-out.ts). Values are secrets: no backend logs them or puts
   * them in an error message, and the cache never puts them in a key or an entry (whether an answer got
   * with them may be served from or stored in the cache is the request path's choice, not the
   * backend's). A store without HTTP (the memory backend) ignores them.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Epoch ms at which fan-out's own timeout for this call (the backend's `timeoutMs`) fires, and at
   * which the request's deadline does; `signal` fires at the earlier. Absent for calls made outside a
   * fan-out (health checks, tests). The resilience layer (resilience/resilient-backend.ts) reads them
   * to tell a backend that timed out from a request that ran out of time, and to refuse a call that
   * cannot finish in time; a backend whose API takes a time budget passes `min(timeoutAt, deadlineAt)`
   * on (Elasticsearch's search `timeout`).
   */
  readonly timeoutAt?: number;
  readonly deadlineAt?: number;
  /**
   * Offered to a search (findTraces) that reads whole traces to answer (Jaeger's and Zipkin's search
   * APIs, the Elasticsearch backend's trace fetch): each trace it read, exactly as `getTraces` would
   * answer it for that id (same spans, same warnings), so the request can merge the hits without
   * fetching them again (federation/search.ts, loaders/create-loaders.ts). A backend that cannot say
   * so exactly for a trace (warnings it cannot place) leaves that trace out; the request then fetches it.
   */
  readonly onWholeTrace?: (traceId: TraceId, trace: BackendTrace) => void;
}

/**
 * One trace as one backend holds it. `warnings` are what reading it could not keep and that belong to
 * no span: a span skipped for an invalid trace or span id, a trace-level warning of the wire format
 * (what ../formats/ readers return beside the spans). The merged trace shows them as MAPPING warnings
 * naming the backend (federation/fetch-traces.ts); problems inside a span stay that span's warnings.
 */
export interface BackendTrace {
  spans: Span[];
  warnings: string[];
}

export interface TimeWindow {
  startUs: Micros;
  endUs: Micros;
}

export interface AttributeFilter {
  key: string;
  value: string;
}

/** A canonical, validated search. Resolvers build it; backends translate it in their query.ts. */
export interface TraceQuery {
  service: string | null;
  operation: string | null;
  attributes: AttributeFilter[];
  minDurationUs: DurationUs | null;
  maxDurationUs: DurationUs | null;
  window: TimeWindow;
  /** Maximum number of traces to return. */
  limit: number;
  /**
   * Only traces where the ONE span meeting the other conditions also carries an event (Jaeger log,
   * Zipkin annotation) named exactly this. Set by event search (federation/search-events.ts) only. A
   * backend that cannot honour it exactly throws BACKEND_UNSUPPORTED, as for any other filter: each
   * backend's query.ts says how its server matches event names (README, "Event search").
   */
  eventName?: string;
}

export interface Operation {
  name: string;
  spanKind: SpanKind;
}

export interface DependencyLink {
  parent: string;
  child: string;
  callCount: number;
  errorCount: number | null;
}

export interface BackendHealth {
  healthy: boolean;
  latencyMs: number;
  detail: string | null;
  version: string | null;
}

export interface Backend {
  /** From config, e.g. "zipkin-eu"; shown in span sources and errors. */
  readonly name: string;
  readonly kind: BackendKind;
  readonly capabilities: BackendCapabilities;

  /**
   * Each trace, answering in the same order and with the same length as `ids` (the DataLoader
   * batch-function contract). A trace the backend does not hold is `{ spans: [], warnings: [] }`, never
   * an error. One trace failing while others succeed is that entry's BackendError; a whole-call
   * failure throws. What was dropped while reading a trace is in its `warnings`, never silently lost.
   * Returned objects belong to the caller (an id asked twice gets two copies), and every span carries
   * `sources: [this.name]`.
   */
  getTraces(ids: readonly TraceId[], call: CallOptions): Promise<Array<BackendTrace | BackendError>>;

  /** Summaries of matching traces, at most `query.limit`, computed over what this backend holds. */
  findTraces(query: TraceQuery, call: CallOptions): Promise<TraceSummary[]>;

  getServices(call: CallOptions): Promise<string[]>;

  /** Operations of a service; `spanKind` null means every kind. */
  getOperations(service: string, spanKind: SpanKind | null, call: CallOptions): Promise<Operation[]>;

  getDependencies(window: TimeWindow, call: CallOptions): Promise<DependencyLink[]>;

  /**
   * Attribute keys offered for search autocompletion, and values seen for one key. Optional: only
   * some stores keep them (Zipkin's AUTOCOMPLETE_KEYS). Fan-out skips backends without them.
   */
  // Properties, not methods: a decorator (the cache's view) answers `undefined` when its inner backend lacks them.
  readonly getAttributeKeys?: ((call: CallOptions) => Promise<string[]>) | undefined;
  readonly getAttributeValues?: ((key: string, call: CallOptions) => Promise<string[]>) | undefined;

  /**
   * The services that spans of `service` call: Zipkin's remote services (`/api/v2/remoteServices`),
   * the `remoteEndpoint.serviceName` of spans whose local service is `service`, which the canonical
   * model holds as the `peer.service` attribute (formats/zipkin-v2/to-model.ts). Unique and sorted;
   * `[]` for a service the backend does not know. Optional, like autocomplete: only stores that keep
   * the remote endpoint apart from other tags have it (Zipkin, Zipkin's Elasticsearch schema, the
   * memory store); fan-out skips the others.
   */
  readonly getRemoteServices?: ((service: string, call: CallOptions) => Promise<string[]>) | undefined;

  /** Cheap liveness probe for `Query.backends` and /readyz. Never throws. */
  health(call: CallOptions): Promise<BackendHealth>;

  /** Releases sockets and timers. */
  close(): Promise<void>;
}

/** Everything a backend factory may use besides its own config. */
export interface BackendDeps {
  logger: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
  };
}
