/**
 * Normalisation for the api_v3 differential test (test/integration/api/jaeger-v3-diff.int.test.ts):
 * what may differ between the real Jaeger's answer and Tracegate's without either being wrong. Each
 * rule says why it is there:
 *
 * - Grouping and order. OTLP gives no meaning to how spans are grouped into resourceSpans/scopeSpans
 *   or to the order of lists; Jaeger's order is its store's (map iteration for services and
 *   operations, ring order for a search). Spans are regrouped under (resource, scope) and every list
 *   is sorted: services, operations, resources, scopes, spans.
 * - Attribute order is compared as it is: Tracegate sorts as Jaeger's SortCollections adjuster does
 *   unless `raw_traces`, and keeps the stored order when raw, as Jaeger does.
 * - `tracegate.backend`: Tracegate's own attribute naming the backends that held a span (README,
 *   "Jaeger API"); removed, after the caller checked it if it wants to.
 *
 * Error bodies (`{"error": …}`) are compared as they are.
 */

type Json = any;

const BACKEND_ATTRIBUTE = 'tracegate.backend';

const byJson = (a: unknown, b: unknown): number => {
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A span without Tracegate's `tracegate.backend` attribute (and without `attributes` when that was the only one). */
function span(s: Json): Json {
  const out = { ...s };
  const kept = (s.attributes ?? []).filter((kv: Json) => kv.key !== BACKEND_ATTRIBUTE);
  if (kept.length > 0) out.attributes = kept;
  else delete out.attributes;
  return out;
}

const spanOrder = (a: Json, b: Json): number =>
  byJson([a.traceId, a.spanId, a.startTimeUnixNano], [b.traceId, b.spanId, b.startTimeUnixNano]) || byJson(a, b);

/** `{"result": TracesData}` regrouped and sorted; any other body (an error) unchanged. */
export function normaliseTraces(body: Json): Json {
  if (body?.result === undefined) return body;
  const groups = new Map<string, { resource: Json; scopes: Map<string, { scope: Json; spans: Json[] }> }>();
  for (const rs of body.result.resourceSpans ?? []) {
    const resource = rs.resource ?? {};
    const resourceKey = JSON.stringify(resource);
    let group = groups.get(resourceKey);
    if (group === undefined) groups.set(resourceKey, (group = { resource, scopes: new Map() }));
    for (const ss of rs.scopeSpans ?? []) {
      const scope = ss.scope ?? {};
      const scopeKey = JSON.stringify(scope);
      let scoped = group.scopes.get(scopeKey);
      if (scoped === undefined) group.scopes.set(scopeKey, (scoped = { scope, spans: [] }));
      scoped.spans.push(...(ss.spans ?? []).map(span));
    }
  }
  const resourceSpans = [...groups.values()]
    .map((g) => ({
      resource: g.resource,
      scopeSpans: [...g.scopes.values()].map((s) => ({ scope: s.scope, spans: s.spans.sort(spanOrder) })).sort(byJson),
    }))
    .sort(byJson);
  return { result: { resourceSpans } };
}

/** `{"services": [...]}` with the list sorted. */
export function normaliseServices(body: Json): Json {
  return Array.isArray(body?.services) ? { ...body, services: [...body.services].sort() } : body;
}

/** `{"operations": [{name, spanKind}]}` sorted by name, then kind. */
export function normaliseOperations(body: Json): Json {
  return Array.isArray(body?.operations) ? { ...body, operations: [...body.operations].sort(byJson) } : body;
}

/** Every span of a traces body, for checks beyond equality (the backend attribute, trace ids). */
export function otlpSpans(body: Json): Json[] {
  return (body?.result?.resourceSpans ?? []).flatMap((rs: Json) => (rs.scopeSpans ?? []).flatMap((ss: Json) => ss.spans ?? []));
}
