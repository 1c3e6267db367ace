/**
 * Typed attribute values, aligned with OpenTelemetry's AnyValue. Jaeger tags, Zipkin tags (always
 * strings on the wire), OTLP attributes and Jaeger log fields all map onto this one shape.
 *
 * Integers beyond ±2^53 cannot be held by a double, so they keep their exact decimal text (type INT,
 * value a string), the same choice Jaeger's v1 JSON makes. Doubles JSON cannot hold (NaN, ±Infinity)
 * are their proto3-JSON text "NaN", "Infinity", "-Infinity" (type DOUBLE, value a string), the form
 * OTLP/JSON sends them in: a number NaN would reach callers and the cache as `null`. Bytes are base64
 * text.
 */

export type AttributeType = 'STRING' | 'BOOL' | 'INT' | 'DOUBLE' | 'BYTES' | 'ARRAY' | 'MAP';

export type AttributeScalar = string | number | boolean;
export type AttributeJson = AttributeScalar | null | AttributeJson[] | { [key: string]: AttributeJson };

export interface Attribute {
  key: string;
  type: AttributeType;
  value: AttributeJson;
}

export function stringAttr(key: string, value: string): Attribute {
  return { key, type: 'STRING', value };
}

export function boolAttr(key: string, value: boolean): Attribute {
  return { key, type: 'BOOL', value };
}

/** Accepts a number or the decimal text of an int64; keeps text when it is beyond ±2^53. */
export function intAttr(key: string, value: number | string | bigint): Attribute {
  if (typeof value === 'number') return { key, type: 'INT', value: Math.trunc(value) };
  const text = String(value).trim();
  const asNumber = Number(text);
  return { key, type: 'INT', value: Number.isSafeInteger(asNumber) ? asNumber : text };
}

export function doubleAttr(key: string, value: number): Attribute {
  return { key, type: 'DOUBLE', value: canonicalDouble(value) };
}

/** A double as the model holds it: the number, or proto3 JSON's text for NaN and ±Infinity. */
export function canonicalDouble(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** Text that names a double: decimal or exponent notation, or NaN/Infinity as OTLP and Go write them. */
export function parseDoubleText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (/^(?:nan)$/i.test(trimmed)) return 'NaN';
  if (/^[+]?(?:inf|infinity)$/i.test(trimmed)) return 'Infinity';
  if (/^-(?:inf|infinity)$/i.test(trimmed)) return '-Infinity';
  if (trimmed === '' || !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(trimmed)) return undefined;
  return canonicalDouble(Number(trimmed));
}

export function findAttribute(attributes: readonly Attribute[], key: string): Attribute | undefined {
  for (const attribute of attributes) if (attribute.key === key) return attribute;
  return undefined;
}

/** Removes the first attribute with `key` from `attributes` and returns it: how readers fold a tag into a field. */
export function takeAttribute(attributes: Attribute[], key: string): Attribute | undefined {
  for (let i = 0; i < attributes.length; i++) if (attributes[i]!.key === key) return attributes.splice(i, 1)[0];
  return undefined;
}

/** A copy the caller may change: ARRAY and MAP values are copied deeply, scalars need no more than a new object. */
export function cloneAttribute(attribute: Attribute): Attribute {
  return typeof attribute.value === 'object' && attribute.value !== null ? structuredClone(attribute) : { ...attribute };
}

/** The value as text, the way search filters and Zipkin tags compare values. */
export function attributeText(attribute: Attribute): string {
  const { value } = attribute;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
