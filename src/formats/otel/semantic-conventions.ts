/**
 * Attribute keys readers fill for what a wire format keeps outside its attributes, named as the OTel
 * Collector's receivers and translators name them, so the same span read from two formats carries the
 * same attributes. The endpoint names are those of the Collector's Zipkin receiver (semantic
 * conventions v1.6.1) rather than today's `network.peer.address`/`server.address`: Jaeger v2 takes
 * Zipkin spans through that receiver, and dedupe folds a Zipkin copy into a Jaeger one only when both
 * read alike.
 */

/** The resource attribute that names the service. */
export const SERVICE_NAME_ATTRIBUTE = 'service.name';

/** What Zipkin keeps in its local and remote endpoints. */
export const ENDPOINT_ATTRIBUTES = {
  localIp: 'net.host.ip',
  localPort: 'net.host.port',
  remoteService: 'peer.service',
  remoteIp: 'net.peer.ip',
  remotePort: 'net.peer.port',
} as const;

/** Jaeger v1's tag for the W3C trace state; OTLP's `traceState` is kept under the same key, so both Jaeger APIs map alike. */
export const TRACE_STATE_ATTRIBUTE = 'w3c.tracestate';

/** The link attribute the OTel Collector writes for a Jaeger reference's type (`pkg/translator/jaeger`). */
export const REF_TYPE_ATTRIBUTE = 'opentracing.ref_type';
