/**
 * Reads a trace file a user exported from another tool and maps it to canonical spans for the memory
 * backend. Owns format detection only; the mapping itself is each format's `to-model.ts`.
 *
 * Recognised shapes (what each tool actually writes):
 * - Jaeger v1 JSON: the UI's "Download Results" and the API's answer, `{"data":[trace,…]}` (also
 *   `{"data":trace}`, which the UI's file loader accepts); a bare trace `{"traceID","spans","processes"}`;
 *   an array of traces. See jaegertracing/jaeger-ui `SearchTracePage/SearchResults/DownloadResults.tsx`
 *   and `SearchTracePage/FileLoader.tsx`.
 * - Zipkin v2 JSON: an array of spans (`/api/v2/trace/{id}`, the lens "download JSON"), an array of
 *   arrays of spans (`/api/v2/traces`), or a single span object (Zipkin's own benchmark files).
 * - OTLP/JSON: `{"resourceSpans":[…]}`, JSON lines of those (what the Collector's file exporter
 *   writes), an array of them, or Jaeger api_v3's `{"result":{"resourceSpans":…}}`.
 *
 * Files are parsed with ../../formats/shared/exact-json.ts, so an int64 beyond ±2^53 that Jaeger (or a lax OTLP
 * writer) wrote as a JSON number keeps every digit.
 *
 * Anything else, and text that is not JSON, throws ImportFormatError saying what was expected and
 * what arrived. Odd data inside a recognised file never throws: it becomes span warnings, or entries
 * in `warnings` for what belongs to no span (a skipped span, a Jaeger trace-level warning).
 */
import type { Span } from '../../model/index.js';
import { mapJaegerTrace, type JaegerTrace } from '../../formats/jaeger-json/index.js';
import { mapOtlpTraces, type OtlpTracesData } from '../../formats/otlp-json/index.js';
import { isRecord, parseJsonExact, stringifyJsonExact } from '../../formats/shared/index.js';
import { mapZipkinSpans, type ZipkinSpan } from '../../formats/zipkin-v2/index.js';

export type TraceFileFormat = 'jaeger' | 'zipkin' | 'otlp';

export interface ParsedTraceFile {
  format: TraceFileFormat;
  spans: Span[];
  /** Problems that belong to no single span. */
  warnings: string[];
}

/** The file is not JSON, or not a trace format Tracegate reads. */
export class ImportFormatError extends Error {
  constructor(
    message: string,
    /** A short description of what the file held. */
    readonly received: string,
  ) {
    super(message);
    this.name = 'ImportFormatError';
  }
}

const EXPECTED =
  'Jaeger JSON ({"data":[trace…]} or a trace with "spans"), Zipkin v2 JSON (an array of spans or of traces) or OTLP/JSON ({"resourceSpans":…}, one per line allowed)';

/** Detects the format of `text` and maps it; every span carries `sources: [source]`. */
export function parseTraceFile(text: string, source: string): ParsedTraceFile {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new ImportFormatError(`the file is empty; expected ${EXPECTED}`, 'nothing');
  let parsed: unknown;
  try {
    parsed = parseJsonExact(trimmed);
  } catch (error) {
    const lines = parseJsonLines(trimmed);
    if (lines !== undefined) return fromOtlpDocuments(lines, source, 'line');
    throw new ImportFormatError(`the file is not valid JSON (${(error as Error).message}); expected ${EXPECTED}`, 'text that is not JSON');
  }
  return fromJson(parsed, source);
}

function fromJson(value: unknown, source: string): ParsedTraceFile {
  if (Array.isArray(value)) return fromArray(value, source);
  if (!isRecord(value)) return unrecognised(value);

  if ('resourceSpans' in value) return fromOtlpDocuments([value], source, 'document');
  if (isRecord(value.result) && 'resourceSpans' in value.result) return fromOtlpDocuments([value.result], source, 'document');
  if ('data' in value) {
    const { data } = value;
    if (Array.isArray(data)) return fromJaegerTraces(data, source, 'data');
    if (isRecord(data)) return fromJaegerTraces([data], source, 'data');
    const reason = jaegerErrorText(value.errors);
    throw new ImportFormatError(
      reason === undefined
        ? `"data" holds ${describeShape(data)}, not Jaeger traces; expected ${EXPECTED}`
        : `the file is a Jaeger error response (${reason}), not traces`,
      reason === undefined ? describeShape(data) : 'a Jaeger error response',
    );
  }
  if (Array.isArray(value.spans)) return fromJaegerTraces([value], source, 'file');
  if (isZipkinSpan(value)) return fromZipkinSpans([value], source);
  if (isRecord(value.error) && typeof value.error.message === 'string') {
    throw new ImportFormatError(`the file is a Jaeger api_v3 error response (${value.error.message}), not traces`, 'a Jaeger api_v3 error response');
  }
  return unrecognised(value);
}

function fromArray(items: unknown[], source: string): ParsedTraceFile {
  if (items.length === 0) return { format: 'zipkin', spans: [], warnings: ['the file holds no spans'] };
  const first = items[0];
  if (Array.isArray(first)) {
    // /api/v2/traces: a list of traces, each a list of spans.
    items.forEach((trace, i) => {
      if (!Array.isArray(trace)) mismatch(`element ${i}`, 'a Zipkin trace (an array of spans)', trace);
      for (const [j, span] of trace.entries()) checkZipkinSpan(span, `span ${j} of trace ${i}`);
    });
    return fromZipkinSpans((items as unknown[][]).flat() as ZipkinSpan[], source);
  }
  if (isRecord(first) && 'resourceSpans' in first) return fromOtlpDocuments(items, source, 'element');
  if (isRecord(first) && Array.isArray(first.spans)) return fromJaegerTraces(items, source, 'element');
  if (isRecord(first) && ('traceId' in first || 'binaryAnnotations' in first)) {
    for (const [i, span] of items.entries()) checkZipkinSpan(span, `element ${i}`);
    return fromZipkinSpans(items as ZipkinSpan[], source);
  }
  return mismatch('element 0', 'a Zipkin span, a Jaeger trace or an OTLP document', first);
}

function fromJaegerTraces(traces: unknown[], source: string, where: string): ParsedTraceFile {
  const spans: Span[] = [];
  const warnings: string[] = [];
  traces.forEach((trace, i) => {
    if (!isRecord(trace) || !Array.isArray(trace.spans))
      mismatch(`${where === 'file' ? 'the file' : `trace ${i} of ${where}`}`, 'a Jaeger trace (an object with a "spans" array)', trace);
    const mapped = mapJaegerTrace(trace as JaegerTrace, source);
    spans.push(...mapped.spans);
    const rawId = (trace as JaegerTrace).traceID;
    const label = mapped.traceId ?? (typeof rawId === 'string' ? `'${rawId}'` : `#${i + 1}`);
    warnings.push(...mapped.warnings.map((w) => `trace ${label}: ${w}`));
  });
  return finish('jaeger', spans, warnings);
}

function fromZipkinSpans(items: ZipkinSpan[], source: string): ParsedTraceFile {
  const mapped = mapZipkinSpans(items, source);
  return finish('zipkin', mapped.spans, mapped.warnings);
}

function fromOtlpDocuments(documents: unknown[], source: string, unit: 'line' | 'element' | 'document'): ParsedTraceFile {
  const spans: Span[] = [];
  const warnings: string[] = [];
  documents.forEach((doc, i) => {
    if (!isRecord(doc) || !Array.isArray(doc.resourceSpans))
      mismatch(unit === 'document' ? 'the file' : `${unit} ${i + 1}`, 'an OTLP document ({"resourceSpans":[…]})', doc);
    const mapped = mapOtlpTraces(doc as OtlpTracesData, source);
    spans.push(...mapped.spans);
    warnings.push(...mapped.warnings.map((w) => (documents.length > 1 ? `${unit} ${i + 1}: ${w}` : w)));
  });
  return finish('otlp', spans, warnings);
}

function finish(format: TraceFileFormat, spans: Span[], warnings: string[]): ParsedTraceFile {
  if (spans.length === 0) warnings.push('the file holds no spans');
  return { format, spans, warnings };
}

/** Every non-blank line parsed, if there are several and each is JSON; otherwise undefined. */
function parseJsonLines(text: string): unknown[] | undefined {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 2) return undefined;
  const documents: unknown[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      documents.push(parseJsonExact(line));
    } catch (error) {
      // Only say "line N" when the earlier lines did parse, i.e. it really looks like JSON lines.
      if (i === 0) return undefined;
      throw new ImportFormatError(
        `line ${i + 1} is not valid JSON (${(error as Error).message}); expected one OTLP document per line`,
        'JSON lines with a bad line',
      );
    }
  }
  return documents;
}

function checkZipkinSpan(value: unknown, where: string): void {
  if (isRecord(value) && 'binaryAnnotations' in value) {
    throw new ImportFormatError(
      `${where} is a Zipkin v1 span (it has "binaryAnnotations"); only Zipkin v2 JSON is read (GET /api/v2/trace/{id})`,
      'Zipkin v1 JSON',
    );
  }
  if (!isZipkinSpan(value)) mismatch(where, 'a Zipkin v2 span (an object with "traceId" and "id")', value);
}

function isZipkinSpan(value: unknown): value is ZipkinSpan {
  return isRecord(value) && typeof value.traceId === 'string' && typeof value.id === 'string';
}

function jaegerErrorText(errors: unknown): string | undefined {
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors.map((e) => (isRecord(e) && typeof e.msg === 'string' ? e.msg : stringifyJsonExact(e))).join('; ');
}

function unrecognised(value: unknown): never {
  const received = describeShape(value);
  throw new ImportFormatError(`unrecognised trace file: expected ${EXPECTED}, got ${received}`, received);
}

function mismatch(where: string, expected: string, value: unknown): never {
  const received = describeShape(value);
  throw new ImportFormatError(`${where} is not ${expected}; got ${received}`, received);
}

/** "an object with keys a, b", "an array of 3 items", "the number 4". */
function describeShape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 6).join(', ');
    return `an object with keys ${shown}${keys.length > 6 ? ', …' : ''}`;
  }
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return `the ${typeof value} ${String(value)}`;
}
