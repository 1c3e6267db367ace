/**
 * Jaeger keeps its adjusters' and sanitizers' warnings in the span attribute `@jaeger@warnings`
 * (jaegertracing/jaeger `internal/jptrace/warning.go`): a string slice in OTLP (api_v3), and, once a
 * storage without slice-typed tags has held it (Jaeger's Elasticsearch writer), a tag holding the
 * slice as JSON text. Jaeger's v1 API moves it into the span's `warnings`. Every reader takes it out
 * of the attributes the same way, so a span shows the same warnings through every API and index.
 */
import type { Attribute } from '../../model/index.js';

export const JAEGER_WARNINGS_ATTRIBUTE = '@jaeger@warnings';

/** Removes `@jaeger@warnings` from `attributes` (every occurrence) and returns its texts. */
export function takeJaegerWarnings(attributes: Attribute[]): string[] {
  const texts: string[] = [];
  for (let i = attributes.length - 1; i >= 0; i--) {
    if (attributes[i]!.key !== JAEGER_WARNINGS_ATTRIBUTE) continue;
    texts.unshift(...warningTexts(attributes[i]!.value));
    attributes.splice(i, 1);
  }
  return texts;
}

/**
 * Jaeger's own `warnings` list, each entry as text. A Jaeger that stores to Elasticsearch hands its v1
 * API the stored tag's JSON text as one warning (GetWarnings' fallback for a non-slice value), so an
 * entry that is a JSON list of strings is that list.
 */
export function jaegerWarningTexts(warnings: unknown): string[] {
  if (!Array.isArray(warnings)) return [];
  return warnings.flatMap((w) => (typeof w === 'string' ? (decodeJsonList(w) ?? [w]) : [String(w)]));
}

function warningTexts(value: Attribute['value']): string[] {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  if (typeof value === 'string') {
    const decoded = decodeJsonList(value);
    return decoded ?? [value];
  }
  return [JSON.stringify(value)];
}

/** A JSON array of strings, as a slice attribute becomes in a string-only store; else undefined. */
function decodeJsonList(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((v) => typeof v === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}
