/**
 * When two copies of one span each hold an event, are they the same event? Same time (µs) and the
 * same name once each format's way of writing the name is undone: OTel's Zipkin exporters fold an
 * event's attributes into the annotation text as `name|{attributes as JSON}|dropped count`
 * (opentelemetry-collector-contrib `pkg/translator/zipkin/zipkinv2/from_translator.go`,
 * SpanEventDataFormat), so `retry|{"attempt":2}|0` from Zipkin is the event `retry` of the OTLP copy.
 */
import type { SpanEvent, WireFormat } from '../model/index.js';
import { isZipkinLike } from './field-fidelity.js';

const FOLDED_ANNOTATION = /^([^|]*)\|(\{.*\})\|\d+$/s;

/** The event name a Zipkin annotation stands for. */
export function annotationEventName(text: string): string {
  const match = FOLDED_ANNOTATION.exec(text);
  if (match === null) return text;
  try {
    JSON.parse(match[2]!);
    return match[1]!;
  } catch {
    return text;
  }
}

export function eventIdentity(event: SpanEvent, format: WireFormat): string {
  const name = isZipkinLike(format) ? annotationEventName(event.name) : event.name;
  return `${event.timeUs}\u0000${name}`;
}
