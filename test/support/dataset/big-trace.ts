/**
 * A deterministic trace of any size, for what the integration dataset is too small to show: a trace
 * larger than Elasticsearch's 10,000-hit result window, benchmark traces of 100 to 100,000 spans.
 * A tree of fan-out `fanOut`, spans spread over `services`, each child inside its parent's time.
 */
import { intAttr, newSpan, parseSpanId, stringAttr, type Span, type TraceId } from '../../../src/model/index.js';

export interface BigTraceOptions {
  traceId: TraceId;
  spanCount: number;
  baseUs: number;
  services?: readonly string[];
  fanOut?: number;
}

export function bigTrace({
  traceId,
  spanCount,
  baseUs,
  services = ['batch-api', 'batch-worker', 'batch-store'],
  fanOut = 10,
}: BigTraceOptions): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < spanCount; i++) {
    const parent = i === 0 ? null : spans[Math.floor((i - 1) / fanOut)]!;
    const depth = parent === null ? 0 : Math.floor(Math.log(i) / Math.log(fanOut)) + 1;
    const startTimeUs = parent === null ? baseUs : parent.startTimeUs + 1 + ((i - 1) % fanOut);
    const durationUs = parent === null ? 10_000_000 : Math.max(1, Math.floor(parent.durationUs / (fanOut + 1)));
    spans.push(
      newSpan({
        traceId,
        spanId: parseSpanId((i + 1).toString(16).padStart(16, '0')),
        parentSpanId: parent?.spanId ?? null,
        name: `step-${depth}`,
        kind: i === 0 ? 'SERVER' : 'INTERNAL',
        service: services[i % services.length]!,
        startTimeUs,
        durationUs,
        attributes: [intAttr('item.index', i), stringAttr('batch.id', 'b-7')],
      }),
    );
  }
  return spans;
}

/** Splits spans into chunks, so a collector receives requests of a sane size. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
