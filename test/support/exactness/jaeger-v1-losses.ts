/**
 * Three traces for what Jaeger's v1 JSON cannot carry, sent as OTLP/JSON to a real Jaeger: ZOO holds
 * every attribute type the v1 model loses (an array, a map, empty bytes), events without a name and a
 * link with attributes; NAN holds one double that is NaN (OTLP/JSON `"doubleValue": "NaN"`), which makes
 * Jaeger's v1 API answer HTTP 500; PLAIN holds nothing special (the link's target, and the other member
 * of a batch). Used by test/integration/exactness/jaeger-batch.int.test.ts and, recorded, by
 * test/formats/recorded-exactness.test.ts (scripts/record-exactness-fixtures.ts).
 */
import type { OtlpTracesData } from '../../../src/formats/otlp-json/wire.js';
import { nanos, otlpString } from '../otlp-post.js';

export const ZOO = { trace: 'e7ac0000000000000000000000000a01', root: '00000000000a0101', child: '00000000000a0102' } as const;
export const NAN = { trace: 'e7ac0000000000000000000000000a02', span: '00000000000a0201' } as const;
export const PLAIN = { trace: 'e7ac0000000000000000000000000a03', span: '00000000000a0301' } as const;

/** The three traces, ZOO's root starting at `baseUs`. */
export function jaegerV1LossTraces(baseUs: number): OtlpTracesData {
  const resource = { attributes: [otlpString('service.name', 'exact-zoo'), otlpString('host.name', 'zoo-1')] };
  const at = (offsetUs: number) => nanos(baseUs + offsetUs);
  return {
    resourceSpans: [
      {
        resource,
        scopeSpans: [
          {
            scope: { name: 'exactness', version: '1.0.0' },
            spans: [
              {
                traceId: ZOO.trace,
                spanId: ZOO.root,
                name: 'GET /zoo',
                kind: 2,
                startTimeUnixNano: at(0),
                endTimeUnixNano: at(50_000),
                attributes: [
                  {
                    key: 'zoo.array',
                    value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '7' }, { boolValue: true }, { doubleValue: 1.5 }] } },
                  },
                  {
                    key: 'zoo.map',
                    value: {
                      kvlistValue: {
                        values: [
                          otlpString('k', 'v'),
                          { key: 'n', value: { intValue: '3' } },
                          { key: 'list', value: { arrayValue: { values: [{ stringValue: 'x' }] } } },
                        ],
                      },
                    },
                  },
                  { key: 'zoo.empty_bytes', value: { bytesValue: '' } },
                  otlpString('zoo.text', 'plain'),
                ],
                events: [
                  { name: '', timeUnixNano: at(1_000), attributes: [otlpString('note', 'nameless')] },
                  { name: '', timeUnixNano: at(2_000) },
                  { name: 'cache.miss', timeUnixNano: at(3_000), attributes: [{ key: 'attempt', value: { intValue: '2' } }] },
                ],
                status: { code: 1 },
              },
              {
                traceId: ZOO.trace,
                spanId: ZOO.child,
                parentSpanId: ZOO.root,
                name: 'load animals',
                kind: 3,
                startTimeUnixNano: at(5_000),
                endTimeUnixNano: at(30_000),
                attributes: [otlpString('peer.service', 'zoo-db')],
                // A link to a span of another trace: its attributes exist only in OTLP (api_v3).
                links: [
                  {
                    traceId: PLAIN.trace,
                    spanId: PLAIN.span,
                    attributes: [otlpString('link.reason', 'batched'), { key: 'link.position', value: { intValue: '4' } }],
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [otlpString('service.name', 'exact-nan')] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: NAN.trace,
                spanId: NAN.span,
                name: 'compute ratio',
                kind: 1,
                startTimeUnixNano: at(100_000),
                endTimeUnixNano: at(120_000),
                attributes: [
                  { key: 'ratio', value: { doubleValue: 'NaN' } },
                  { key: 'count', value: { intValue: '0' } },
                ],
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [otlpString('service.name', 'exact-plain')] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: PLAIN.trace,
                spanId: PLAIN.span,
                name: 'enqueue',
                kind: 4,
                startTimeUnixNano: at(200_000),
                endTimeUnixNano: at(210_000),
                attributes: [otlpString('messaging.system', 'kafka')],
              },
            ],
          },
        ],
      },
    ],
  };
}
