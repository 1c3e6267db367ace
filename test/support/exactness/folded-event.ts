/**
 * One span with two events, as two exporters send it: OTLP/JSON (to a Jaeger) and Zipkin v2 JSON as
 * OpenTelemetry's Zipkin exporter writes it (opentelemetry-collector-contrib
 * `pkg/translator/zipkin/zipkinv2/from_translator.go`): every attribute as text in `tags`, the scope in
 * `otel.scope.*` tags, and an event that has attributes folded into its annotation as
 * `name|{attributes as JSON}|dropped attributes count` (an event without attributes is its bare name).
 * Merged, the two copies must hold each event once, with the OTLP copy's attributes. Recorded by
 * scripts/record-exactness-fixtures.ts for test/formats/recorded-exactness.test.ts.
 */
import type { OtlpTracesData } from '../../../src/formats/otlp-json/wire.js';
import type { ZipkinSpan } from '../../../src/formats/zipkin-v2/wire.js';
import { nanos, otlpString } from '../otlp-post.js';

export const FOLDED = { trace: 'e7ac0000000000000000000000000f01', span: '00000000000f0101', service: 'exact-folded' } as const;

/** The annotation text of the event with attributes: Go's json.Marshal of the attribute map (keys sorted). */
export const FOLDED_ANNOTATION = 'retry|{"attempt":1}|0';

/** The span as OTLP and as the Zipkin exporter writes it, starting at `baseUs` (whole µs: Zipkin keeps no less). */
export function foldedEventSpan(baseUs: number): { otlp: OtlpTracesData; zipkin: ZipkinSpan[] } {
  const otlp: OtlpTracesData = {
    resourceSpans: [
      {
        resource: { attributes: [otlpString('service.name', FOLDED.service)] },
        scopeSpans: [
          {
            scope: { name: 'exactness', version: '1.0.0' },
            spans: [
              {
                traceId: FOLDED.trace,
                spanId: FOLDED.span,
                name: 'GET /folded',
                kind: 2,
                startTimeUnixNano: nanos(baseUs),
                endTimeUnixNano: nanos(baseUs + 20_000),
                attributes: [otlpString('http.method', 'GET'), { key: 'http.status_code', value: { intValue: '200' } }],
                events: [
                  { name: 'retry', timeUnixNano: nanos(baseUs + 1_000), attributes: [{ key: 'attempt', value: { intValue: '1' } }] },
                  { name: 'cache.miss', timeUnixNano: nanos(baseUs + 5_000) },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  const zipkin: ZipkinSpan[] = [
    {
      traceId: FOLDED.trace,
      id: FOLDED.span,
      kind: 'SERVER',
      name: 'GET /folded',
      timestamp: baseUs,
      duration: 20_000,
      localEndpoint: { serviceName: FOLDED.service },
      tags: { 'http.method': 'GET', 'http.status_code': '200', 'otel.scope.name': 'exactness', 'otel.scope.version': '1.0.0' },
      annotations: [
        { timestamp: baseUs + 1_000, value: FOLDED_ANNOTATION },
        { timestamp: baseUs + 5_000, value: 'cache.miss' },
      ],
    },
  ];
  return { otlp, zipkin };
}
