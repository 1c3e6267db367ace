/**
 * Order-free comparison of mapped spans, for checking that a span reads the same through a backend's
 * API and through its Elasticsearch index: spans by id and side, attributes by key (api_v3 sorts them,
 * the documents keep write order), without the format each copy was read from.
 */
import type { Span } from '../../src/model/index.js';

export function comparable(spans: Span[]): Array<Omit<Span, 'wireFormat'>> {
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return (
    spans
      // The format a copy was read from is provenance, not content.
      .map(({ wireFormat: _format, ...s }) => ({
        ...s,
        attributes: [...s.attributes].sort(byKey),
        resource: [...s.resource].sort(byKey),
        events: s.events.map((e) => ({ ...e, attributes: [...e.attributes].sort(byKey) })),
      }))
      .sort((a, b) => (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : Number(a.isSharedServer) - Number(b.isSharedServer)))
  );
}
