/** Builds canonical spans for unit tests with short, readable ids ("a" → 000…0a). */
import { newSpan, parseSpanId, parseTraceId, type Span } from '../../src/model/index.js';

export const TRACE = parseTraceId('1');

export function makeSpan(id: string, fields: Partial<Omit<Span, 'spanId' | 'parentSpanId'>> & { parent?: string | null } = {}): Span {
  const { parent, ...rest } = fields;
  return newSpan({
    traceId: TRACE,
    spanId: parseSpanId(id),
    name: `op-${id}`,
    startTimeUs: 1_000,
    durationUs: 100,
    service: 'svc',
    sources: ['b1'],
    ...rest,
    parentSpanId: parent ? parseSpanId(parent) : null,
  });
}
