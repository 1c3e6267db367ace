/**
 * The mappers and the merge on real answers where the wire format itself is the cause: what private
 * instances of the real Jaeger v2.13, Elasticsearch 8.8.2 and Zipkin 3.6.1 answered for the traces of
 * the exactness tests (test/support/exactness/), recorded byte for byte by
 * scripts/record-exactness-fixtures.ts into test/fixtures/recorded/exactness/ (meta.json: when, from
 * which server, with which request and status, and the base time of each trace sent). No servers
 * needed. The integration tests in test/integration/exactness/ prove the same through the whole
 * gateway against live servers; these pin the wire data itself, so a mapper change is checked on it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { esDocsToSpans } from '../../src/backends/elasticsearch/documents.js';
import { jaegerResponseToTraces } from '../../src/formats/jaeger-json/to-model.js';
import type { JaegerTracesResponse } from '../../src/formats/jaeger-json/wire.js';
import { otlpToSpans } from '../../src/formats/otlp-json/to-model.js';
import type { JaegerApiV3TracesResponse } from '../../src/formats/otlp-json/wire.js';
import { parseJsonExact } from '../../src/formats/shared/exact-json.js';
import { zipkinSpansToSpans } from '../../src/formats/zipkin-v2/to-model.js';
import type { ZipkinSpan } from '../../src/formats/zipkin-v2/wire.js';
import { type MergeOptions, mergeTrace } from '../../src/federation/merge.js';
import { type Attribute, buildTraceTree, parseTraceId, type Span, type Trace } from '../../src/model/index.js';
import {
  FOLDED,
  FOLDED_ANNOTATION,
  jaegerV1LossTraces,
  LINKED,
  NAN,
  PLAIN,
  readSmartThings,
  SMARTTHINGS,
  WARNED,
  ZOO,
} from '../support/exactness/index.js';

const dir = new URL('../fixtures/recorded/exactness/', import.meta.url);
const text = (file: string): string => readFileSync(new URL(file, dir), 'utf8');
/** Exact JSON, as the clients read it. */
const json = <T>(file: string): T => parseJsonExact(text(file)) as T;

interface Meta {
  sent: Record<'jaegerV1Losses' | 'linkToOwnChild' | 'sanitizerWarned' | 'foldedEvent', { baseUs: number }> & {
    smartThings: { shiftUs: number; spans: number };
  };
  files: Record<string, { status: number; request: string }>;
}
const meta = JSON.parse(text('meta.json')) as Meta;

/** Tracegate's defaults (config: federation). */
const MERGE: MergeOptions = { lenientTraceIds: false, raw: false, clockSkew: 'provable', maxClockSkewUs: 600_000_000 };
const ES = { tagDotReplacement: '@' };
const WARNINGS_KEY = '@jaeger@warnings';

const v3 = (file: string, source: string): Span[] => otlpToSpans(json<JaegerApiV3TracesResponse>(file).result ?? {}, source);
const v1 = (file: string, source: string): Span[] => jaegerResponseToTraces(json<JaegerTracesResponse>(file), source).traces.flatMap((t) => t.spans);
const span = (spans: readonly Span[], id: string, shared = false): Span => {
  const found = spans.find((s) => s.spanId === id && s.isSharedServer === shared);
  if (found === undefined) throw new Error(`no span ${id}${shared ? ' (shared half)' : ''} among ${spans.length}`);
  return found;
};
const byKey = (attributes: readonly Attribute[]): Attribute[] => [...attributes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
const codes = (trace: Trace): string[] => trace.warnings.map((w) => w.code);

describe('a trace Jaeger v1 JSON cannot carry (array, map, empty bytes, nameless events, a link with attributes)', () => {
  const baseUs = meta.sent.jaegerV1Losses.baseUs;
  const exact = v3('jaeger/v3-zoo.json', 'jaeger');
  const lossy = v1('jaeger/v1-zoo.json', 'jaeger-v1');

  it('reads api_v3 as exactly the typed attributes, events and link that were sent', () => {
    const root = span(exact, ZOO.root);
    expect(byKey(root.attributes)).toEqual([
      { key: 'zoo.array', type: 'ARRAY', value: ['a', 7, true, 1.5] },
      { key: 'zoo.empty_bytes', type: 'BYTES', value: '' },
      { key: 'zoo.map', type: 'MAP', value: { k: 'v', n: 3, list: ['x'] } },
      { key: 'zoo.text', type: 'STRING', value: 'plain' },
    ]);
    expect(root.events).toEqual([
      { name: '', timeUs: baseUs + 1_000, attributes: [{ key: 'note', type: 'STRING', value: 'nameless' }] },
      { name: '', timeUs: baseUs + 2_000, attributes: [] },
      { name: 'cache.miss', timeUs: baseUs + 3_000, attributes: [{ key: 'attempt', type: 'INT', value: 2 }] },
    ]);
    const child = span(exact, ZOO.child);
    expect(child.parentSpanId).toBe(ZOO.root);
    expect(child.links).toHaveLength(1);
    expect({ ...child.links[0]!, attributes: byKey(child.links[0]!.attributes) }).toEqual({
      traceId: PLAIN.trace,
      spanId: PLAIN.span,
      refType: null,
      attributes: [
        { key: 'link.position', type: 'INT', value: 4 },
        { key: 'link.reason', type: 'STRING', value: 'batched' },
      ],
    });
  });

  it('reads api_v3 as the very spans the builder sent, field for field', () => {
    const sent = otlpToSpans(jaegerV1LossTraces(baseUs), 'jaeger').filter((s) => s.traceId === ZOO.trace);
    const comparable = (spans: readonly Span[]) =>
      [...spans]
        .sort((a, b) => (a.spanId < b.spanId ? -1 : 1))
        .map((s) => ({
          ...s,
          attributes: byKey(s.attributes),
          resource: byKey(s.resource),
          links: s.links.map((l) => ({ ...l, attributes: byKey(l.attributes) })),
        }));
    expect(comparable(exact)).toEqual(comparable(sent));
  });

  it('reads v1 JSON with exactly the documented losses: arrays and maps as JSON text, no empty bytes, the link a FOLLOWS_FROM reference without attributes, nameless events named ""', () => {
    const root = span(lossy, ZOO.root);
    expect(byKey(root.attributes)).toEqual([
      { key: 'zoo.array', type: 'STRING', value: '["a",7,true,1.5]' },
      // Jaeger writes the empty []byte as `"type":"binary","value":null`; there is no bytes value to read.
      { key: 'zoo.empty_bytes', type: 'STRING', value: 'null' },
      { key: 'zoo.map', type: 'STRING', value: '{"k":"v","list":["x"],"n":3}' },
      { key: 'zoo.text', type: 'STRING', value: 'plain' },
    ]);
    expect(root.warnings).toEqual([expect.stringContaining("tag 'zoo.empty_bytes' has type 'binary' but value null")]);
    expect(root.events.map((e) => [e.name, e.timeUs - baseUs, e.attributes.length])).toEqual([
      ['', 1_000, 1],
      ['', 2_000, 0],
      ['cache.miss', 3_000, 1],
    ]);
    const child = span(lossy, ZOO.child);
    expect(child.parentSpanId).toBe(ZOO.root);
    expect(child.links).toEqual([{ traceId: PLAIN.trace, spanId: PLAIN.span, refType: 'FOLLOWS_FROM', attributes: [] }]);
  });

  it.each([
    { order: 'v1 copy first', copies: () => [lossy, exact] },
    { order: 'api_v3 copy first', copies: () => [exact, lossy] },
  ])('merges the v1 and api_v3 copies into the api_v3 values, without CONFLICTING_DUPLICATE ($order)', ({ copies }) => {
    const trace = mergeTrace(parseTraceId(ZOO.trace), copies(), MERGE);
    expect(codes(trace)).toEqual([]);
    expect(trace.spans.map((s) => [s.spanId, [...s.sources].sort()])).toEqual([
      [ZOO.root, ['jaeger', 'jaeger-v1']],
      [ZOO.child, ['jaeger', 'jaeger-v1']],
    ]);
    const root = span(trace.spans, ZOO.root);
    expect(byKey(root.attributes)).toEqual(byKey(span(exact, ZOO.root).attributes));
    expect(root.events).toEqual(span(exact, ZOO.root).events);
    const child = span(trace.spans, ZOO.child);
    expect(child.parentSpanId).toBe(ZOO.root);
    expect(child.links).toEqual(span(exact, ZOO.child).links);
    expect(child.links[0]!.attributes).toHaveLength(2);
  });
});

describe('a trace holding a NaN double', () => {
  it('reads api_v3\'s "doubleValue": "NaN" as DOUBLE "NaN"', () => {
    expect(text('jaeger/v3-nan.json')).toContain('{"key":"ratio","value":{"doubleValue":"NaN"}}');
    const [nan, ...rest] = v3('jaeger/v3-nan.json', 'jaeger');
    expect(rest).toEqual([]);
    expect(nan!.spanId).toBe(NAN.span);
    expect(byKey(nan!.attributes)).toEqual([
      { key: 'count', type: 'INT', value: 0 },
      { key: 'ratio', type: 'DOUBLE', value: 'NaN' },
    ]);
  });

  it('makes Jaeger answer a v1 multi-get of it and another trace with HTTP 500 and no data', () => {
    const recorded = meta.files['jaeger/v1-multi-get-nan-zoo.json']!;
    expect(recorded.status).toBe(500);
    expect(recorded.request).toBe(`GET /api/traces?traceID=${NAN.trace}&traceID=${ZOO.trace}&raw=true`);
    expect(json('jaeger/v1-multi-get-nan-zoo.json')).toEqual({
      data: null,
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ code: 500, msg: 'failed writing HTTP response: failed marshalling HTTP response to JSON: json: unsupported value: NaN' }],
    });
  });
});

describe("a root linking to its own child, in Jaeger's Elasticsearch index and its api_v3", () => {
  const baseUs = meta.sent.linkToOwnChild.baseUs;
  const index = esDocsToSpans('jaeger', json('jaeger-es/docs-link-to-own-child.json'), 'es-jaeger', ES);
  const exact = v3('jaeger/v3-link-to-own-child.json', 'jaeger');

  it("the index holds the link as the root's parent (a FOLLOWS_FROM reference) and the nameless event as a log without `event`", () => {
    expect(index.warnings).toEqual([]);
    const root = span(index.spans, LINKED.root);
    expect(root.parentSpanId).toBe(LINKED.child);
    expect(root.links).toEqual([]);
    expect(root.events.map((e) => e.name)).toEqual(['', 'retry']);
  });

  it.each([
    { order: 'memory Jaeger first', copies: () => [exact, index.spans] },
    { order: 'Elasticsearch first', copies: () => [index.spans, exact] },
  ])('merges into a root without parent that keeps its link with attributes and one nameless event ($order)', ({ copies }) => {
    const trace = mergeTrace(parseTraceId(LINKED.trace), copies(), MERGE);
    expect(codes(trace)).not.toContain('CONFLICTING_DUPLICATE');
    expect(codes(trace)).not.toContain('PARENT_CYCLE');
    expect(trace.warnings).toEqual([]);
    expect(trace.spans.map((s) => [s.spanId, s.parentSpanId, [...s.sources].sort()])).toEqual([
      [LINKED.root, null, ['es-jaeger', 'jaeger']],
      [LINKED.child, LINKED.root, ['es-jaeger', 'jaeger']],
      [LINKED.grandchild, LINKED.child, ['es-jaeger', 'jaeger']],
    ]);
    const root = span(trace.spans, LINKED.root);
    expect(root.links).toEqual([
      { traceId: LINKED.trace, spanId: LINKED.child, refType: null, attributes: [{ key: 'link.reason', type: 'STRING', value: 'retry-of' }] },
    ]);
    expect(root.events).toEqual([
      { name: '', timeUs: baseUs + 1_000, attributes: [{ key: 'note', type: 'STRING', value: 'nameless' }] },
      { name: 'retry', timeUs: baseUs + 40_000, attributes: [] },
    ]);
  });
});

describe("a span Jaeger's sanitizer warns about (its end before its start)", () => {
  const exact = v3('jaeger/v3-sanitizer-warned.json', 'jaeger');
  const index = esDocsToSpans('jaeger', json('jaeger-es/docs-sanitizer-warned.json'), 'es-jaeger', ES).spans;
  /** The sanitizer's text, as api_v3 holds it in the `@jaeger@warnings` string list. */
  const warning = (() => {
    const body = json<any>('jaeger/v3-sanitizer-warned.json');
    const spans = body.result.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
    const attribute = spans
      .find((s: { spanId: string }) => s.spanId === WARNED.backwards)
      .attributes.find((a: { key: string }) => a.key === WARNINGS_KEY);
    return attribute.value.arrayValue.values.map((v: { stringValue: string }) => v.stringValue) as string[];
  })();

  it('is one warning of the negative-duration sanitizer', () => {
    expect(warning).toEqual([
      expect.stringMatching(/^Negative duration detected, sanitizing end timestamp\. Original end timestamp: .+, adjusted to: .+$/),
    ]);
  });

  it('the index holds it as a string tag with the list as JSON text, read back as the span warning', () => {
    const docs = json<Array<{ spanID: string; tags: Array<{ key: string; type: string; value: string }> }>>('jaeger-es/docs-sanitizer-warned.json');
    expect(docs.find((d) => d.spanID === WARNED.backwards)!.tags).toEqual([{ key: WARNINGS_KEY, type: 'string', value: JSON.stringify(warning) }]);
    expect(span(index, WARNED.backwards).warnings).toEqual(warning);
    for (const s of [...index, ...exact])
      expect(
        s.attributes.map((a) => a.key),
        s.spanId,
      ).not.toContain(WARNINGS_KEY);
    expect(span(exact, WARNED.backwards).warnings).toEqual(warning);
  });

  it.each([
    { order: 'memory Jaeger first', copies: () => [exact, index] },
    { order: 'Elasticsearch first', copies: () => [index, exact] },
  ])('merges into one span carrying the warning once, and no @jaeger@warnings attribute ($order)', ({ copies }) => {
    const trace = mergeTrace(parseTraceId(WARNED.trace), copies(), MERGE);
    expect(trace.warnings).toEqual([]);
    expect(trace.spans.map((s) => [s.spanId, s.warnings])).toEqual([
      [WARNED.root, []],
      [WARNED.backwards, warning],
    ]);
    for (const s of trace.spans)
      expect(
        s.attributes.map((a) => a.key),
        s.spanId,
      ).not.toContain(WARNINGS_KEY);
    expect([...span(trace.spans, WARNED.backwards).sources].sort()).toEqual(['es-jaeger', 'jaeger']);
  });

  it("reads the Elasticsearch-backed Jaeger's v1 warning, the stored tag's JSON text, as the plain warning", () => {
    const body = json<{ data: Array<{ spans: Array<{ spanID: string; warnings: string[] | null }> }> }>('jaeger-es/v1-sanitizer-warned.json');
    expect(body.data[0]!.spans.find((s) => s.spanID === WARNED.backwards)!.warnings).toEqual([JSON.stringify(warning)]);
    const spans = v1('jaeger-es/v1-sanitizer-warned.json', 'jaeger-es');
    expect(spans.map((s) => [s.spanId, s.warnings])).toEqual([
      [WARNED.root, []],
      [WARNED.backwards, warning],
    ]);
    for (const s of spans)
      expect(
        s.attributes.map((a) => a.key),
        s.spanId,
      ).not.toContain(WARNINGS_KEY);
  });
});

describe("Zipkin's published SmartThings trace, as a real Zipkin answers it", () => {
  const answer = json<ZipkinSpan[]>('zipkin/trace-smartthings.json');
  const spans = zipkinSpansToSpans(answer, 'zipkin');
  const trace = mergeTrace(parseTraceId(SMARTTHINGS.trace), [spans], MERGE);
  const identity = (id: string, shared: boolean | undefined, startUs: number) => `${id}${shared ? ':shared' : ''}@${startUs}`;

  it('is the published trace, every time shifted by the same amount', () => {
    const { shiftUs } = meta.sent.smartThings;
    expect(answer).toHaveLength(175);
    expect(answer.map((s) => identity(s.id, s.shared, s.timestamp! - shiftUs)).sort()).toEqual(
      readSmartThings()
        .map((s) => identity(s.id, s.shared, s.timestamp))
        .sort(),
    );
  });

  it('maps and merges all 175 spans, keeping the five server halves of one client span on their two hosts', () => {
    expect(spans).toHaveLength(175);
    expect(trace.spans).toHaveLength(175);
    expect(codes(trace).filter((c) => c !== 'CLOCK_SKEW_ADJUSTED')).toEqual([]);
    const halves = trace.spans.filter((s) => s.spanId === SMARTTHINGS.sharedId && s.isSharedServer);
    expect(halves).toHaveLength(5);
    const client = span(trace.spans, SMARTTHINGS.sharedId);
    expect(client.kind).toBe('CLIENT');
    const tree = buildTraceTree(trace.spans);
    for (const half of halves) {
      expect(half.kind).toBe('SERVER');
      expect(tree.parentOf(half)).toBe(client);
    }
    const where = halves.map(
      (h) => `${String(h.attributes.find((a) => a.key === 'net.host.ip')?.value)}@${h.startTimeUs - meta.sent.smartThings.shiftUs}`,
    );
    const published = readSmartThings().filter((s) => s.id === SMARTTHINGS.sharedId && s.shared);
    expect(where.sort()).toEqual(published.map((s) => `${s.localEndpoint.ipv4}@${s.timestamp}`).sort());
    expect(new Set(published.map((s) => s.localEndpoint.ipv4)).size).toBe(2);
  });

  it('shifts only the three server halves that end after their client, and the two spans on their hosts below them', () => {
    const flagged = trace.warnings.filter((w) => w.code === 'CLOCK_SKEW_ADJUSTED').map((w) => w.spanId);
    expect(flagged.sort()).toEqual(['19b91ab9a7d47f3d', '5f4625942bfac6f1', '61d0055f29150e03']);
    // [span, kind, shared half, service, shift µs]: each follower runs on its flagged parent's service and moves with it.
    const moved = trace.spans
      .filter((s) => s.clockSkewAdjustmentUs !== 0)
      .map((s) => [s.spanId, s.kind, s.isSharedServer, s.service, s.clockSkewAdjustmentUs]);
    expect(moved.sort()).toEqual([
      ['19b91ab9a7d47f3d', 'SERVER', true, 'bouncer', -771],
      ['5f4625942bfac6f1', 'SERVER', true, 'account', -744],
      ['61d0055f29150e03', 'SERVER', true, 'auth', -2_231],
      ['9d2d35b746db84f3', 'CLIENT', false, 'bouncer', -771],
      ['e2e348dcb3334c38', 'CLIENT', false, 'auth', -2_231],
    ]);
    const tree = buildTraceTree(trace.spans);
    expect(tree.parentOf(span(trace.spans, '9d2d35b746db84f3'))).toBe(span(trace.spans, '19b91ab9a7d47f3d', true));
    expect(tree.parentOf(span(trace.spans, 'e2e348dcb3334c38'))).toBe(span(trace.spans, '61d0055f29150e03', true));
  });
});

describe("an event OTel's Zipkin exporter folds into its annotation text", () => {
  const baseUs = meta.sent.foldedEvent.baseUs;
  const zipkin = zipkinSpansToSpans(json<ZipkinSpan[]>('zipkin/trace-folded-event.json'), 'zipkin');
  const otlp = v3('jaeger/v3-folded-event.json', 'jaeger');

  it('Zipkin keeps the folded text as the annotation, with no attributes, and lower-cases the name', () => {
    expect(zipkin).toHaveLength(1);
    expect(zipkin[0]!.name).toBe('get /folded');
    expect(zipkin[0]!.events).toEqual([
      { name: FOLDED_ANNOTATION, timeUs: baseUs + 1_000, attributes: [] },
      { name: 'cache.miss', timeUs: baseUs + 5_000, attributes: [] },
    ]);
  });

  it.each([
    { order: 'Jaeger first', copies: () => [otlp, zipkin] },
    { order: 'Zipkin first', copies: () => [zipkin, otlp] },
  ])('folds with the OTLP copy into one event per event, carrying the OTLP attributes ($order)', ({ copies }) => {
    const trace = mergeTrace(parseTraceId(FOLDED.trace), copies(), MERGE);
    expect(trace.warnings).toEqual([]);
    expect(trace.spans).toHaveLength(1);
    const [merged] = trace.spans;
    expect([...merged!.sources].sort()).toEqual(['jaeger', 'zipkin']);
    expect(merged!.name).toBe('GET /folded');
    expect(merged!.events).toEqual([
      { name: 'retry', timeUs: baseUs + 1_000, attributes: [{ key: 'attempt', type: 'INT', value: 1 }] },
      { name: 'cache.miss', timeUs: baseUs + 5_000, attributes: [] },
    ]);
    expect(byKey(merged!.attributes)).toEqual([
      { key: 'http.method', type: 'STRING', value: 'GET' },
      { key: 'http.status_code', type: 'INT', value: 200 },
    ]);
  });
});
