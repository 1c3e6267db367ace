import { describe, expect, it } from 'vitest';
import { jsonChunks } from '../../src/server/stream-json.js';

const joined = (value: unknown, chunkChars: number) => [...jsonChunks(value, chunkChars)].join('');

const spans = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    spanId: i.toString(16).padStart(16, '0'),
    parentSpanId: i === 0 ? null : '0000000000000000',
    name: `step-${i % 7}`,
    attributes: [{ key: 'item.index', value: String(i) }],
    sources: ['jaeger', 'zipkin'],
  }));

const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: [1, 2] });

const cases: Array<{ description: string; value: unknown }> = [
  { description: 'a GraphQL answer with a long list under data', value: { data: { trace: { spanCount: 300, spans: spans(300) } } } },
  { description: 'long lists nested in a list (traces(ids:))', value: { data: { traces: [{ spans: spans(100) }, null, { spans: spans(70) }] } } },
  {
    description: 'errors before data, extensions after',
    value: { errors: [{ message: 'x', path: ['a', 0] }], data: { a: [null] }, extensions: { n: 1 } },
  },
  {
    description: 'keys whose value has no JSON form are left out',
    value: { a: undefined, b: () => 1, c: Symbol('s'), d: 1, data: { e: undefined } },
  },
  { description: 'array members without a JSON form are written null', value: { data: [undefined, () => 1, Symbol('s'), 2] } },
  {
    description: 'numbers JSON cannot hold are written null',
    value: { data: { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, neg: -0, big: 1e21, small: 5e-324 } },
  },
  {
    description: 'strings that need escaping, lone surrogates and astral characters',
    value: { data: { s: '"\\\n\t\u0000\u001f\u2028 \ud800 \udc00 😀 é' } },
  },
  { description: 'keys that need escaping', value: { data: { 'a"b': 1, 'c\nd': 2, '': 3 } } },
  { description: 'integer-like keys first, ascending, as Object.keys orders them', value: { data: { b: 1, 2: 2, a: 3, 1: 4 } } },
  { description: 'objects without a prototype (graphql-js results)', value: { data: nullPrototype } },
  { description: 'toJSON is honoured (never walked)', value: { data: { when: new Date(0), custom: { toJSON: () => ({ x: 1 }) } } } },
  {
    description: 'boxed primitives and class instances serialise natively',
    value: {
      data: [
        Object(1),
        Object('s'),
        new (class {
          y = 2;
        })(),
      ],
    },
  },
  { description: 'empty containers', value: { data: { a: [], b: {}, c: [[]], d: [{}] } } },
  { description: 'a deep nesting of long lists', value: { data: Array.from({ length: 70 }, () => Array.from({ length: 70 }, (_, i) => i)) } },
  { description: 'a top-level array', value: [1, 'two', null, { three: 3 }] },
  { description: 'a top-level scalar', value: 'just a string' },
  { description: 'null', value: null },
];

describe('jsonChunks', () => {
  it.each(cases)('writes JSON.stringify exactly: $description', ({ value }) => {
    for (const chunkChars of [1, 7, 256, 64 * 1024]) expect(joined(value, chunkChars)).toBe(JSON.stringify(value));
  });

  it('yields nothing for a value JSON.stringify gives undefined for', () => {
    expect([...jsonChunks(undefined)]).toEqual([]);
    expect([...jsonChunks(() => 1)]).toEqual([]);
  });

  it('splits a big answer into chunks of about the asked size', () => {
    const value = { data: { trace: { spans: spans(5_000) } } };
    const chunks = [...jsonChunks(value, 16 * 1024)];
    expect(chunks.join('')).toBe(JSON.stringify(value));
    expect(chunks.length).toBeGreaterThan(10);
    // A chunk closes at the first member that takes it past the size: at most one span more.
    const longestSpan = Math.max(...value.data.trace.spans.map((s) => JSON.stringify(s).length + 1));
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(16 * 1024 + longestSpan);
  });

  it('throws on a cycle, as JSON.stringify does', () => {
    const cyclic: Record<string, unknown> = { data: {} };
    (cyclic.data as Record<string, unknown>).self = cyclic;
    expect(() => joined(cyclic, 64)).toThrow(TypeError);
    const list: unknown[] = Array.from({ length: 100 }, () => 0);
    list[0] = list;
    expect(() => joined({ data: list }, 64)).toThrow(TypeError);
  });
});
