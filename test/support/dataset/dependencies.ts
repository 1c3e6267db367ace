/**
 * The dataset's service graph computed offline, straight from its spans (dataset.ts) and without any
 * of Tracegate's code, for the derived-graph tests to compare the gateway's answer with. Rules, as
 * README "The derived service graph" states them: one call per child span whose parent span has
 * another service; a Zipkin shared server half's parent is its client half, and a span naming a shared
 * id as parent hangs under the server half; an error when the child is ERROR, or when a server answered
 * a client span that is ERROR.
 */
import type { Span } from '../../../src/model/index.js';
import type { IntegrationDataset } from './dataset.js';

export interface OfflineEdge {
  parent: string;
  child: string;
  callCount: number;
  errorCount: number;
  /** Backends holding the spans of its calls, sorted. */
  sources: string[];
  tracesSeen: number;
}

interface Held {
  span: Span;
  backends: Set<string>;
}

/** Every span of the dataset once, with the backends (by the names given) that hold it. */
function heldSpans(dataset: IntegrationDataset, names: { jaeger: string; zipkin: string }): Held[] {
  const byKey = new Map<string, Held>();
  const add = (spans: readonly Span[], backend: string): void => {
    for (const span of spans) {
      const key = `${span.traceId}/${span.spanId}/${span.isSharedServer}`;
      const held = byKey.get(key) ?? { span, backends: new Set<string>() };
      held.backends.add(backend);
      byKey.set(key, held);
    }
  };
  add(dataset.jaeger, names.jaeger);
  add(dataset.zipkin, names.zipkin);
  return [...byKey.values()];
}

function parentOf(child: Held, trace: readonly Held[]): Held | undefined {
  if (child.span.isSharedServer) {
    const client = trace.find((h) => h.span.spanId === child.span.spanId && !h.span.isSharedServer);
    if (client !== undefined) return client;
  }
  const id = child.span.parentSpanId;
  if (id === null) return undefined;
  return trace.find((h) => h.span.spanId === id && h.span.isSharedServer) ?? trace.find((h) => h.span.spanId === id);
}

/**
 * The edges of every parent → child pair of the dataset whose services differ; with `crossOnly`, only
 * pairs no one backend holds both spans of. Sorted by parent, then child.
 */
export function offlineGraph(dataset: IntegrationDataset, names: { jaeger: string; zipkin: string }, crossOnly: boolean): OfflineEdge[] {
  const all = heldSpans(dataset, names);
  const edges = new Map<string, OfflineEdge & { traces: Set<string>; sourceSet: Set<string> }>();
  for (const child of all) {
    const trace = all.filter((h) => h.span.traceId === child.span.traceId);
    const parent = parentOf(child, trace);
    if (parent === undefined || parent.span.service === child.span.service) continue;
    if (crossOnly && [...parent.backends].some((b) => child.backends.has(b))) continue;
    const key = `${parent.span.service}->${child.span.service}`;
    const edge = edges.get(key) ?? {
      parent: parent.span.service,
      child: child.span.service,
      callCount: 0,
      errorCount: 0,
      sources: [],
      tracesSeen: 0,
      traces: new Set<string>(),
      sourceSet: new Set<string>(),
    };
    edge.callCount += 1;
    const isError =
      child.span.status.code === 'ERROR' ||
      (parent.span.kind === 'CLIENT' && (child.span.kind === 'SERVER' || child.span.isSharedServer) && parent.span.status.code === 'ERROR');
    if (isError) edge.errorCount += 1;
    edge.traces.add(child.span.traceId);
    for (const b of [...parent.backends, ...child.backends]) edge.sourceSet.add(b);
    edges.set(key, edge);
  }
  return [...edges.values()]
    .map(({ traces, sourceSet, ...edge }) => ({ ...edge, sources: [...sourceSet].sort(), tracesSeen: traces.size }))
    .sort((a, b) => (a.parent === b.parent ? (a.child < b.child ? -1 : 1) : a.parent < b.parent ? -1 : 1));
}
