/**
 * Trace and span identifiers: the only module that parses or normalises them.
 *
 * Backends disagree on how a trace id is written: Jaeger's v1 JSON prints 16 hex digits when the high
 * 64 bits are zero, Zipkin stores 64-bit ids as 16 hex, api_v3 and Jaeger's ES documents always use 32,
 * and users paste ids in upper case or without leading zeros. Every other module takes the branded
 * `TraceId` / `SpanId` produced here, so "the same trace" means the same string everywhere.
 */

declare const traceIdBrand: unique symbol;
declare const spanIdBrand: unique symbol;

/** 32 lowercase hex characters; 64-bit ids are left-padded with zeros. */
export type TraceId = string & { readonly [traceIdBrand]: true };
/** 16 lowercase hex characters. */
export type SpanId = string & { readonly [spanIdBrand]: true };

const HEX = /^[0-9a-fA-F]+$/;
/**
 * Whether `raw` is already an id in canonical form (`length` lowercase hex digits), as most backends
 * write them: then there is no trimming, casing or padding to do. A loop, not a regular expression:
 * readers call this for every span and reference, and it is several times faster.
 */
function isCanonical(raw: string, length: number): boolean {
  if (raw.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = raw.charCodeAt(i);
    // 0-9 or a-f
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export class InvalidIdError extends Error {
  constructor(
    message: string,
    readonly received: string,
  ) {
    super(message);
    this.name = 'InvalidIdError';
  }
}

/** How much of a rejected id is echoed back: enough to recognise it, never a caller's 100 KB. */
const MAX_ECHO_CHARS = 40;

function describe(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : String(raw);
  return text.length > MAX_ECHO_CHARS ? `${text.slice(0, MAX_ECHO_CHARS)}…` : text;
}

/** The longest trace id: 128 bits. Shorter ones are left-padded (schema.graphql says the same). */
export const TRACE_ID_HEX_CHARS = 32;
/** The longest span id: 64 bits. */
export const SPAN_ID_HEX_CHARS = 16;

/**
 * Parses a user- or wire-supplied trace id. Accepts 1–32 hex digits in any case and left-pads them
 * with zeros, as Jaeger's and Zipkin's own APIs do (so a 64-bit id is 16 digits, and a pasted id
 * that lost its leading zeros still finds its trace), and rejects everything else, including the
 * all-zero id, which W3C and OTLP define as invalid. schema.graphql documents exactly this range.
 */
export function parseTraceId(raw: string): TraceId {
  const trimmed = typeof raw === 'string' ? raw.trim() : '';
  if (trimmed.length === 0 || trimmed.length > TRACE_ID_HEX_CHARS || !HEX.test(trimmed)) {
    throw new InvalidIdError(`traceId must be 1 to ${TRACE_ID_HEX_CHARS} hex characters, got '${describe(raw)}'`, describe(raw));
  }
  const id = trimmed.toLowerCase().padStart(TRACE_ID_HEX_CHARS, '0');
  if (id === ZERO_TRACE) {
    throw new InvalidIdError(`traceId must not be all zeros, got '${describe(raw)}'`, describe(raw));
  }
  return id as TraceId;
}

/** Like parseTraceId but returns undefined instead of throwing: for wire data, where odd ids become warnings. */
export function tryParseTraceId(raw: unknown): TraceId | undefined {
  if (typeof raw !== 'string') return undefined;
  // Readers call this for every span; the canonical form needs no work and no exception path.
  if (isCanonical(raw, TRACE_ID_HEX_CHARS) && raw !== ZERO_TRACE) return raw as TraceId;
  try {
    return parseTraceId(raw);
  } catch {
    return undefined;
  }
}

export function parseSpanId(raw: string): SpanId {
  const trimmed = typeof raw === 'string' ? raw.trim() : '';
  if (trimmed.length === 0 || trimmed.length > SPAN_ID_HEX_CHARS || !HEX.test(trimmed)) {
    throw new InvalidIdError(`spanId must be 1 to ${SPAN_ID_HEX_CHARS} hex characters, got '${describe(raw)}'`, describe(raw));
  }
  const id = trimmed.toLowerCase().padStart(SPAN_ID_HEX_CHARS, '0');
  if (id === ZERO_SPAN) {
    throw new InvalidIdError(`spanId must not be all zeros, got '${describe(raw)}'`, describe(raw));
  }
  return id as SpanId;
}

export function tryParseSpanId(raw: unknown): SpanId | undefined {
  if (typeof raw !== 'string') return undefined;
  if (isCanonical(raw, SPAN_ID_HEX_CHARS) && raw !== ZERO_SPAN) return raw as SpanId;
  try {
    return parseSpanId(raw);
  } catch {
    return undefined;
  }
}

/** True when the high 64 bits are zero, i.e. the id could have come from a 64-bit tracer. */
export function isShortTraceId(id: TraceId): boolean {
  return id.startsWith('0000000000000000');
}

/** The low 64 bits as 16 hex digits: what Zipkin and B3 propagate from a 64-bit tracer. */
export function lowHalf(id: TraceId): string {
  return id.slice(16);
}

/** The shortest form a backend may have stored: 16 hex when the high half is zero, otherwise 32. */
export function compactTraceId(id: TraceId): string {
  return isShortTraceId(id) ? lowHalf(id) : id;
}

/**
 * Lenient matching: a 64-bit id `0…0<low>` also matches any 128-bit trace whose low half is `<low>`.
 * Off by default (strict), like Zipkin's STRICT_TRACE_ID=true.
 */
export function traceIdsMatch(a: TraceId, b: TraceId, lenient: boolean): boolean {
  if (a === b) return true;
  if (!lenient) return false;
  return (isShortTraceId(a) || isShortTraceId(b)) && lowHalf(a) === lowHalf(b);
}

/** Converts base64 ids (OTLP protobuf-JSON from some SDKs) into hex; returns undefined if not 8/16 bytes. */
export function base64IdToHex(raw: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) return undefined;
  const bytes = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== 8 && bytes.length !== 16) return undefined;
  return bytes.toString('hex');
}
