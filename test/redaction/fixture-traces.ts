/**
 * Every trace of the recorded and public wire fixtures (Jaeger v1, Zipkin v2, OTLP/JSON, the int64
 * files), read by the format's own to-model.ts and merged as the gateway merges them: the real data
 * redaction is tested on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mergeTrace } from '../../src/federation/index.js';
import { mapJaegerTrace } from '../../src/formats/jaeger-json/to-model.js';
import type { JaegerTrace } from '../../src/formats/jaeger-json/wire.js';
import { otlpToSpans } from '../../src/formats/otlp-json/to-model.js';
import type { OtlpTracesData } from '../../src/formats/otlp-json/wire.js';
import { parseJsonExact } from '../../src/formats/shared/index.js';
import { zipkinSpansToSpans } from '../../src/formats/zipkin-v2/to-model.js';
import type { ZipkinSpan } from '../../src/formats/zipkin-v2/wire.js';
import { groupSpansByTrace, type MergedTrace, type Span } from '../../src/model/index.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);

function isZipkinSpanList(json: unknown): json is ZipkinSpan[] {
  return Array.isArray(json) && json.length > 0 && json.every((s) => typeof s === 'object' && s !== null && 'traceId' in s && 'id' in s);
}

/** The spans of one fixture file, or [] when it is in none of the formats read here. */
function spansOfText(text: string): Span[] {
  const json = parseJsonExact(text) as Record<string, unknown> | unknown[] | null;
  if (json === null || typeof json !== 'object') return [];
  if (isZipkinSpanList(json)) return zipkinSpansToSpans(json, 'zipkin');
  if (Array.isArray(json)) return json.every(isZipkinSpanList) ? json.flatMap((trace) => zipkinSpansToSpans(trace, 'zipkin')) : [];
  if ('traceId' in json && 'id' in json) return zipkinSpansToSpans([json as unknown as ZipkinSpan], 'zipkin');
  const data = (json.result ?? json) as { resourceSpans?: unknown };
  if (Array.isArray(data.resourceSpans)) return otlpToSpans(data as OtlpTracesData, 'otlp');
  if (Array.isArray(json.spans)) return mapJaegerTrace(json as unknown as JaegerTrace, 'jaeger').spans;
  if (Array.isArray(json.data) && json.data.every((t) => typeof t === 'object' && t !== null && 'spans' in t)) {
    return (json.data as JaegerTrace[]).flatMap((trace) => mapJaegerTrace(trace, 'jaeger').spans);
  }
  return [];
}

export function fixtureTraces(): Array<{ name: string; trace: MergedTrace }> {
  const out: Array<{ name: string; trace: MergedTrace }> = [];
  const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    if (!file.endsWith('.json') || file.endsWith('.expected.json') || file.endsWith('.api.json') || file.startsWith('elasticsearch/')) continue;
    const spans = spansOfText(readFileSync(new URL(file, FIXTURES), 'utf8'));
    for (const [traceId, group] of groupSpansByTrace(spans)) {
      const trace = mergeTrace(traceId, [group], { lenientTraceIds: false, raw: false, clockSkew: 'provable', maxClockSkewUs: 600_000_000 });
      out.push({ name: `${file} ${traceId}`, trace });
    }
  }
  return out;
}
