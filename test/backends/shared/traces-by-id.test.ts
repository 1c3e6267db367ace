import { describe, expect, it } from 'vitest';
import { fileTraces, inAskedOrder, onlyTrace } from '../../../src/backends/shared/traces-by-id.js';
import type { BackendTrace } from '../../../src/backends/backend.js';
import { BackendError } from '../../../src/errors.js';
import { parseTraceId } from '../../../src/model/index.js';
import { makeSpan } from '../../support/make-span.js';

const A = parseTraceId('a1');
const B = parseTraceId('b2');

describe('fileTraces', () => {
  it.each([
    {
      description: 'a wire trace that names its id keeps its warnings',
      mapping: { traceId: B, spans: [], warnings: ['w'] },
      asked: [A, B],
      expected: { [B]: ['w'] },
      unplaced: [],
    },
    {
      description: 'without a name, the warnings go to the trace of its spans',
      mapping: { spans: [makeSpan('1', { traceId: A })], warnings: ['w'] },
      asked: [A, B],
      expected: { [A]: ['w'] },
      unplaced: [],
    },
    {
      description: 'with neither, to the only id asked',
      mapping: { spans: [], warnings: ['w'] },
      asked: [B],
      expected: { [B]: ['w'] },
      unplaced: [],
    },
    {
      description: 'and otherwise to nobody: the caller logs them',
      mapping: { spans: [], warnings: ['w'] },
      asked: [A, B],
      expected: {},
      unplaced: ['w'],
    },
  ])('$description', ({ mapping, asked, expected, unplaced }) => {
    const byId = new Map<typeof A, BackendTrace>();
    expect(fileTraces([mapping], asked, byId)).toEqual(unplaced);
    expect(Object.fromEntries([...byId].map(([id, t]) => [id, t.warnings]))).toEqual(expected);
  });

  it('puts the spans of two wire traces of one id together', () => {
    const byId = new Map<typeof A, BackendTrace>();
    fileTraces(
      [
        { spans: [makeSpan('1', { traceId: A })], warnings: [] },
        { spans: [makeSpan('2', { traceId: A })], warnings: [] },
      ],
      [A],
      byId,
    );
    expect(byId.get(A)!.spans.map((s) => s.spanId)).toHaveLength(2);
  });
});

describe('inAskedOrder', () => {
  it('answers each id in order, no spans for one not held, an error as it is, and a copy for an id asked twice', () => {
    const failed = new BackendError('BACKEND_UNSUPPORTED', 'es', 'too big');
    const held = { spans: [makeSpan('1', { traceId: A })], warnings: ['w'] };
    const answers = inAskedOrder(
      [A, B, A, parseTraceId('c3')],
      new Map<typeof A, BackendTrace | BackendError>([
        [A, held],
        [B, failed],
      ]),
    );
    expect(answers[0]).toBe(held);
    expect(answers[1]).toBe(failed);
    expect(answers[2]).toEqual(held);
    expect(answers[2]).not.toBe(held);
    expect((answers[2] as BackendTrace).spans[0]).not.toBe(held.spans[0]);
    expect(answers[3]).toEqual({ spans: [], warnings: [] });
  });
});

describe('onlyTrace', () => {
  it('keeps the asked trace’s spans and says how many of another trace were dropped', () => {
    const trace = onlyTrace(A, { spans: [makeSpan('1', { traceId: A }), makeSpan('2', { traceId: B })], warnings: ['w'] });
    expect(trace.spans.map((s) => s.traceId)).toEqual([A]);
    expect(trace.warnings).toEqual(['w', `1 span(s) of another trace in the answer for ${A} were dropped`]);
  });
});
