/**
 * Trace.criticalPath and Span.selfTimeUs through the gateway over the real servers (issue 17): each
 * backend alone (Jaeger, Zipkin, and the Elasticsearch indexes their collectors wrote) and all four
 * merged give the same path for a trace they hold, the path worked out by hand below from the dataset's
 * own spans (test/support/dataset/dataset.ts), and each span's self time is its duration less the union
 * of its dataset children's intervals, computed here without the gateway's code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endTimeUs, type Span } from '../../src/model/index.js';
import { TRACE_IDS, type IntegrationDataset } from '../support/dataset/dataset.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { BACKEND_CONFIG, loadedDataset } from '../support/real-backends.js';

const QUERY = /* GraphQL */ `
  query CriticalPath($id: ID!, $backends: [String!], $raw: Boolean) {
    trace(id: $id, backends: $backends, raw: $raw) {
      isComplete
      criticalPath { span { spanId isSharedServer } startUs endUs durationUs selfTimeUs }
      spans { spanId isSharedServer startTimeUs durationUs clockSkewAdjustmentUs selfTimeUs }
    }
  }
`;

interface Answer {
  isComplete: boolean;
  criticalPath: Array<{ span: { spanId: string; isSharedServer: boolean }; startUs: number; endUs: number; durationUs: number; selfTimeUs: number }>;
  spans: Array<{
    spanId: string;
    isSharedServer: boolean;
    startTimeUs: number;
    durationUs: number;
    clockSkewAdjustmentUs: number;
    selfTimeUs: number;
  }>;
}

const JAEGER_SIDE = ['jaeger', 'es-jaeger'];
const ZIPKIN_SIDE = ['zipkin', 'es-zipkin'];
const ALL = [...JAEGER_SIDE, ...ZIPKIN_SIDE];

let gateway: TestGateway;
let dataset: IntegrationDataset;

beforeAll(async () => {
  dataset = loadedDataset();
  gateway = await startGateway({
    backends: [BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin, BACKEND_CONFIG.esJaeger, BACKEND_CONFIG.esZipkin],
    cache: { enabled: false },
  });
});
afterAll(() => gateway.close());

async function ask(id: string, backends: string[], raw = false): Promise<Answer> {
  const response = await gateway.query<{ trace: Answer }>(QUERY, { id, backends, raw });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.data!.trace.isComplete).toBe(true);
  return response.data!.trace;
}

/** The dataset's spans of one trace, both shares, each span once (BOTH is in both shares). */
function datasetSpans(id: string): Span[] {
  const seen = new Set<string>();
  return [...dataset.jaeger, ...dataset.zipkin].filter((s) => {
    const key = `${s.spanId}:${s.isSharedServer}`;
    if (s.traceId !== id || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** [short span id, start, end] relative to the trace's first span, from the gateway's answer. */
function pathOf(answer: Answer, baseUs: number): Array<[string, number, number]> {
  for (const s of answer.criticalPath) expect(s.durationUs).toBe(s.endUs - s.startUs);
  return answer.criticalPath.map((s) => [
    `${s.span.spanId.replace(/^0+/, '')}${s.span.isSharedServer ? ':server' : ''}`,
    s.startUs - baseUs,
    s.endUs - baseUs,
  ]);
}

/** Duration less the union of the children's intervals cut to the span: the definition, written plainly. */
function expectedSelfTime(span: Pick<Span, 'startTimeUs' | 'durationUs'>, children: Array<Pick<Span, 'startTimeUs' | 'durationUs'>>): number {
  const cut = children
    .map((c) => [Math.max(c.startTimeUs, span.startTimeUs), Math.min(endTimeUs(c), endTimeUs(span))] as const)
    .filter(([from, to]) => from < to)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let until = Number.NEGATIVE_INFINITY;
  for (const [from, to] of cut) {
    if (to <= until) continue;
    covered += to - Math.max(from, until);
    until = to;
  }
  return span.durationUs - covered;
}

/**
 * Zipkin's rule for shared spans, written out: a server half is the child of its client half (same id);
 * a span naming that id as parent is the server half's child, not the client half's.
 */
function isChildOf(child: Span, parent: Span, spans: readonly Span[]): boolean {
  if (child.isSharedServer) return !parent.isSharedServer && parent.spanId === child.spanId;
  if (child.parentSpanId !== parent.spanId) return false;
  return parent.isSharedServer || !spans.some((s) => s.isSharedServer && s.spanId === parent.spanId);
}

/** Every span's self time in the answer against the dataset's parent links and the answer's (corrected) times. */
function expectSelfTimes(answer: Answer, id: string): void {
  const spans = datasetSpans(id);
  const timeOf = (s: Span) => answer.spans.find((a) => a.spanId === s.spanId && a.isSharedServer === s.isSharedServer)!;
  for (const got of answer.spans) {
    const own = spans.find((s) => s.spanId === got.spanId && s.isSharedServer === got.isSharedServer)!;
    const children = spans.filter((s) => isChildOf(s, own, spans)).map(timeOf);
    expect(got.selfTimeUs, `${id}/${got.spanId}`).toBe(expectedSelfTime(got, children));
  }
  for (const section of answer.criticalPath) {
    const span = answer.spans.find((s) => s.spanId === section.span.spanId && s.isSharedServer === section.span.isSharedServer)!;
    expect(section.selfTimeUs).toBe(span.selfTimeUs);
  }
}

// The paths, worked out by hand from dataset.ts (µs after the trace's first span starts).
const CASES: Array<{ name: keyof typeof TRACE_IDS; offsetUs: number; backends: string[]; path: Array<[string, number, number]> }> = [
  {
    // A chain: down to the deepest span, back up through each parent.
    name: 'BOTH',
    offsetUs: 2_000_000,
    backends: ALL,
    path: [
      ['b1', 0, 2_000],
      ['b2', 2_000, 3_000],
      ['b3', 3_000, 48_000],
      ['b2', 48_000, 52_000],
      ['b1', 52_000, 60_000],
    ],
  },
  {
    // Sequential children of PlaceOrder (c2): the charge, the publish (a PRODUCER without consumer here), the stock.
    name: 'CHECKOUT',
    offsetUs: 0,
    backends: JAEGER_SIDE,
    path: [
      ['c1', 0, 5_000],
      ['c2', 5_000, 20_000],
      ['c3', 20_000, 25_000],
      ['c4', 25_000, 115_000],
      ['c3', 115_000, 120_000],
      ['c2', 120_000, 130_000],
      ['c5', 130_000, 134_000],
      ['c2', 134_000, 140_000],
      ['c6', 140_000, 155_000],
      ['c2', 155_000, 165_000],
      ['c1', 165_000, 180_000],
    ],
  },
  {
    // A Zipkin shared span: the server half (a2:server) is its client half's child, a3 the server half's.
    name: 'HOME',
    offsetUs: 1_000_000,
    backends: ZIPKIN_SIDE,
    path: [
      ['a1', 0, 5_000],
      ['a2', 5_000, 7_000],
      ['a2:server', 7_000, 10_000],
      ['a3', 10_000, 15_000],
      ['a4', 15_000, 55_000],
      ['a3', 55_000, 60_000],
      ['a2:server', 60_000, 72_000],
      ['a2', 72_000, 75_000],
      ['a1', 75_000, 90_000],
    ],
  },
  {
    // A parallel fan-out over three shards: only the slowest (shard a, e4/e5) is on the path.
    name: 'SEARCH',
    offsetUs: 1_500_000,
    backends: ZIPKIN_SIDE,
    path: [
      ['e1', 0, 2_000],
      ['e2', 2_000, 3_000],
      ['e3', 3_000, 5_000],
      ['e4', 5_000, 6_000],
      ['e5', 6_000, 81_000],
      ['e4', 81_000, 85_000],
      ['e3', 85_000, 108_000],
      ['e2', 108_000, 112_000],
      ['e1', 112_000, 120_000],
    ],
  },
];

describe('Trace.criticalPath', () => {
  it.each(CASES)('$name: the same path from each backend that holds it and from all four merged', async ({ name, offsetUs, backends, path }) => {
    const id = TRACE_IDS[name];
    for (const backend of [...backends.map((b) => [b]), ALL]) {
      const answer = await ask(id, backend);
      expect(pathOf(answer, dataset.baseUs + offsetUs), `${name} from ${backend.join('+')}`).toEqual(path);
      expectSelfTimes(answer, id);
    }
  });

  it('SPLIT: merged from Jaeger and Zipkin (and from the two indexes), the path runs down the whole chain', async () => {
    // Span i starts at 2,000·i and ends at 100,000 − 8,000·i: down to 517, then back up one start at a time.
    const down = Array.from({ length: 7 }, (_, i) => [`51${i}`, 100_000 - 8_000 * (i + 1), 100_000 - 8_000 * i] as [string, number, number]);
    const up = Array.from({ length: 7 }, (_, i) => [`51${i}`, 2_000 * i, 2_000 * (i + 1)] as [string, number, number]);
    const expected: Array<[string, number, number]> = [...up, ['517', 14_000, 44_000], ...down.reverse()];
    for (const backends of [['jaeger', 'zipkin'], ['es-jaeger', 'es-zipkin'], ALL]) {
      const answer = await ask(TRACE_IDS.SPLIT, backends);
      expect(pathOf(answer, dataset.baseUs + 2_500_000), backends.join('+')).toEqual(expected);
      expectSelfTimes(answer, TRACE_IDS.SPLIT);
    }
    // Zipkin's half alone: its top span is an orphan (its parent is in Jaeger), walked as a root.
    const half = await ask(TRACE_IDS.SPLIT, ['zipkin']);
    expect(pathOf(half, dataset.baseUs + 2_500_000)).toEqual(expected.filter(([id]) => id >= '514'));
  });

  it('SKEWED: computed over the corrected times, and over the reported ones with raw', async () => {
    const base = dataset.baseUs + 3_000_000;
    for (const backends of [['jaeger', 'zipkin'], ALL]) {
      const corrected = await ask(TRACE_IDS.SKEWED, backends);
      const server = corrected.spans.find((s) => s.spanId.endsWith('5c03'))!;
      expect(server.clockSkewAdjustmentUs).toBeGreaterThan(0);
      const serverStart = server.startTimeUs - base;
      const serverEnd = serverStart + server.durationUs;
      expect(pathOf(corrected, base)).toEqual([
        ['5c01', 0, 5_000],
        ['5c02', 5_000, serverStart],
        ['5c03', serverStart, serverEnd],
        ['5c02', serverEnd, 85_000],
        ['5c01', 85_000, 100_000],
      ]);
      expectSelfTimes(corrected, TRACE_IDS.SKEWED);
      // As reported, the server ran 2.5 s before its client: outside it, so not on the path.
      const raw = await ask(TRACE_IDS.SKEWED, backends, true);
      expect(pathOf(raw, base)).toEqual([
        ['5c01', 0, 5_000],
        ['5c02', 5_000, 85_000],
        ['5c01', 85_000, 100_000],
      ]);
    }
  });
});
