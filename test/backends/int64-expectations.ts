/**
 * What the canonical spans of the test/fixtures/int64/ files must hold, whichever path read them (the
 * HTTP client, the file importer): every integer beyond 2^53 with all its digits, as the decimal text an
 * INT attribute keeps (src/model/attributes.ts), and every time beyond 2^53 µs replaced by 0 with a
 * warning. One place, so the HTTP and file tests cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Attribute, Span } from '../../src/model/index.js';

export type Int64Fixture = 'jaeger-v1-int64-tags-beyond-2-53' | 'otlp-int-values-beyond-2-53' | 'zipkin-v2-number-tags-beyond-2-53';

const FIXTURES = new URL('../fixtures/int64/', import.meta.url);

/** The file's text, byte for byte: parsing is the code under test. */
export function readInt64Fixture(name: Int64Fixture): string {
  return readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8');
}

function byId(spans: readonly Span[], spanId: string): Span {
  const span = spans.find((s) => s.spanId === spanId);
  expect(span, `span ${spanId}`).toBeDefined();
  return span!;
}

function attributeValue(attributes: readonly Attribute[], key: string): Pick<Attribute, 'type' | 'value'> | undefined {
  const attribute = attributes.find((a) => a.key === key);
  return attribute && { type: attribute.type, value: attribute.value };
}

/** Canonical spans go to the cache codec and to GraphQL as JSON; a bigint left inside would throw there. */
function expectJsonSafe(spans: readonly Span[]): void {
  expect(() => JSON.stringify(spans)).not.toThrow();
}

export function expectJaegerInt64Spans(spans: readonly Span[]): void {
  expectJsonSafe(spans);
  const server = byId(spans, '0000000000000001');
  expect(attributeValue(server.attributes, 'order.id')).toEqual({ type: 'INT', value: '9007199254740993' });
  expect(attributeValue(server.attributes, 'int64.min')).toEqual({ type: 'INT', value: '-9223372036854775808' });
  expect(attributeValue(server.attributes, 'int64.max')).toEqual({ type: 'INT', value: '9223372036854775807' });
  expect(attributeValue(server.attributes, 'int64.small')).toEqual({ type: 'INT', value: 42 });
  expect(attributeValue(server.attributes, 'untyped.big')).toEqual({ type: 'INT', value: '-9007199254740993' });
  expect(attributeValue(server.attributes, 'float.integral')).toEqual({ type: 'DOUBLE', value: 1e20 });
  expect(attributeValue(server.attributes, 'mistyped.big')).toEqual({ type: 'STRING', value: '9007199254740993' });
  expect(attributeValue(server.events[0]!.attributes, 'offset')).toEqual({ type: 'INT', value: '-9223372036854775807' });
  expect(attributeValue(server.resource, 'host.inode')).toEqual({ type: 'INT', value: '18446744073709551615' });
  expect(server).toMatchObject({ startTimeUs: 1795361120375502, durationUs: 1500 });
  expect(server.warnings).toEqual(["tag 'mistyped.big' has type 'bool' but value 9007199254740993 (expected true or false); kept as text"]);

  const broken = byId(spans, '0000000000000002');
  expect(broken).toMatchObject({ startTimeUs: 0, durationUs: 0 });
  expect(broken.events[0]!.timeUs).toBe(0);
  expect(broken.warnings).toEqual([
    'startTime 99999999999999999 is beyond 2^53 µs; 0 used',
    'duration 18446744073709551615 is beyond 2^53 µs; 0 used',
    "log 'late' timestamp 12345678901234567890 is beyond 2^53 µs; 0 used",
  ]);
}

export function expectOtlpInt64Spans(spans: readonly Span[]): void {
  expectJsonSafe(spans);
  const server = byId(spans, '0000000000000001');
  expect(attributeValue(server.attributes, 'order.id')).toEqual({ type: 'INT', value: '9007199254740993' });
  expect(attributeValue(server.attributes, 'int64.min')).toEqual({ type: 'INT', value: '-9223372036854775808' });
  expect(attributeValue(server.attributes, 'int64.max.text')).toEqual({ type: 'INT', value: '9223372036854775807' });
  expect(attributeValue(server.attributes, 'int64.small')).toEqual({ type: 'INT', value: 42 });
  expect(attributeValue(server.attributes, 'ids')).toEqual({ type: 'ARRAY', value: ['9223372036854775807', '-9007199254740993', 'x'] });
  expect(attributeValue(server.attributes, 'limits')).toEqual({
    type: 'MAP',
    value: { max: '9223372036854775807', nested: { min: '-9223372036854775808' }, list: ['9007199254740993'] },
  });
  expect(attributeValue(server.events[0]!.attributes, 'offset')).toEqual({ type: 'INT', value: '-9223372036854775807' });
  expect(attributeValue(server.links[0]!.attributes, 'link.seq')).toEqual({ type: 'INT', value: '9007199254740995' });
  expect(attributeValue(server.resource, 'host.inode')).toEqual({ type: 'INT', value: '18446744073709551615' });
  // ns times written as JSON numbers, exact: 1795361120377002999 − 1795361120375502001 ns truncates to 1500 µs.
  expect(server).toMatchObject({ startTimeUs: 1795361120375502, durationUs: 1500 });
  expect(server.events[0]!.timeUs).toBe(1795361120375600);
  expect(server.warnings).toEqual([]);

  const broken = byId(spans, '0000000000000002');
  expect(broken).toMatchObject({ startTimeUs: 0, durationUs: 0 });
  expect(broken.warnings).toEqual([
    'startTimeUnixNano 99999999999999999999999 is beyond 2^53 µs; 0 used',
    'endTimeUnixNano 99999999999999999999999 is beyond 2^53 µs; 0 used',
  ]);
}

export function expectZipkinInt64Spans(spans: readonly Span[]): void {
  expectJsonSafe(spans);
  const server = byId(spans, '0000000000000001');
  expect(attributeValue(server.attributes, 'order.id')).toEqual({ type: 'STRING', value: '9007199254740993' });
  expect(attributeValue(server.attributes, 'lax.number')).toEqual({ type: 'STRING', value: '9007199254740993' });
  expect(attributeValue(server.attributes, 'lax.min')).toEqual({ type: 'STRING', value: '-9223372036854775808' });
  expect(server).toMatchObject({ startTimeUs: 1795361120375502, durationUs: 1500 });
  expect(server.warnings).toEqual([
    "tag 'lax.number' is a number, not a string; kept as text",
    "tag 'lax.min' is a number, not a string; kept as text",
  ]);

  const broken = byId(spans, '0000000000000002');
  expect(broken).toMatchObject({ startTimeUs: 0, durationUs: 0 });
  expect(broken.events[0]!.timeUs).toBe(0);
  expect(broken.warnings).toEqual([
    'timestamp 99999999999999999 is beyond 2^53 µs; 0 used',
    'duration 18446744073709551615 is beyond 2^53 µs; 0 used',
    "annotation 'late' timestamp 12345678901234567890 is beyond 2^53 µs; 0 used",
  ]);
}
