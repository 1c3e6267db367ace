/**
 * Normalises a Zipkin API v2 answer (docs/formats/zipkin.md §1.2–1.4) so that the real Zipkin's answer
 * and Tracegate's can be compared with toEqual (test/integration/api/zipkin-diff.int.test.ts). Only
 * what Zipkin leaves undefined, or what Tracegate adds on purpose, is touched:
 *
 * 1. The traces of `/traces` and `/traceMany` are sorted by traceId: Zipkin answers them in storage
 *    order ("any order", §1.4).
 * 2. The spans of a trace are sorted by id, then shared last, then timestamp: Zipkin returns them as
 *    stored, and a shared RPC span is two entries with one id (a CLIENT and a `shared` SERVER half).
 * 3. Dependency links are sorted by parent, then child (the memory store's map order).
 * 4. Tracegate's `tracegate.backend` tag (README, "Zipkin API") is removed, and `tags` with it when it
 *    was the only one: Zipkin has no such tag.
 * 5. A `peer.service` tag on a span without a remote endpoint is moved to `remoteEndpoint.serviceName`
 *    in both answers: Tracegate's canonical model holds the tag and the endpoint as one attribute (as
 *    OTel's Zipkin receiver and exporter do) and writes it back as the endpoint
 *    (src/formats/zipkin-v2/from-model.ts). A known loss, asserted on its own in the test.
 *
 * Name lists (services, spans, remoteServices, autocomplete) are not sorted: Zipkin sorts them, and so
 * must Tracegate. Everything else (span fields and their presence, tag values, annotations) is compared
 * as it is; JSON object key order never counts in toEqual.
 */

type Json = any;

const SOURCE_TAG = 'tracegate.backend';
const PEER_SERVICE = 'peer.service';

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function normaliseSpan(span: Json): Json {
  if (span === null || typeof span !== 'object' || span.tags === undefined) return span;
  const { [SOURCE_TAG]: _source, ...tags } = span.tags as Record<string, string>;
  const { tags: _all, ...rest } = span;
  const peer = tags[PEER_SERVICE];
  if (peer !== undefined && peer !== '' && rest.remoteEndpoint === undefined) {
    delete tags[PEER_SERVICE];
    rest.remoteEndpoint = { serviceName: peer };
  }
  return Object.keys(tags).length > 0 ? { ...rest, tags } : rest;
}

const spanKey = (s: Json): string =>
  `${s.id}/${s.shared ? 1 : 0}/${String(s.timestamp ?? 0).padStart(20, '0')}/${s.localEndpoint?.serviceName ?? ''}`;

function normaliseTrace(spans: Json[]): Json[] {
  return spans.map(normaliseSpan).sort((a, b) => byText(spanKey(a), spanKey(b)));
}

/** Which route answered: decides how the body is normalised. */
export type ZipkinRoute = 'names' | 'trace' | 'traces' | 'dependencies';

export function normaliseZipkin(route: ZipkinRoute, body: Json): Json {
  if (!Array.isArray(body)) return body;
  switch (route) {
    case 'names':
      return body;
    case 'trace':
      return normaliseTrace(body);
    case 'traces':
      return body.map(normaliseTrace).sort((a: Json[], b: Json[]) => byText(a[0]?.traceId ?? '', b[0]?.traceId ?? ''));
    case 'dependencies':
      return [...body].sort((a: Json, b: Json) => byText(`${a.parent}\u0000${a.child}`, `${b.parent}\u0000${b.child}`));
  }
}
