/**
 * A trace with a span that ends 3 ms before it starts. Jaeger v2's storage exporter runs its span
 * sanitizers on everything it stores (jaegertracing/jaeger v2.13.0
 * `cmd/jaeger/internal/exporters/storageexporter/exporter.go` → `internal/jptrace/sanitizer/`); the
 * negative-duration sanitizer gives the span an end 1 ns after its start and adds the warning
 * "Negative duration detected, sanitizing end timestamp. …" in the span attribute `@jaeger@warnings`.
 * Used by test/integration/exactness/jaeger-warnings.int.test.ts and, recorded, by
 * test/formats/recorded-exactness.test.ts.
 */
import type { OtlpTracesData } from '../../../src/formats/otlp-json/wire.js';
import { nanos } from '../otlp-post.js';

export const WARNED = {
  trace: 'e7ac0000000000000000000000000c01',
  root: '00000000000c0101',
  /** Ends 3 ms before it starts. */
  backwards: '00000000000c0102',
} as const;

/** The trace, its root starting at `baseUs`. */
export function sanitizerWarnedTrace(baseUs: number): OtlpTracesData {
  const at = (offsetUs: number) => nanos(baseUs + offsetUs);
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'exact-warnings' } }] },
        scopeSpans: [
          {
            spans: [
              { traceId: WARNED.trace, spanId: WARNED.root, name: 'GET /report', kind: 2, startTimeUnixNano: at(0), endTimeUnixNano: at(50_000) },
              {
                traceId: WARNED.trace,
                spanId: WARNED.backwards,
                parentSpanId: WARNED.root,
                name: 'render',
                kind: 1,
                startTimeUnixNano: at(10_000),
                endTimeUnixNano: at(7_000),
              },
            ],
          },
        ],
      },
    ],
  };
}
