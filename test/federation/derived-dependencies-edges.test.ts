import { describe, expect, it } from 'vitest';
import type { DependencyLink } from '../../src/backends/backend.js';
import { deriveEdges, reportedEdges, unionEdges, type GraphEdge } from '../../src/federation/derived-dependencies-edges.js';
import { mergeTrace, type Sourced } from '../../src/federation/index.js';
import { parseTraceId, type MergedTrace, type Span } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { MERGE_OPTIONS } from '../support/merge-step.js';

const WINDOW = { startUs: 0, endUs: 1_000_000 };

/** One merged trace from spans given as [id, service, backends, fields]. */
function trace(id: string, rows: Array<[string, string, string[], Partial<Span> & { parent?: string | null }]>): MergedTrace {
  const traceId = parseTraceId(id);
  const spans = rows.map(([spanId, service, sources, fields]) => makeSpan(spanId, { ...fields, traceId, service, sources }));
  return mergeTrace(traceId, [spans], MERGE_OPTIONS);
}

const own = (parent: string, child: string, sources: string[], callCount = 1, errorCount: number | null = 0): Sourced<DependencyLink> => ({
  item: { parent, child, callCount, errorCount },
  sources,
});

const derived = (parent: string, child: string, sources: string[], callCount: number, errorCount: number, tracesSeen: number): GraphEdge => ({
  item: { parent, child, callCount, errorCount },
  sources,
  derived: true,
  tracesSeen,
});

const ERROR = { code: 'ERROR', message: null } as const;

describe('deriveEdges', () => {
  const cases: Array<{ name: string; traces: MergedTrace[]; reported?: Array<Sourced<DependencyLink>>; want: GraphEdge[] }> = [
    {
      name: 'counts a call whose caller and callee report to different backends',
      traces: [
        trace('1', [
          ['a', 'frontend', ['jaeger'], { kind: 'CLIENT' }],
          ['b', 'payments', ['zipkin'], { kind: 'SERVER', parent: 'a' }],
        ]),
      ],
      want: [derived('frontend', 'payments', ['jaeger', 'zipkin'], 1, 0, 1)],
    },
    {
      name: 'counts a cross-backend call even when a backend reports the same edge from its own traffic',
      traces: [
        trace('1', [
          ['a', 'frontend', ['jaeger'], {}],
          ['b', 'payments', ['zipkin'], { parent: 'a' }],
        ]),
      ],
      reported: [own('frontend', 'payments', ['jaeger'])],
      want: [derived('frontend', 'payments', ['jaeger', 'zipkin'], 1, 0, 1)],
    },
    {
      name: 'leaves out a call one backend holds whole and reports',
      traces: [
        trace('1', [
          ['a', 'frontend', ['jaeger'], {}],
          ['b', 'payments', ['jaeger'], { parent: 'a' }],
        ]),
      ],
      reported: [own('frontend', 'payments', ['jaeger'])],
      want: [],
    },
    {
      name: 'counts a call one backend holds whole but whose graph lacks it (no dependency job)',
      traces: [
        trace('1', [
          ['a', 'frontend', ['es'], {}],
          ['b', 'payments', ['es'], { parent: 'a' }],
        ]),
      ],
      reported: [own('frontend', 'payments', ['zipkin'])],
      want: [derived('frontend', 'payments', ['es'], 1, 0, 1)],
    },
    {
      name: 'leaves out a call whose spans share one reporting backend (a span both backends held)',
      traces: [
        trace('1', [
          ['a', 'frontend', ['jaeger', 'zipkin'], {}],
          ['b', 'auth', ['zipkin'], { parent: 'a' }],
        ]),
      ],
      reported: [own('frontend', 'auth', ['zipkin'])],
      want: [],
    },
    {
      name: 'makes no edge of a call within one service, even across backends',
      traces: [
        trace('1', [
          ['a', 'frontend', ['jaeger'], {}],
          ['b', 'frontend', ['zipkin'], { parent: 'a' }],
        ]),
      ],
      want: [],
    },
    {
      name: 'counts an error on the child span, and on a client span its server answered',
      traces: [
        trace('1', [
          ['a', 'frontend', ['jaeger'], { kind: 'SERVER', status: ERROR }],
          ['b', 'payments', ['zipkin'], { kind: 'SERVER', parent: 'a' }],
          ['c', 'frontend', ['jaeger'], { kind: 'CLIENT', status: ERROR }],
          ['d', 'payments', ['zipkin'], { kind: 'SERVER', parent: 'c' }],
          ['e', 'payments', ['zipkin'], { kind: 'SERVER', parent: 'a', status: ERROR }],
        ]),
      ],
      want: [derived('frontend', 'payments', ['jaeger', 'zipkin'], 3, 2, 1)],
    },
    {
      name: 'counts a Zipkin shared span pair split between backends as one call',
      traces: [
        trace('1', [
          ['a', 'frontend', ['jaeger'], { kind: 'SERVER' }],
          ['b', 'frontend', ['jaeger'], { kind: 'CLIENT', parent: 'a' }],
          ['b', 'catalog', ['zipkin'], { kind: 'SERVER', parent: 'a', isSharedServer: true }],
          ['c', 'db', ['zipkin'], { kind: 'SERVER', parent: 'b' }],
        ]),
      ],
      want: [derived('catalog', 'db', ['zipkin'], 1, 0, 1), derived('frontend', 'catalog', ['jaeger', 'zipkin'], 1, 0, 1)],
    },
    {
      name: 'counts only child spans starting inside the window',
      traces: [
        trace('1', [
          ['a', 'frontend', ['jaeger'], { startTimeUs: 0 }],
          ['b', 'payments', ['zipkin'], { parent: 'a', startTimeUs: 2_000_000 }],
        ]),
      ],
      want: [],
    },
    {
      name: 'adds calls up over traces and counts the traces each edge was seen in',
      traces: [
        trace('1', [
          ['a', 'frontend', ['jaeger'], {}],
          ['b', 'payments', ['zipkin'], { parent: 'a' }],
          ['c', 'payments', ['zipkin'], { parent: 'a' }],
        ]),
        trace('2', [
          ['a', 'frontend', ['jaeger'], {}],
          ['b', 'payments', ['zipkin'], { parent: 'a' }],
        ]),
      ],
      want: [derived('frontend', 'payments', ['jaeger', 'zipkin'], 3, 0, 2)],
    },
  ];

  it.each(cases)('$name', ({ traces, reported = [], want }) => {
    expect(deriveEdges(traces, WINDOW, reportedEdges(reported))).toEqual(want);
  });
});

describe('unionEdges', () => {
  it('sums an edge a backend reports with its derived calls, marks it derived and keeps the other edges as reported', () => {
    const edges = unionEdges(
      [own('checkout', 'payments', ['jaeger'], 4, null), own('a', 'b', ['zipkin'], 2, 1)],
      [derived('checkout', 'payments', ['jaeger', 'zipkin'], 1, 1, 1), derived('frontend', 'payments', ['jaeger', 'zipkin'], 1, 0, 1)],
      'sum',
    );
    expect(edges).toEqual([
      { item: { parent: 'a', child: 'b', callCount: 2, errorCount: 1 }, sources: ['zipkin'], derived: false, tracesSeen: null },
      { item: { parent: 'checkout', child: 'payments', callCount: 5, errorCount: 1 }, sources: ['jaeger', 'zipkin'], derived: true, tracesSeen: 1 },
      derived('frontend', 'payments', ['jaeger', 'zipkin'], 1, 0, 1),
    ]);
  });

  it('keeps the larger count under dependencyCounts: max', () => {
    const [edge] = unionEdges([own('checkout', 'payments', ['jaeger'], 4, 3)], [derived('checkout', 'payments', ['zipkin'], 1, 5, 1)], 'max');
    expect(edge!.item).toEqual({ parent: 'checkout', child: 'payments', callCount: 4, errorCount: 5 });
  });
});
