/**
 * Normalises a Jaeger query API v1 answer (docs/formats/jaeger.md §1.2–1.6) so that the real Jaeger's
 * answer and Tracegate's can be compared with toEqual (test/integration/api/jaeger-v1-diff.int.test.ts).
 * Only what Jaeger leaves undefined, or what Tracegate adds on purpose, is touched:
 *
 * 1. Lists whose order Jaeger does not define are sorted: services and operation names (Go map order
 *    of the memory store), `/api/operations` entries (by name, then kind), the traces of a search or a
 *    multi-get (storage order: by traceID), the spans of a trace (the order spans reached the store: by
 *    spanID, then startTime), dependency links (by parent, then child) and `errors` entries (by
 *    traceID, then msg).
 * 2. Process ids: Jaeger numbers processes p1..pn in the order it meets them, which follows its span
 *    order; the processes are renamed p1..pn in the order of their (serviceName, tags) text and each
 *    span's processID with them.
 * 3. Tracegate's `tracegate.backend` span tag (README, "Jaeger API") is removed: Jaeger has no such tag.
 *
 * Everything else (tag order and types, references, logs, warnings, envelope fields, statuses) is
 * compared as it is.
 */

type Json = any;

export const SOURCE_TAG = 'tracegate.backend';

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedBy = <T>(items: readonly T[], key: (item: T) => string): T[] => [...items].sort((a, b) => byText(key(a), key(b)));

function normaliseTrace(trace: Json): Json {
  const processes: Record<string, Json> = trace.processes ?? {};
  const textOf = (id: string): string => JSON.stringify([processes[id]?.serviceName, processes[id]?.tags]);
  const ordered = sortedBy(Object.keys(processes), textOf);
  const rename = new Map(ordered.map((id, i) => [id, `p${i + 1}`]));
  const spans = (trace.spans ?? []).map((span: Json) => ({
    ...span,
    processID: rename.get(span.processID) ?? span.processID,
    tags: (span.tags ?? []).filter((tag: Json) => tag.key !== SOURCE_TAG),
  }));
  return {
    ...trace,
    spans: sortedBy(spans, (s: Json) => `${s.spanID}/${String(s.startTime).padStart(20, '0')}/${s.processID}`),
    processes: Object.fromEntries(ordered.map((id) => [rename.get(id), processes[id]])),
  };
}

/** Which route answered: decides how `data` is normalised. */
export type JaegerRoute = 'services' | 'operation-names' | 'operations' | 'traces' | 'dependencies';

export function normaliseJaeger(route: JaegerRoute, body: Json): Json {
  if (body === null || typeof body !== 'object') return body;
  const errors = Array.isArray(body.errors) ? sortedBy(body.errors, (e: Json) => `${e.traceID ?? ''}/${e.msg}`) : body.errors;
  const data = body.data;
  if (!Array.isArray(data)) return { ...body, errors };
  switch (route) {
    case 'services':
    case 'operation-names':
      return { ...body, errors, data: [...data].sort(byText) };
    case 'operations':
      return { ...body, errors, data: sortedBy(data, (o: Json) => `${o.name}\u0000${o.spanKind}`) };
    case 'traces':
      return { ...body, errors, data: sortedBy(data.map(normaliseTrace), (t: Json) => t.traceID) };
    case 'dependencies':
      return { ...body, errors, data: sortedBy(data, (d: Json) => `${d.parent}\u0000${d.child}`) };
  }
}
