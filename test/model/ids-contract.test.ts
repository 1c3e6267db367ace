/**
 * What schema.graphql tells callers about ids and what src/model/ids.ts accepts are one rule: 1 to 32
 * hex characters for a trace id and 1 to 16 for a span id, left-padded with zeros (as Jaeger and
 * Zipkin do).
 */
import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { InvalidIdError, parseSpanId, parseTraceId, SPAN_ID_HEX_CHARS, TRACE_ID_HEX_CHARS } from '../../src/model/index.js';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const fieldOf = (type: string, field: string) => (schema.getType(type) as GraphQLObjectType).getFields()[field]!;

describe('the id rule in schema.graphql and in model/ids.ts', () => {
  it('documents Query.trace(id) as 1 to 32 hex characters, left-padded', () => {
    const description = fieldOf('Query', 'trace').description ?? '';
    expect(description).toContain(`1 to ${TRACE_ID_HEX_CHARS} hex characters`);
    expect(description).toContain('left-padded');
  });

  it('documents Trace.span(spanId) as 1 to 16 hex characters, left-padded', () => {
    const description = fieldOf('Trace', 'span').description ?? '';
    expect(description).toContain(`1 to ${SPAN_ID_HEX_CHARS} hex characters`);
    expect(description).toContain('left-padded');
  });

  it.each(Array.from({ length: TRACE_ID_HEX_CHARS }, (_, i) => i + 1))('accepts a %i-character trace id, left-padded to 32', (length) => {
    const raw = 'f'.repeat(length);
    expect(parseTraceId(raw)).toBe(raw.padStart(32, '0'));
  });

  it('rejects a 33-character trace id, with the documented range in the message', () => {
    expect(() => parseTraceId('f'.repeat(33))).toThrow(InvalidIdError);
    expect(() => parseTraceId('f'.repeat(33))).toThrow(`traceId must be 1 to ${TRACE_ID_HEX_CHARS} hex characters`);
  });

  it.each(Array.from({ length: SPAN_ID_HEX_CHARS }, (_, i) => i + 1))('accepts a %i-character span id, left-padded to 16', (length) => {
    const raw = 'a'.repeat(length);
    expect(parseSpanId(raw)).toBe(raw.padStart(16, '0'));
  });

  it('rejects a 17-character span id, with the documented range in the message', () => {
    expect(() => parseSpanId('a'.repeat(17))).toThrow(`spanId must be 1 to ${SPAN_ID_HEX_CHARS} hex characters`);
  });

  it('echoes at most 40 characters of a rejected id', () => {
    const error = (() => {
      try {
        parseTraceId('z'.repeat(100_000));
      } catch (e) {
        return e as InvalidIdError;
      }
      throw new Error('accepted');
    })();
    expect(error.message.length).toBeLessThan(120);
    expect(error.received.length).toBeLessThanOrEqual(41);
  });
});
