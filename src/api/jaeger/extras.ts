/**
 * The rest of what Jaeger UI calls on Jaeger's query API v1 (jaeger v1.76 `cmd/query/app/http_handler.go`
 * RegisterRoutes), answered as the real query service answers them, so the UI's pages work or fail the
 * way they do against a Jaeger without those stores:
 * - `POST /api/transform`: an OTLP/JSON upload (the UI's "Upload" of a JSON file) rendered as v1 traces,
 *   one per trace id in order of first appearance, without adjusters and without backend calls; a body
 *   that is not JSON is 400 `cannot unmarshal OTLP : …`, like Jaeger. As Jaeger shows an upload: a
 *   resource without `service.name` is the service `OTLPResourceNoServiceName` (OTel's translator), and
 *   Tracegate's mapping warnings are not added (the real query service has none to show).
 * - `POST /api/archive/{id}`: Tracegate has no archive store; 500 `archive span storage was not
 *   configured`, Jaeger's answer when none is configured.
 * - `GET /api/metrics/*` (the Monitor tab): 501 `metrics querying is currently disabled`, Jaeger's answer
 *   without a metrics store, which the UI shows as "not configured".
 */
import type { FastifyInstance } from 'fastify';
import { traceToJaeger } from '../../formats/jaeger-json/from-model.js';
import { mapOtlpTraces } from '../../formats/otlp-json/index.js';
import type { OtlpTracesData } from '../../formats/otlp-json/wire.js';
import { compactTraceId, type Span } from '../../model/index.js';

/** What OTel's translator (pdata → Jaeger proto) names a resource without `service.name`. */
const JAEGER_NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

const envelope = (data: unknown, errors: Array<{ code: number; msg: string }> | null) => ({ data, total: 0, limit: 0, offset: 0, errors });

/** Spans grouped by trace id, traces and spans in input order (Jaeger's otlp2traces). */
function groupByTrace(spans: readonly Span[]): Span[][] {
  const traces = new Map<string, Span[]>();
  for (const span of spans) {
    const key = compactTraceId(span.traceId);
    const list = traces.get(key);
    if (list) list.push(span);
    else traces.set(key, [span]);
  }
  return [...traces.values()];
}

function asJaegerShowsUploads(span: Span): Span {
  const unnamed = span.warnings.some((w) => w.startsWith('resource has no service.name'));
  return { ...span, service: unnamed ? JAEGER_NO_SERVICE_NAME : span.service, warnings: [] };
}

export function registerJaegerExtras(app: FastifyInstance, mountPrefix = ''): void {
  const api = `${mountPrefix}/api`;

  // The body arrives as text whatever its content type (the UI posts a file's bytes): parse it here so
  // a bad upload is Jaeger's 400 envelope, not Fastify's error.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(`${api}/transform`, async (request, reply) => {
      let doc: OtlpTracesData;
      try {
        doc = JSON.parse(String(request.body ?? '')) as OtlpTracesData;
      } catch (error) {
        return reply.code(400).send(envelope(null, [{ code: 400, msg: `cannot unmarshal OTLP : ${(error as Error).message}` }]));
      }
      const spans = mapOtlpTraces(doc, 'upload').spans.map(asJaegerShowsUploads);
      const traces = groupByTrace(spans).map((traceSpans) => traceToJaeger({ traceId: traceSpans[0]!.traceId, spans: traceSpans, warnings: [] }));
      return reply.send(envelope(traces, null));
    });
  });

  app.post(`${api}/archive/:id`, async (_request, reply) =>
    reply.code(500).send(envelope(null, [{ code: 500, msg: 'archive span storage was not configured' }])),
  );
  app.get(`${api}/metrics/*`, async (_request, reply) =>
    reply.code(501).send(envelope(null, [{ code: 501, msg: 'metrics querying is currently disabled' }])),
  );
}
