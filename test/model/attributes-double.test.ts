import { describe, expect, it } from 'vitest';
import { canonicalDouble, doubleAttr, parseDoubleText } from '../../src/model/index.js';
import { mapKeyValues } from '../../src/formats/jaeger-json/to-model.js';
import { mapAttributes } from '../../src/formats/otlp-json/attributes.js';

// JSON has no NaN or Infinity: a number NaN reaches GraphQL callers and the cache as `null`, a wrong
// answer. The model holds them as proto3 JSON's text, the form OTLP/JSON sends.
describe('doubles JSON cannot hold', () => {
  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [0.25, 0.25],
  ])('canonicalDouble(%s) is %s', (input, want) => {
    expect(canonicalDouble(input)).toBe(want);
    expect(JSON.parse(JSON.stringify(doubleAttr('d', input)))).toEqual({ key: 'd', type: 'DOUBLE', value: want });
  });

  it.each([
    ['NaN', 'NaN'],
    ['+Inf', 'Infinity'],
    ['-Inf', '-Infinity'],
    ['Infinity', 'Infinity'],
    ['1.5e3', 1500],
    ['-0.5', -0.5],
    ['abc', undefined],
    ['', undefined],
    ['0x10', undefined],
  ])('parseDoubleText(%j) is %j', (text, want) => {
    expect(parseDoubleText(text)).toBe(want);
  });

  it('reads OTLP doubleValue text NaN and ±Infinity as DOUBLE, exactly', () => {
    const attributes = mapAttributes(
      [
        { key: 'nan', value: { doubleValue: 'NaN' } },
        { key: 'inf', value: { doubleValue: 'Infinity' } },
        { key: 'neg', value: { doubleValue: '-Infinity' } },
        { key: 'list', value: { arrayValue: { values: [{ doubleValue: 'NaN' }, { doubleValue: 1.5 }] } } },
      ],
      [],
    );
    expect(JSON.parse(JSON.stringify(attributes))).toEqual([
      { key: 'nan', type: 'DOUBLE', value: 'NaN' },
      { key: 'inf', type: 'DOUBLE', value: 'Infinity' },
      { key: 'neg', type: 'DOUBLE', value: '-Infinity' },
      { key: 'list', type: 'ARRAY', value: ['NaN', 1.5] },
    ]);
  });

  it('reads a Jaeger float64 tag stored as text NaN/+Inf (older writers) as DOUBLE', () => {
    const warnings: string[] = [];
    const attributes = mapKeyValues(
      [
        { key: 'nan', type: 'float64', value: 'NaN' },
        { key: 'inf', type: 'float64', value: '+Inf' },
      ],
      'tag',
      warnings,
    );
    expect(attributes).toEqual([
      { key: 'nan', type: 'DOUBLE', value: 'NaN' },
      { key: 'inf', type: 'DOUBLE', value: 'Infinity' },
    ]);
    expect(warnings).toEqual([]);
  });
});
