/**
 * The critical path and self time on small trees, each merged as the gateway merges it. Sections are
 * written [span, start, end] with short ids; test/federation/critical-path-jaeger-ui.test.ts checks the
 * same code against Jaeger UI's own cases.
 */
import { describe, expect, it } from 'vitest';
import { computeCriticalPath, criticalPathOf, spanSelfTimeUs } from '../../src/federation/critical-path.js';
import { mergeTrace } from '../../src/federation/merge.js';
import { jaegerTraceToSpans, type JaegerTrace } from '../../src/formats/jaeger-json/index.js';
import { buildTraceTree, type MergedTrace, type Span } from '../../src/model/index.js';
import { makeSpan, TRACE } from '../support/make-span.js';
import { MERGE_OPTIONS } from '../support/merge-step.js';

type Kind = Span['kind'];
/** [id, parent, start, end, kind?, service?] */
type Row = [string, string | null, number, number, Kind?, string?];

const spansOf = (rows: readonly Row[]): Span[] =>
  rows.map(([id, parent, start, end, kind = 'INTERNAL', service = 'svc']) =>
    makeSpan(id, { parent, startTimeUs: start, durationUs: end - start, kind, service }),
  );

const merge = (spans: Span[], raw = true): MergedTrace => mergeTrace(TRACE, [spans], { ...MERGE_OPTIONS, raw });
const short = (id: string) => id.replace(/^0+/, '');
const path = (trace: MergedTrace) => criticalPathOf(trace).map((s) => [short(s.span.spanId), s.startUs, s.endUs]);

describe('criticalPathOf', () => {
  it.each<{ description: string; rows: Row[]; want: Array<[string, number, number]> }>([
    { description: 'a single span is the whole path', rows: [['a', null, 0, 100]], want: [['a', 0, 100]] },
    {
      description: 'sequential children: each in turn, the parent in the gaps',
      rows: [
        ['a', null, 0, 100],
        ['b', 'a', 10, 30],
        ['c', 'a', 40, 90],
      ],
      want: [
        ['a', 0, 10],
        ['b', 10, 30],
        ['a', 30, 40],
        ['c', 40, 90],
        ['a', 90, 100],
      ],
    },
    {
      description: 'parallel children: the last to finish, and none that ended after it started',
      rows: [
        ['a', null, 0, 100],
        ['b', 'a', 10, 80],
        ['c', 'a', 20, 60],
      ],
      want: [
        ['a', 0, 10],
        ['b', 10, 80],
        ['a', 80, 100],
      ],
    },
    {
      description: 'overlapping children: the earlier one is on the path only up to where the later one started',
      rows: [
        ['a', null, 0, 100],
        ['b', 'a', 10, 30],
        ['c', 'a', 20, 90],
      ],
      // b ends (30) after c starts (20): it is not what a waited on before c; a itself is.
      want: [
        ['a', 0, 20],
        ['c', 20, 90],
        ['a', 90, 100],
      ],
    },
    {
      description: 'a deeper chain: the walk goes down the last finishing child and back up',
      rows: [
        ['a', null, 0, 100],
        ['b', 'a', 10, 90],
        ['c', 'b', 20, 50],
        ['d', 'b', 55, 85],
        ['e', 'd', 60, 70],
      ],
      want: [
        ['a', 0, 10],
        ['b', 10, 20],
        ['c', 20, 50],
        ['b', 50, 55],
        ['d', 55, 60],
        ['e', 60, 70],
        ['d', 70, 85],
        ['b', 85, 90],
        ['a', 90, 100],
      ],
    },
    {
      description: 'async overhang: a child that outlives its parent is cut at the parent end, its late child left out',
      rows: [
        ['a', null, 0, 100],
        ['b', 'a', 50, 200],
        ['c', 'b', 150, 180],
      ],
      want: [
        ['a', 0, 50],
        ['b', 50, 100],
      ],
    },
    {
      description: 'async overhang: a grandchild that straddles the cut is cut too',
      rows: [
        ['a', null, 0, 100],
        ['b', 'a', 50, 200],
        ['c', 'b', 90, 150],
      ],
      want: [
        ['a', 0, 50],
        ['b', 50, 90],
        ['c', 90, 100],
      ],
    },
    {
      description: 'a CONSUMER under a PRODUCER does not block it: the producer is the path',
      rows: [
        ['a', null, 0, 100, 'PRODUCER'],
        ['b', 'a', 10, 60, 'CONSUMER'],
        ['c', 'b', 20, 50],
      ],
      want: [['a', 0, 100]],
    },
    {
      description: 'a CONSUMER under anything else blocks it',
      rows: [
        ['a', null, 0, 100, 'CLIENT'],
        ['b', 'a', 10, 60, 'CONSUMER'],
      ],
      want: [
        ['a', 0, 10],
        ['b', 10, 60],
        ['a', 60, 100],
      ],
    },
    {
      description: 'a child starting before its parent counts from the parent start',
      rows: [
        ['a', null, 10, 50],
        ['b', 'a', 0, 30],
      ],
      want: [
        ['b', 10, 30],
        ['a', 30, 50],
      ],
    },
    {
      description: 'a child covering its parent is the whole path',
      rows: [
        ['a', null, 10, 30],
        ['b', 'a', 5, 35],
      ],
      want: [['b', 10, 30]],
    },
    {
      description: 'a child wholly before or wholly after its parent is left out, with its subtree',
      rows: [
        ['a', null, 10, 30],
        ['b', 'a', 1, 5],
        ['c', 'a', 40, 80],
        ['d', 'c', 50, 60],
      ],
      want: [['a', 10, 30]],
    },
    {
      description: 'orphans: each top-level span (an orphan too) has its own path, earliest tree first',
      rows: [
        ['e', 'ff', 200, 300],
        ['f', 'e', 220, 250],
        ['a', null, 0, 100],
        ['b', 'a', 20, 40],
      ],
      want: [
        ['a', 0, 20],
        ['b', 20, 40],
        ['a', 40, 100],
        ['e', 200, 220],
        ['f', 220, 250],
        ['e', 250, 300],
      ],
    },
    {
      description: 'a zero-length child leaves no empty section',
      rows: [
        ['a', null, 0, 100],
        ['b', 'a', 40, 40],
      ],
      want: [
        ['a', 0, 40],
        ['a', 40, 100],
      ],
    },
  ])('$description', ({ rows, want }) => {
    expect(path(merge(spansOf(rows)))).toEqual(want);
  });

  it('follows a FOLLOWS_FROM parent read from Jaeger JSON, unless it is a PRODUCER→CONSUMER hand-off', () => {
    const trace = (kinds: [string, string]): JaegerTrace => ({
      traceID: TRACE,
      processes: { p1: { serviceName: 'svc', tags: [] } },
      spans: [
        {
          traceID: TRACE,
          spanID: '000000000000000a',
          operationName: 'a',
          references: [],
          startTime: 0,
          duration: 100,
          processID: 'p1',
          tags: [{ key: 'span.kind', type: 'string', value: kinds[0] }],
          logs: [],
        },
        {
          traceID: TRACE,
          spanID: '000000000000000b',
          operationName: 'b',
          references: [{ refType: 'FOLLOWS_FROM', traceID: TRACE, spanID: '000000000000000a' }],
          startTime: 10,
          duration: 50,
          processID: 'p1',
          tags: [{ key: 'span.kind', type: 'string', value: kinds[1] }],
          logs: [],
        },
      ],
    });
    const read = (kinds: [string, string]) => merge(jaegerTraceToSpans(trace(kinds), 'jaeger'));
    const followed = read(['server', 'internal']);
    expect(followed.spans[1]!.parentSpanId).toBe('000000000000000a');
    expect(path(followed)).toEqual([
      ['a', 0, 10],
      ['b', 10, 60],
      ['a', 60, 100],
    ]);
    expect(path(read(['producer', 'consumer']))).toEqual([['a', 0, 100]]);
  });

  it('is computed over the clock-corrected trace, and over the reported times with raw', () => {
    // api's clock runs 900 µs behind web's: as reported, b started before its parent a.
    const spans = () => [
      makeSpan('a', { service: 'web', kind: 'CLIENT', startTimeUs: 1_000, durationUs: 1_000 }),
      makeSpan('b', { parent: 'a', service: 'api', kind: 'SERVER', startTimeUs: 500, durationUs: 200 }),
    ];
    const corrected = merge(spans(), false);
    expect(corrected.spans[1]!.clockSkewAdjustmentUs).toBe(900);
    expect(path(corrected)).toEqual([
      ['a', 1_000, 1_400],
      ['b', 1_400, 1_600],
      ['a', 1_600, 2_000],
    ]);
    // Reported times put b wholly before a: Jaeger UI's rule leaves it out.
    expect(path(merge(spans(), true))).toEqual([['a', 1_000, 2_000]]);
  });

  it('reports each section with its duration and the self time of its span', () => {
    const trace = merge(
      spansOf([
        ['a', null, 0, 100],
        ['b', 'a', 10, 30],
        ['c', 'a', 20, 90],
      ]),
    );
    const [first, second] = criticalPathOf(trace);
    expect(first).toMatchObject({ startUs: 0, endUs: 20, durationUs: 20, selfTimeUs: 20 });
    expect(second).toMatchObject({ startUs: 20, endUs: 90, durationUs: 70, selfTimeUs: 70 });
  });

  it('is computed once per merged trace and handed to every request of it', () => {
    const trace = merge(spansOf([['a', null, 0, 100]]));
    expect(criticalPathOf(trace)).toBe(criticalPathOf(trace));
    expect(criticalPathOf(merge(spansOf([['a', null, 0, 100]])))).not.toBe(criticalPathOf(trace));
  });

  it('walks a chain of 20,000 spans without running out of stack', () => {
    const rows: Row[] = Array.from({ length: 20_000 }, (_, i) => [(i + 1).toString(16), i === 0 ? null : i.toString(16), i, 40_000 - i]);
    const sections = computeCriticalPath(buildTraceTree(spansOf(rows)));
    // Down the chain one µs per span, then back up one µs per span.
    expect(sections).toHaveLength(39_999);
    expect(sections[0]).toMatchObject({ startUs: 0, endUs: 1 });
    expect(sections.at(-1)).toMatchObject({ startUs: 39_999, endUs: 40_000 });
  });
});

describe('spanSelfTimeUs', () => {
  it.each<{ description: string; children: Array<[number, number]>; want: number }>([
    { description: 'a leaf: its whole duration', children: [], want: 100 },
    {
      description: 'sequential children are subtracted',
      children: [
        [10, 30],
        [40, 60],
      ],
      want: 60,
    },
    {
      description: 'overlapping children count once',
      children: [
        [10, 50],
        [30, 70],
      ],
      want: 40,
    },
    {
      description: 'a child inside another counts nothing more',
      children: [
        [10, 80],
        [20, 30],
      ],
      want: 30,
    },
    { description: 'a child that outlives the span counts up to its end', children: [[60, 300]], want: 60 },
    { description: 'a child that started before the span counts from its start', children: [[-50, 20]], want: 80 },
    {
      description: 'children before or after the span count nothing',
      children: [
        [-50, -10],
        [150, 200],
      ],
      want: 100,
    },
    {
      description: 'children covering the span leave 0',
      children: [
        [0, 60],
        [50, 120],
      ],
      want: 0,
    },
  ])('$description', ({ children, want }) => {
    const parent = makeSpan('a', { startTimeUs: 1_000, durationUs: 100 });
    const spans = [
      parent,
      ...children.map(([s, e], i) => makeSpan((i + 11).toString(16), { parent: 'a', startTimeUs: 1_000 + s, durationUs: e - s })),
    ];
    expect(spanSelfTimeUs(parent, buildTraceTree(spans))).toBe(want);
  });

  it('counts every child, a CONSUMER under a PRODUCER too (Jaeger UI counts the tree as it is)', () => {
    const spans = spansOf([
      ['a', null, 0, 100, 'PRODUCER'],
      ['b', 'a', 10, 60, 'CONSUMER'],
    ]);
    expect(spanSelfTimeUs(spans[0]!, buildTraceTree(spans))).toBe(50);
  });
});
