import type { IncomingMessage } from 'node:http';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { describe, expect, it } from 'vitest';
import { requestIdOf } from '../../src/server/request-id.js';
import { activeTraceId, incomingTraceId } from '../../src/server/trace-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const withHeader = (value: string | string[] | undefined) => ({ headers: { 'x-request-id': value } }) as unknown as IncomingMessage;

describe('requestIdOf', () => {
  it.each(['abc', 'req-1.2_3', 'A'.repeat(128), '0f8fad5b-d9cb-469f-a165-70867728950e'])('keeps the caller’s sane id %s', (id) => {
    expect(requestIdOf(withHeader(id))).toBe(id);
  });

  it.each([
    ['too long', 'A'.repeat(129)],
    ['a space', 'a b'],
    ['a newline', 'a\nb'],
    ['a quote', 'a"b'],
    ['a slash', 'a/b'],
    ['empty', ''],
    ['non-ASCII', 'ïd'],
  ])('replaces an id with %s by a fresh UUID', (_, id) => {
    expect(requestIdOf(withHeader(id))).toMatch(UUID);
  });

  it('generates a fresh UUID per request without the header, or with it repeated', () => {
    const a = requestIdOf(withHeader(undefined));
    const b = requestIdOf(withHeader(['x', 'y']));
    expect(a).toMatch(UUID);
    expect(b).toMatch(UUID);
    expect(a).not.toBe(b);
  });
});

describe('incomingTraceId', () => {
  const of = (traceparent: string | undefined) => incomingTraceId({ headers: { traceparent } });
  it('is what the log line names without an active span (tracing off)', () => {
    expect(activeTraceId()).toBeNull();
  });

  it('gives way to the active span’s trace id (tracing on)', () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
      expect(context.with(trace.setSpan(ROOT_CONTEXT, span), activeTraceId)).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(activeTraceId()).toBeNull();
    } finally {
      context.disable();
    }
  });

  it('reads the trace id of a W3C traceparent', () => {
    expect(of('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(of('00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-00')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it.each([
    ['absent', undefined],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['garbage', 'hello'],
  ])('is null when the header is %s', (_, value) => {
    expect(of(value)).toBeNull();
  });
});
