/**
 * Each real backend alone through the GraphQL API — Jaeger, Zipkin, and the `elasticsearch` backend on
 * the indexes their ES-backed collectors wrote — against the integration dataset: every trace comes
 * back with every span, parent, name, service, kind, time, status, attribute, event and link its
 * store can carry, and search and services agree with what was loaded (issues 3 and 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeText, type Span } from '../../src/model/index.js';
import type { IntegrationDataset } from '../support/dataset/dataset.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { BACKEND_CONFIG, loadedDataset } from '../support/real-backends.js';
import { SEARCH_QUERY, SERVICES_QUERY, TRACE_QUERY } from './federation/queries.js';

/** How each store gives back what it was sent: Zipkin's side lower-cases names, keeps tags as text and has no links. */
const JAEGER_SIDE = { share: (d: IntegrationDataset) => d.jaeger, name: (s: string) => s, asText: false, links: true };
const ZIPKIN_SIDE = { share: (d: IntegrationDataset) => d.zipkin, name: (s: string) => s.toLowerCase(), asText: true, links: false };
const SCHEMAS = [
  { schema: 'Jaeger', config: BACKEND_CONFIG.jaeger, ...JAEGER_SIDE },
  { schema: 'Zipkin', config: BACKEND_CONFIG.zipkin, ...ZIPKIN_SIDE },
  { schema: 'elasticsearch, jaeger schema,', config: BACKEND_CONFIG.esJaeger, ...JAEGER_SIDE },
  { schema: 'elasticsearch, zipkin schema,', config: BACKEND_CONFIG.esZipkin, ...ZIPKIN_SIDE },
] as const;

for (const { schema, config, share, name, asText, links } of SCHEMAS) {
  describe(`${schema} through GraphQL`, () => {
    let gateway: TestGateway;
    let spans: Span[];
    beforeAll(async () => {
      spans = share(loadedDataset());
      gateway = await startGateway({ backends: [config], cache: { enabled: false } });
    });
    afterAll(() => gateway.close());

    it('returns every trace of the dataset whole: ids, parents, names, services, kinds, times, status, attributes, events, links', async () => {
      const ids = [...new Set(spans.map((s) => s.traceId))];
      for (const id of ids) {
        const response = await gateway.query(TRACE_QUERY, { id });
        expect(response.errors, id).toBeUndefined();
        const got = response.data.trace.spans as Array<{ spanId: string; isSharedServer: boolean } & Record<string, any>>;
        const want = spans.filter((s) => s.traceId === id);
        const key = (s: { spanId: string; isSharedServer: boolean }) => `${s.spanId}${s.isSharedServer ? ':shared' : ''}`;
        expect(got.map(key).sort(), id).toEqual(want.map(key).sort());
        for (const w of want) {
          const g = got.find((x) => key(x) === key(w))!;
          expect(g, `${id}/${w.spanId}`).toMatchObject({
            parentSpanId: w.parentSpanId,
            name: name(w.name),
            service: name(w.service),
            kind: w.kind,
            startTimeUs: w.startTimeUs,
            durationUs: w.durationUs,
            status: { code: w.status.code },
            sources: [config.name],
          });
          expect(g.events).toEqual(w.events.map((e) => ({ name: e.name, timeUs: e.timeUs })));
          expect(g.links).toEqual(links ? w.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId })) : []);
          for (const a of w.attributes) {
            expect(g.attributes, `${id}/${w.spanId} ${a.key}`).toContainEqual({ key: a.key, value: asText ? attributeText(a) : a.value });
          }
        }
      }
    });

    it('finds by service the traces the dataset holds for it, newest first', async () => {
      const d = loadedDataset();
      const window = { start: new Date(d.baseUs / 1000 - 60_000).toISOString(), end: new Date(d.baseUs / 1000 + 600_000).toISOString() };
      const response = await gateway.query(SEARCH_QUERY, { query: { service: 'frontend', window, limit: 100 }, first: 100 });
      expect(response.errors).toBeUndefined();
      const ids = response.data.searchTraces.edges.map((e: { node: { traceId: string } }) => e.node.traceId);
      const start = new Map<string, number>();
      for (const s of spans) start.set(s.traceId, Math.min(start.get(s.traceId) ?? Infinity, s.startTimeUs));
      const expected = [...new Set(spans.filter((s) => s.service === 'frontend').map((s) => s.traceId))].sort(
        (a, b) => start.get(b)! - start.get(a)! || (a < b ? -1 : 1),
      );
      expect(ids).toEqual(expected);
    });

    it('lists exactly the services it was sent', async () => {
      const response = await gateway.query(SERVICES_QUERY);
      expect(response.data.services.services.map((s: { name: string }) => s.name)).toEqual([...new Set(spans.map((s) => name(s.service)))].sort());
    });
  });
}
