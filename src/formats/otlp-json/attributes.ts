/**
 * OTLP AnyValue → canonical typed attributes.
 * Split from to-model.ts: attributes, resource attributes, event and link attributes all come
 * through here. Pure; odd values become warnings, never errors.
 */
import { canonicalDouble, parseDoubleText, type Attribute, type AttributeJson } from '../../model/index.js';
import { describeValue as describe, isObject } from '../shared/index.js';
import type { OtlpAnyValue, OtlpKeyValue } from './wire.js';

/** OTLP KeyValue list → typed attributes; entries without a key are dropped with a warning. */
export function mapAttributes(raw: readonly OtlpKeyValue[] | undefined, warnings: string[]): Attribute[] {
  if (!Array.isArray(raw)) return [];
  const attributes: Attribute[] = [];
  for (const kv of raw) {
    if (!isObject(kv) || typeof kv.key !== 'string') {
      warnings.push(`dropped an attribute without a key: ${describe(kv)}`);
      continue;
    }
    attributes.push(anyValueToAttribute(kv.key, kv.value, warnings));
  }
  return attributes;
}

/**
 * One AnyValue → a typed attribute. INT keeps its exact decimal text beyond ±2^53 (model/attributes.ts);
 * ARRAY and MAP values become plain JSON (element types are not kept); an empty AnyValue is an empty
 * STRING, as Jaeger's v1 view shows it.
 */
function anyValueToAttribute(key: string, value: OtlpAnyValue | undefined, warnings: string[]): Attribute {
  if (!isObject(value)) return { key, type: 'STRING', value: '' };
  if (value.stringValue !== undefined) return { key, type: 'STRING', value: String(value.stringValue) };
  if (value.boolValue !== undefined) return { key, type: 'BOOL', value: isTrue(value.boolValue) };
  if (value.intValue !== undefined) return { key, type: 'INT', value: intValue(key, value.intValue, warnings) };
  if (value.doubleValue !== undefined) return { key, type: 'DOUBLE', value: doubleValue(value.doubleValue) };
  if (value.bytesValue !== undefined) return { key, type: 'BYTES', value: String(value.bytesValue) };
  if (value.arrayValue !== undefined) {
    const values = Array.isArray(value.arrayValue?.values) ? value.arrayValue.values : [];
    return { key, type: 'ARRAY', value: values.map((v) => anyValueToJson(key, v, warnings)) };
  }
  if (value.kvlistValue !== undefined) return { key, type: 'MAP', value: kvlistToJson(key, value.kvlistValue?.values, warnings) };
  return { key, type: 'STRING', value: '' };
}

function anyValueToJson(key: string, value: OtlpAnyValue | undefined, warnings: string[]): AttributeJson {
  if (!isObject(value)) return null;
  if (value.stringValue !== undefined) return String(value.stringValue);
  if (value.boolValue !== undefined) return isTrue(value.boolValue);
  if (value.intValue !== undefined) return intValue(key, value.intValue, warnings);
  if (value.doubleValue !== undefined) return doubleValue(value.doubleValue);
  if (value.bytesValue !== undefined) return String(value.bytesValue);
  if (value.arrayValue !== undefined) {
    const values = Array.isArray(value.arrayValue?.values) ? value.arrayValue.values : [];
    return values.map((v) => anyValueToJson(key, v, warnings));
  }
  if (value.kvlistValue !== undefined) return kvlistToJson(key, value.kvlistValue?.values, warnings);
  return null;
}

function kvlistToJson(key: string, raw: OtlpKeyValue[] | undefined, warnings: string[]): { [key: string]: AttributeJson } {
  const out: { [key: string]: AttributeJson } = {};
  if (!Array.isArray(raw)) return out;
  for (const kv of raw) {
    if (isObject(kv) && typeof kv.key === 'string') out[kv.key] = anyValueToJson(`${key}.${kv.key}`, kv.value, warnings);
  }
  return out;
}

/**
 * int64 as a number when it fits a double exactly, else its decimal text. OTLP/JSON writes it as text;
 * a lax writer's JSON number beyond ±2^53 arrives as an exact bigint when the body was read with
 * ../shared/exact-json.ts, and as an already rounded double otherwise (hence the warning).
 */
function intValue(key: string, raw: unknown, warnings: string[]): number | string {
  if (typeof raw === 'bigint') return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw.toString();
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw)) {
      warnings.push(`attribute '${key}': intValue ${raw} was written as a JSON number beyond ±2^53, so its exact value may already be lost`);
    }
    return Math.trunc(raw);
  }
  const text = String(raw).trim();
  if (!/^[-+]?\d+$/.test(text)) {
    warnings.push(`attribute '${key}': intValue ${describe(raw)} is not an integer; kept as text`);
    return text;
  }
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : text.replace(/^\+/, '');
}

/** Finite doubles stay numbers; proto3's "NaN"/"Infinity"/"-Infinity" stay text (JSON has no such numbers). */
function doubleValue(raw: unknown): number | string {
  if (typeof raw === 'number') return canonicalDouble(raw);
  // proto3 JSON writes NaN and ±Infinity as text; anything else unreadable stays as sent.
  return (typeof raw === 'string' ? parseDoubleText(raw) : undefined) ?? String(raw);
}

/** JSON `true`, or the text "true" some writers send. */
function isTrue(raw: unknown): boolean {
  return raw === true || raw === 'true';
}
