/**
 * One trace sent through OTLP/HTTP to a Jaeger with memory storage and to a Jaeger writing to
 * Elasticsearch, read back through Jaeger's api_v3 and straight from the index, merges into the trace
 * that was sent, whichever backend is configured first.
 *
 * The trace's root links to its own child. Jaeger's index has no links: the collector writes the link
 * as a FOLLOWS_FROM reference, which a v1 reader takes as the parent when there is no CHILD_OF, so the
 * index copy says the root's parent is its child. Before b92ad13 (checked by running this file on
 * fadf501) the merged root took that parent in either configuration order: no top-level span, a
 * PARENT_CYCLE and a CONFLICTING_DUPLICATE warning. Now each field comes from the copy whose format
 * holds it (src/federation/field-fidelity.ts: the parent from OTLP), and a parent that the exact copy
 * holds as a link explains the difference, so there is no conflict to report.
 *
 * The root also logs an event with an empty name. The collector writes no `event` field for it, and
 * before b92ad13 our reader named such a log "log", so the merged root held the event twice, as ""
 * and as "log". Now the index copy reads "" too and the two copies fold into one event.
 *
 * Private servers (test/support/private-servers.ts): the shared ones hold exactly the dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINKED, linkToOwnChildTrace } from '../../support/exactness/index.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { postOtlp, waitForJaegerTraces } from '../../support/otlp-post.js';
import { PRIVATE, PRIVATE_ES_PREFIX, privateSpanDocs, startPrivateServers } from '../../support/private-servers.js';
import { EXACT_TRACE } from './queries.js';

const { trace: TRACE, root: ROOT, child: CHILD, grandchild: GRANDCHILD } = LINKED;

const JAEGER = { kind: 'jaeger', name: 'jaeger', url: PRIVATE.jaeger.query };
const ES_JAEGER = { kind: 'elasticsearch', name: 'es-jaeger', urls: [ENDPOINTS.elasticsearch], schema: 'jaeger', indexPrefix: PRIVATE_ES_PREFIX };

let stopServers: () => Promise<void>;
beforeAll(async () => {
  stopServers = await startPrivateServers(['jaeger', 'jaegerEs']);
  const body = linkToOwnChildTrace(Math.floor(Date.now() / 1000) * 1_000_000 - 300_000_000);
  await Promise.all([postOtlp(PRIVATE.jaeger.otlp, body), postOtlp(PRIVATE.jaegerEs.otlp, body)]);
  await waitForJaegerTraces(PRIVATE.jaeger.query, { [TRACE]: 3 });
  await waitForJaegerTraces(PRIVATE.jaegerEs.query, { [TRACE]: 3 });
}, 120_000);
afterAll(() => stopServers?.());

/** What the index holds for the root, checked so the expectations below rest on it. */
it("the index holds the root's link as a FOLLOWS_FROM reference and its nameless event as a log without an `event` field", async () => {
  const hits = await privateSpanDocs({ term: { spanID: ROOT } });
  expect(hits).toHaveLength(1);
  const doc = hits[0];
  expect(doc.references).toEqual([{ refType: 'FOLLOWS_FROM', traceID: TRACE, spanID: CHILD }]);
  expect(doc.logs[0].fields).toEqual([{ key: 'note', type: 'string', value: 'nameless' }]);
});

describe.each([
  { order: 'memory Jaeger first', backends: [JAEGER, ES_JAEGER] },
  { order: 'Elasticsearch first', backends: [ES_JAEGER, JAEGER] },
])('Jaeger (api_v3) and its Elasticsearch index, $order', ({ backends }) => {
  let gateway: TestGateway;
  let trace: any;
  beforeAll(async () => {
    gateway = await startGateway({ backends, cache: { enabled: false } });
    const response = await gateway.query(EXACT_TRACE, { id: TRACE });
    expect(response.errors).toBeUndefined();
    trace = response.data.trace;
  });
  afterAll(() => gateway.close());

  const span = (id: string) => trace.spans.find((s: { spanId: string }) => s.spanId === id);

  // The link is the OTLP copy's (the index copy's is a FOLLOWS_FROM reference without attributes).
  it("keeps the root a root and its link to its child, with the link's attributes", () => {
    expect(trace.rootSpan).toEqual({ spanId: ROOT });
    expect(trace.topLevelSpans).toEqual([{ spanId: ROOT }]);
    expect(span(ROOT).parentSpanId).toBeNull();
    expect(span(ROOT).links).toEqual([
      { traceId: TRACE, spanId: CHILD, refType: null, attributes: [{ key: 'link.reason', type: 'STRING', value: 'retry-of' }] },
    ]);
    expect(trace.spans.map((s: { spanId: string; parentSpanId: string | null }) => [s.spanId, s.parentSpanId])).toEqual([
      [ROOT, null],
      [CHILD, ROOT],
      [GRANDCHILD, CHILD],
    ]);
  });

  it('folds every span into one copy held by both backends, with no conflict and no cycle', () => {
    expect(trace.spanCount).toBe(3);
    for (const s of trace.spans) expect([...s.sources].sort(), s.spanId).toEqual(['es-jaeger', 'jaeger']);
    expect(trace.sources).toEqual(
      expect.arrayContaining([
        { backend: 'jaeger', spanCount: 3 },
        { backend: 'es-jaeger', spanCount: 3 },
      ]),
    );
    const codes = trace.warnings.map((w: { code: string }) => w.code);
    expect(codes).not.toContain('CONFLICTING_DUPLICATE');
    expect(codes).not.toContain('PARENT_CYCLE');
    expect(trace.warnings).toEqual([]);
  });

  it('folds the nameless event of both copies into one event named ""', () => {
    expect(span(ROOT).events).toEqual([
      { name: '', timeUs: expect.any(Number), attributes: [{ key: 'note', type: 'STRING', value: 'nameless' }] },
      { name: 'retry', timeUs: expect.any(Number), attributes: [] },
    ]);
  });
});

it('answers the same trace whichever backend is configured first, but for which backend is named first', async () => {
  const answers = [];
  for (const backends of [
    [JAEGER, ES_JAEGER],
    [ES_JAEGER, JAEGER],
  ]) {
    const gateway = await startGateway({ backends, cache: { enabled: false } });
    try {
      const t = (await gateway.query(EXACT_TRACE, { id: TRACE })).data.trace;
      // Configuration order names the first backend and orders the lists of backends; nothing else.
      answers.push({
        ...t,
        sources: [...t.sources].sort((a: { backend: string }, b: { backend: string }) => a.backend.localeCompare(b.backend)),
        backendStatus: [...t.backendStatus].sort((a: { backend: string }, b: { backend: string }) => a.backend.localeCompare(b.backend)),
        spans: t.spans.map(({ backend, sources, ...rest }: { backend: string; sources: string[] }) => ({ ...rest, sources: [...sources].sort() })),
      });
    } finally {
      await gateway.close();
    }
  }
  expect(answers[1]).toEqual(answers[0]);
});

describe('the Elasticsearch index alone', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ backends: [ES_JAEGER], cache: { enabled: false } });
  });
  afterAll(() => gateway.close());

  it('reads the nameless event as "", not "log"', async () => {
    const t = (await gateway.query(EXACT_TRACE, { id: TRACE })).data.trace;
    const root = t.spans.find((s: { spanId: string }) => s.spanId === ROOT);
    expect(root.events.map((e: { name: string }) => e.name)).toEqual(['', 'retry']);
  });
});
