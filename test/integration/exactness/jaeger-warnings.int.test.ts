/**
 * A warning Jaeger itself writes on a span reads the same through every API and index Tracegate
 * reads, as a span warning and never as an attribute.
 *
 * The trigger: Jaeger v2's storage exporter runs its span sanitizers on everything it stores
 * (jaegertracing/jaeger v2.13.0 `cmd/jaeger/internal/exporters/storageexporter/exporter.go` →
 * `internal/jptrace/sanitizer/sanitizer.go`); the negative-duration sanitizer
 * (`negative_duration_santizer.go`) gives a span whose end is not after its start an end 1 ns after
 * its start and adds the warning "Negative duration detected, sanitizing end timestamp. …" with
 * `jptrace.AddWarnings`, that is, in the span attribute `@jaeger@warnings`. So a span sent through
 * OTLP/HTTP with its end before its start is enough. Each Jaeger hands the warning on differently:
 * the memory store keeps the attribute as a string slice (api_v3) and its v1 API moves it into the
 * span's `warnings`; the Elasticsearch writer keeps it as a string tag holding the slice as JSON text.
 * Before b92ad13 the index reader left that tag as an attribute (`@jaeger@warnings` with the JSON text)
 * and showed no warning; src/formats/shared/jaeger-warnings.ts now reads it the same way on every path.
 *
 * Private servers (test/support/private-servers.ts): the shared ones hold exactly the dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizerWarnedTrace, WARNED } from '../../support/exactness/index.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { ENDPOINTS } from '../../support/harness/servers.js';
import { postOtlp, waitForJaegerTraces } from '../../support/otlp-post.js';
import { PRIVATE, PRIVATE_ES_PREFIX, privateSpanDocs, startPrivateServers } from '../../support/private-servers.js';
import { EXACT_TRACE } from './queries.js';

const { trace: TRACE, root: ROOT, backwards: BACKWARDS } = WARNED;
const WARNINGS_KEY = '@jaeger@warnings';

let baseUs: number;
let stopServers: () => Promise<void>;
beforeAll(async () => {
  stopServers = await startPrivateServers(['jaeger', 'jaegerEs']);
  baseUs = Math.floor(Date.now() / 1000) * 1_000_000 - 300_000_000;
  const body = sanitizerWarnedTrace(baseUs);
  await Promise.all([postOtlp(PRIVATE.jaeger.otlp, body), postOtlp(PRIVATE.jaegerEs.otlp, body)]);
  await waitForJaegerTraces(PRIVATE.jaeger.query, { [TRACE]: 2 });
  await waitForJaegerTraces(PRIVATE.jaegerEs.query, { [TRACE]: 2 });
}, 120_000);
afterAll(() => stopServers?.());

/** The sanitizer's text, as the memory Jaeger's api_v3 holds it: the reference every path must match. */
async function sanitizerWarnings(): Promise<string[]> {
  const body = (await (await fetch(`${PRIVATE.jaeger.query}/api/v3/traces/${TRACE}`)).json()) as any;
  const spans = body.result.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
  const span = spans.find((s: { spanId: string }) => s.spanId === BACKWARDS);
  const attribute = span.attributes.find((a: { key: string }) => a.key === WARNINGS_KEY);
  return attribute.value.arrayValue.values.map((v: { stringValue: string }) => v.stringValue);
}

let expected: string[];
beforeAll(async () => {
  expected = await sanitizerWarnings();
  expect(expected).toEqual([expect.stringMatching(/^Negative duration detected, sanitizing end timestamp\./)]);
});

it('the Elasticsearch writer keeps the warning as a string tag holding the list as JSON text', async () => {
  const [hit] = await privateSpanDocs({ term: { spanID: BACKWARDS } });
  expect(hit.tags).toContainEqual({ key: WARNINGS_KEY, type: 'string', value: JSON.stringify(expected) });
});

const MEMORY_V3 = { kind: 'jaeger', name: 'jaeger', url: PRIVATE.jaeger.query, api: 'v3' };
const INDEX = { kind: 'elasticsearch', name: 'es-jaeger', urls: [ENDPOINTS.elasticsearch], schema: 'jaeger', indexPrefix: PRIVATE_ES_PREFIX };
const READINGS = [
  { reading: "the memory Jaeger's api_v3", backend: MEMORY_V3 },
  { reading: "the memory Jaeger's v1 API", backend: { ...MEMORY_V3, api: 'v1' } },
  { reading: 'the Elasticsearch index (jaeger schema)', backend: INDEX },
  { reading: "the Elasticsearch-backed Jaeger's api_v3", backend: { kind: 'jaeger', name: 'jaeger-es', url: PRIVATE.jaegerEs.query, api: 'v3' } },
];

describe.each(READINGS)('read through $reading', ({ backend }) => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ backends: [backend], cache: { enabled: false } });
  });
  afterAll(() => gateway.close());

  it("shows the sanitizer's warning on the span, and no @jaeger@warnings attribute", async () => {
    const response = await gateway.query(EXACT_TRACE, { id: TRACE });
    expect(response.errors).toBeUndefined();
    const spans = response.data.trace.spans as Array<{ spanId: string; warnings: string[]; attributes: Array<{ key: string }> }>;
    const backwards = spans.find((s) => s.spanId === BACKWARDS)!;
    expect(backwards.warnings).toEqual(expected);
    for (const s of spans)
      expect(
        s.attributes.map((a) => a.key),
        s.spanId,
      ).not.toContain(WARNINGS_KEY);
    expect(spans.find((s) => s.spanId === ROOT)!.warnings).toEqual([]);
  });
});

describe('the memory Jaeger and the index together', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ backends: [MEMORY_V3, INDEX], cache: { enabled: false } });
  });
  afterAll(() => gateway.close());

  it('fold the span into one copy carrying the warning once', async () => {
    const response = await gateway.query(EXACT_TRACE, { id: TRACE });
    expect(response.errors).toBeUndefined();
    const backwards = response.data.trace.spans.find((s: { spanId: string }) => s.spanId === BACKWARDS);
    expect(backwards.sources.sort()).toEqual(['es-jaeger', 'jaeger']);
    expect(backwards.warnings).toEqual(expected);
    expect(backwards.attributes.map((a: { key: string }) => a.key)).not.toContain(WARNINGS_KEY);
    expect(response.data.trace.warnings).toEqual([]);
  });
});

describe("read through the Elasticsearch-backed Jaeger's v1 API", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({
      backends: [{ kind: 'jaeger', name: 'jaeger-es', url: PRIVATE.jaegerEs.query, api: 'v1' }],
      cache: { enabled: false },
    });
  });
  afterAll(() => gateway.close());

  // This Jaeger's v1 API itself hands the tag's JSON text on as one span warning
  // (`warnings: ["[\"Negative duration …\"]"]`); the reader decodes it (shared/jaeger-warnings.ts).
  it("shows the sanitizer's warning on the span, as every other reading does", async () => {
    const raw = (await (await fetch(`${PRIVATE.jaegerEs.query}/api/traces/${TRACE}`)).json()) as any;
    expect(raw.data[0].spans.find((s: { spanID: string }) => s.spanID === BACKWARDS).warnings).toEqual([JSON.stringify(expected)]);
    const response = await gateway.query(EXACT_TRACE, { id: TRACE });
    const backwards = response.data.trace.spans.find((s: { spanId: string }) => s.spanId === BACKWARDS);
    expect(backwards.warnings).toEqual(expected);
  });
});
