import { describe, expect, it } from 'vitest';
import { jaegerWarningTexts, takeJaegerWarnings } from '../../../src/formats/shared/jaeger-warnings.js';
import type { Attribute } from '../../../src/model/index.js';

describe('takeJaegerWarnings', () => {
  it.each([
    { description: 'a string slice (OTLP, api_v3)', value: ['a', 'b'], type: 'ARRAY' as const, want: ['a', 'b'] },
    { description: 'the slice as JSON text (a string-only store)', value: '["a","b"]', type: 'STRING' as const, want: ['a', 'b'] },
    { description: 'plain text (Jaeger’s malformed-data fallback)', value: 'a', type: 'STRING' as const, want: ['a'] },
    { description: 'JSON text that is not a list of strings', value: '[1,2]', type: 'STRING' as const, want: ['[1,2]'] },
  ])('reads $description and removes the attribute', ({ value, type, want }) => {
    const attributes: Attribute[] = [
      { key: 'x', type: 'STRING', value: 'y' },
      { key: '@jaeger@warnings', type, value },
    ];
    expect(takeJaegerWarnings(attributes)).toEqual(want);
    expect(attributes).toEqual([{ key: 'x', type: 'STRING', value: 'y' }]);
  });
});

describe('jaegerWarningTexts', () => {
  it('splits an entry that is the stored tag’s JSON list (v1 API of a Jaeger on Elasticsearch)', () => {
    expect(jaegerWarningTexts(['["Negative duration detected","x"]', 'plain'])).toEqual(['Negative duration detected', 'x', 'plain']);
  });
  it('reads no list as no warnings', () => {
    expect(jaegerWarningTexts(null)).toEqual([]);
  });
});
