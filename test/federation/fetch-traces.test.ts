import { describe, expect, it } from 'vitest';
import { createDeadline, fetchTraces, type FanOutOptions, type MergeOptions } from '../../src/federation/index.js';
import { parseTraceId } from '../../src/model/index.js';
import { makeSpan } from '../support/make-span.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const A = parseTraceId('a1');
const B = parseTraceId('b2');
const MERGE: MergeOptions = { lenientTraceIds: false, raw: true, clockSkew: 'off', maxClockSkewUs: 0 };
const options = (): FanOutOptions => ({ deadline: createDeadline(1_000), timeoutMs: () => 1_000 });

describe('fetchTraces', () => {
  it('shows what a backend dropped while reading a trace as MAPPING warnings naming the backend, ahead of the merge’s own', async () => {
    const skipped = "skipped span 'charge': spanID 'zz' is not 1–16 hex digits";
    const backends = [
      new ScriptedBackend('zipkin-eu', { spans: [makeSpan('1', { traceId: A })], traceWarnings: { [A]: [skipped] } }),
      new ScriptedBackend('jaeger', { spans: [makeSpan('2', { traceId: A, parent: 'ff' })] }),
    ];
    const [lookup] = await fetchTraces([A], backends, MERGE, options());
    const warnings = lookup!.view!.trace.warnings;
    expect(warnings[0]).toEqual({ code: 'MAPPING', message: `zipkin-eu: ${skipped}`, spanId: null });
    // The merge's own warnings follow (span 2's parent is not in the trace).
    expect(warnings.slice(1).map((w) => w.code)).toContain('ORPHAN_SPAN');
  });

  it('keeps each trace’s warnings to that trace', async () => {
    const backend = new ScriptedBackend('zipkin', {
      spans: [makeSpan('1', { traceId: A }), makeSpan('2', { traceId: B })],
      traceWarnings: { [B]: ['odd'] },
    });
    const [a, b] = await fetchTraces([A, B], [backend], MERGE, options());
    expect(a!.view!.trace.warnings).toEqual([]);
    expect(b!.view!.trace.warnings).toEqual([{ code: 'MAPPING', message: 'zipkin: odd', spanId: null }]);
  });

  it('finds no trace where no backend holds a span of it, warnings or not', async () => {
    const backend = new ScriptedBackend('zipkin', { spans: [], traceWarnings: { [A]: ['every span was skipped'] } });
    const [lookup] = await fetchTraces([A], [backend], MERGE, options());
    expect(lookup!.view).toBeNull();
  });
});
