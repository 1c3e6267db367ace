/**
 * Which copy of a span keeps which field: the per-field merge rule of dedupe.ts. Each wire format is
 * known to lose certain fields (README, "How merging works", has the same table in prose); when copies
 * of one span disagree, the value comes from the copy whose format holds that field best, and a
 * disagreement that the weaker format's known loss explains is not reported as a conflict.
 *
 *   field         exact (2)                          lossy (1)                            absent (0)
 *   name/service  OTLP, Jaeger JSON, ES-Jaeger       Zipkin v2, ES-Zipkin: lower-cased
 *   kind          OTLP, Jaeger JSON, ES-Jaeger       Zipkin: no INTERNAL (absent kind)
 *   parent        OTLP, Zipkin v2, ES-Zipkin         Jaeger JSON, ES-Jaeger: a link to a span of
 *                                                    the same trace reads as a FOLLOWS_FROM parent
 *   status        OTLP, Jaeger JSON, ES-Jaeger       Zipkin: no OK (only error or not)
 *   attributes    OTLP                               Jaeger JSON, ES-Jaeger: arrays and maps as     Zipkin: text only
 *                                                    JSON text, empty bytes
 *   resource      OTLP                               Jaeger JSON, ES-Jaeger (as attributes)         Zipkin: none
 *   events        OTLP                               Jaeger JSON, ES-Jaeger (as attributes)         Zipkin: attributes
 *                                                                                                  folded into the text
 *   links         OTLP                               Jaeger JSON, ES-Jaeger: no attributes          Zipkin: none
 *
 * `canonical` (in-process data) is exact everywhere. Start time and duration are exact in every format.
 */
import type { SpanKind, SpanStatus, WireFormat } from '../model/index.js';

export type MergedField = 'name' | 'service' | 'kind' | 'parent' | 'status' | 'attributes' | 'resource' | 'events' | 'links';

type Fidelity = 0 | 1 | 2;

const ZIPKIN_LIKE: readonly WireFormat[] = ['zipkin-v2', 'es-zipkin'];
const JAEGER_V1_LIKE: readonly WireFormat[] = ['jaeger-json', 'es-jaeger'];

export const FIELD_FIDELITY: Readonly<Record<MergedField, Readonly<Record<WireFormat, Fidelity>>>> = {
  name: { 'otlp-json': 2, 'jaeger-json': 2, 'es-jaeger': 2, 'zipkin-v2': 1, 'es-zipkin': 1, canonical: 2 },
  service: { 'otlp-json': 2, 'jaeger-json': 2, 'es-jaeger': 2, 'zipkin-v2': 1, 'es-zipkin': 1, canonical: 2 },
  kind: { 'otlp-json': 2, 'jaeger-json': 2, 'es-jaeger': 2, 'zipkin-v2': 1, 'es-zipkin': 1, canonical: 2 },
  parent: { 'otlp-json': 2, 'jaeger-json': 1, 'es-jaeger': 1, 'zipkin-v2': 2, 'es-zipkin': 2, canonical: 2 },
  status: { 'otlp-json': 2, 'jaeger-json': 2, 'es-jaeger': 2, 'zipkin-v2': 1, 'es-zipkin': 1, canonical: 2 },
  attributes: { 'otlp-json': 2, 'jaeger-json': 1, 'es-jaeger': 1, 'zipkin-v2': 0, 'es-zipkin': 0, canonical: 2 },
  resource: { 'otlp-json': 2, 'jaeger-json': 1, 'es-jaeger': 1, 'zipkin-v2': 0, 'es-zipkin': 0, canonical: 2 },
  events: { 'otlp-json': 2, 'jaeger-json': 1, 'es-jaeger': 1, 'zipkin-v2': 0, 'es-zipkin': 0, canonical: 2 },
  links: { 'otlp-json': 2, 'jaeger-json': 1, 'es-jaeger': 1, 'zipkin-v2': 0, 'es-zipkin': 0, canonical: 2 },
};

export function fidelity(field: MergedField, format: WireFormat): Fidelity {
  return FIELD_FIDELITY[field][format];
}

export function isZipkinLike(format: WireFormat): boolean {
  return ZIPKIN_LIKE.includes(format);
}

export function isJaegerV1Like(format: WireFormat): boolean {
  return JAEGER_V1_LIKE.includes(format);
}

/** A name or service as the weaker format would have written the exact value. */
export function isExplainedText(lossyFormat: WireFormat, lossy: string, exact: string): boolean {
  return lossy === exact || (isZipkinLike(lossyFormat) && lossy === exact.toLowerCase());
}

/** Zipkin has no INTERNAL kind: such a span arrives without kind. */
export function isExplainedKind(lossyFormat: WireFormat, lossy: SpanKind, exact: SpanKind): boolean {
  return lossy === exact || (isZipkinLike(lossyFormat) && lossy === 'UNSPECIFIED' && exact === 'INTERNAL');
}

/** Zipkin tells only "error" or "not": an OTel OK arrives as no status. */
export function isExplainedStatus(lossyFormat: WireFormat, lossy: SpanStatus, exact: SpanStatus): boolean {
  if (lossy.code === exact.code) return lossy.code === 'UNSET' || lossy.message === exact.message || isZipkinLike(lossyFormat);
  return isZipkinLike(lossyFormat) && lossy.code === 'UNSET' && exact.code === 'OK';
}

/**
 * Jaeger's v1 model has no links: OTel's translator writes a link as a FOLLOWS_FROM reference, which
 * Jaeger (model.Span.ParentSpanID) and our reader take as the parent when there is no CHILD_OF. So a
 * v1 parent that the exact copy holds as a link is that loss, not a conflict.
 */
export function isExplainedParent(lossyFormat: WireFormat, lossy: string | null, exact: string | null, exactLinkSpanIds: readonly string[]): boolean {
  if (lossy === exact) return true;
  return isJaegerV1Like(lossyFormat) && lossy !== null && exactLinkSpanIds.includes(lossy);
}
