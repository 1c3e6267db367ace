/**
 * Jaeger UI's own critical-path test cases (test/fixtures/jaeger-ui-critical-path/, converted from
 * jaegertracing/jaeger-ui by scripts/convert-jaeger-ui-critical-path.ts), run through Tracegate's Jaeger
 * JSON reader, merge and critical path: the sections must equal the ones Jaeger UI's test expects.
 *
 * The cases use ids like "span-A", which no Jaeger server sends and our reader rejects: each id is
 * replaced by a hex one before reading and mapped back for the comparison. The merge is `raw`, as
 * Jaeger UI's test computes over the trace as written. Jaeger UI lists sections from the end of the
 * trace backwards, we list them earliest first; every case has one top-level span, so one reversal
 * compares them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCriticalPath } from '../../src/federation/critical-path.js';
import { mergeTrace } from '../../src/federation/merge.js';
import { jaegerTraceToSpans, type JaegerTrace } from '../../src/formats/jaeger-json/index.js';
import { parseTraceId } from '../../src/model/index.js';
import { MERGE_OPTIONS } from '../support/merge-step.js';

interface Fixture {
  source: { path: string; commit: string };
  trace: { traceID: string; spans: Array<{ spanID: string; references?: Array<{ spanID: string; traceID?: string }>; traceID?: string }> };
  criticalPathSections: Array<{ spanID: string; sectionStart: number; sectionEnd: number }>;
}

const DIR = 'test/fixtures/jaeger-ui-critical-path';
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Fixture }));

const TRACE_ID = parseTraceId('c1');

/** The case's trace with hex ids, and the way back from a hex span id to the case's own. */
function withHexIds(trace: Fixture['trace']): { trace: JaegerTrace; originalId: Map<string, string> } {
  const hex = new Map(trace.spans.map((s, i) => [s.spanID, (i + 1).toString(16).padStart(16, '0')]));
  const idOf = (id: string) => hex.get(id) ?? 'ffffffffffffffff';
  const spans = trace.spans.map((s) => ({
    ...s,
    traceID: TRACE_ID,
    spanID: idOf(s.spanID),
    references: (s.references ?? []).map((r) => ({ ...r, traceID: TRACE_ID, spanID: idOf(r.spanID) })),
  }));
  return { trace: { ...trace, traceID: TRACE_ID, spans } as unknown as JaegerTrace, originalId: new Map([...hex].map(([k, v]) => [v, k])) };
}

describe("Jaeger UI's critical-path test cases", () => {
  it('are all here (nine at the pinned commit)', () => {
    expect(fixtures.map((f) => f.file)).toEqual([
      'test1.json',
      'test2.json',
      'test3.json',
      'test4.json',
      'test5.json',
      'test6.json',
      'test7.json',
      'test8.json',
      'test9.json',
    ]);
    expect(new Set(fixtures.map((f) => f.fixture.source.commit)).size).toBe(1);
  });

  it.each(fixtures)('$file gives the sections Jaeger UI expects', ({ fixture }) => {
    const { trace, originalId } = withHexIds(fixture.trace);
    const merged = mergeTrace(TRACE_ID, [jaegerTraceToSpans(trace, 'jaeger')], { ...MERGE_OPTIONS, raw: true });
    expect(merged.spans).toHaveLength(fixture.trace.spans.length);
    expect(merged.tree.roots).toHaveLength(1);
    const sections = computeCriticalPath(merged.tree).map((s) => ({
      spanID: originalId.get(s.span.spanId),
      sectionStart: s.startUs,
      sectionEnd: s.endUs,
    }));
    expect(sections.reverse()).toStrictEqual(fixture.criticalPathSections);
  });
});
