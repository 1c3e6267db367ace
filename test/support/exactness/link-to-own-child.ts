/**
 * A trace whose root links to its own child (say, the attempt it retries) and logs an event without a
 * name. Jaeger's v1 model and its Elasticsearch index have no links: the collector writes the link as a
 * FOLLOWS_FROM reference, which a v1 reader takes as the parent when there is no CHILD_OF, and the
 * nameless event as a log without an `event` field. Used by
 * test/integration/exactness/jaeger-elasticsearch.int.test.ts and, recorded, by
 * test/formats/recorded-exactness.test.ts.
 */
import type { OtlpTracesData } from '../../../src/formats/otlp-json/wire.js';
import { nanos, otlpString } from '../otlp-post.js';

export const LINKED = {
  trace: 'e7ac0000000000000000000000000b01',
  root: '00000000000b0101',
  child: '00000000000b0102',
  grandchild: '00000000000b0103',
} as const;

/** The trace, its root starting at `baseUs`. */
export function linkToOwnChildTrace(baseUs: number): OtlpTracesData {
  const at = (offsetUs: number) => nanos(baseUs + offsetUs);
  return {
    resourceSpans: [
      {
        resource: { attributes: [otlpString('service.name', 'exact-links'), otlpString('host.name', 'links-1')] },
        scopeSpans: [
          {
            scope: { name: 'exactness', version: '1.0.0' },
            spans: [
              {
                traceId: LINKED.trace,
                spanId: LINKED.root,
                name: 'POST /orders',
                kind: 2,
                startTimeUnixNano: at(0),
                endTimeUnixNano: at(80_000),
                attributes: [otlpString('http.method', 'POST')],
                events: [
                  { name: '', timeUnixNano: at(1_000), attributes: [otlpString('note', 'nameless')] },
                  { name: 'retry', timeUnixNano: at(40_000) },
                ],
                // The root points at its own child (say, the attempt it retries).
                links: [{ traceId: LINKED.trace, spanId: LINKED.child, attributes: [otlpString('link.reason', 'retry-of')] }],
              },
              {
                traceId: LINKED.trace,
                spanId: LINKED.child,
                parentSpanId: LINKED.root,
                name: 'attempt 1',
                kind: 1,
                startTimeUnixNano: at(2_000),
                endTimeUnixNano: at(30_000),
              },
              {
                traceId: LINKED.trace,
                spanId: LINKED.grandchild,
                parentSpanId: LINKED.child,
                name: 'SELECT orders',
                kind: 3,
                startTimeUnixNano: at(3_000),
                endTimeUnixNano: at(20_000),
              },
            ],
          },
        ],
      },
    ],
  };
}
