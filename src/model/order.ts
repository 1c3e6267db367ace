/**
 * How Tracegate orders what it lists, in one place so every backend and the federation agree and
 * paging is stable: text by UTF-16 code unit (never the locale, which differs between hosts), traces
 * newest first with ties broken by id, operations by name then kind.
 */
import type { TraceSummary } from './trace.js';

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest trace start first; equal starts by trace id. */
export function compareNewestFirst(a: Pick<TraceSummary, 'startTimeUs' | 'traceId'>, b: Pick<TraceSummary, 'startTimeUs' | 'traceId'>): number {
  return b.startTimeUs - a.startTimeUs || compareText(a.traceId, b.traceId);
}

/** By name, then span kind. */
export function compareOperations(a: { name: string; spanKind: string }, b: { name: string; spanKind: string }): number {
  return compareText(a.name, b.name) || compareText(a.spanKind, b.spanKind);
}
