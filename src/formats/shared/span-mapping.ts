/**
 * What every reader returns: the spans it could map, and the problems that belong to no span (a span
 * skipped for an invalid trace or span id, a trace-level warning of the wire format). Problems inside
 * a span are that span's `warnings`. Backends hand both on (backends/backend.ts, getTraces), so a
 * trace shows what was skipped while reading it.
 */
import type { Span } from '../../model/index.js';

export interface SpanMapping {
  spans: Span[];
  warnings: string[];
}
