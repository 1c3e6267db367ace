/**
 * Building blocks of the demo dataset: the services (with their resource attributes), and a trace
 * builder whose helpers lay spans out in time so that every child starts and ends inside its parent,
 * the way one process's clock would record them. The scenarios themselves live in scenarios.ts and checkout.ts.
 *
 * Attribute names follow the OpenTelemetry semantic conventions (HTTP, RPC, database and messaging
 * spans, `exception` events): https://opentelemetry.io/docs/specs/semconv/.
 */
import {
  boolAttr,
  doubleAttr,
  intAttr,
  newSpan,
  parseSpanId,
  stringAttr,
  type Attribute,
  type Micros,
  type Span,
  type SpanKind,
  type TraceId,
} from '../model/index.js';
import type { SeededRandom } from './seeded-random.js';

export const DEMO_SERVICES = {
  'web-frontend': { version: '3.12.0', language: 'nodejs', pods: ['7d9f8-x2kqp', '7d9f8-m4n7w', '7d9f8-q8r2t'] },
  'api-gateway': { version: '1.24.3', language: 'go', pods: ['5c6b4-hh2lz', '5c6b4-p9wfx'] },
  'auth-service': { version: '2.3.1', language: 'go', pods: ['6f7d9-kk3mv', '6f7d9-z8b4n'] },
  'catalog-service': { version: '4.0.2', language: 'java', pods: ['84c5d-a1b2c', '84c5d-d3e4f', '84c5d-g5h6i'] },
  'cart-service': { version: '1.8.0', language: 'dotnet', pods: ['9b8a7-r5t6y', '9b8a7-u7i8o'] },
  'checkout-service': { version: '2.11.4', language: 'go', pods: ['74f6e-c3v4b'] },
  'payment-service': { version: '1.5.9', language: 'nodejs', pods: ['5d4c3-n1m2q', '5d4c3-w3e4r'] },
  'inventory-service': { version: '3.2.0', language: 'java', pods: ['6a5b4-s7d8f'] },
  'shipping-service': { version: '0.9.7', language: 'rust', pods: ['8e9f0-j4k5l'] },
  'email-service': { version: '1.1.2', language: 'python', pods: ['4b3a2-y6u7i'] },
} as const;

export type DemoService = keyof typeof DEMO_SERVICES;

/** Instrumentation scope per kind of work, named like the real OTel instrumentation libraries. */
const SCOPES: Record<Instrumentation, { name: string; version: string }> = {
  http: { name: 'io.opentelemetry.http', version: '1.40.0' },
  grpc: { name: 'io.opentelemetry.grpc', version: '1.40.0' },
  postgresql: { name: 'io.opentelemetry.jdbc', version: '2.10.0' },
  redis: { name: 'io.opentelemetry.redis', version: '2.10.0' },
  elasticsearch: { name: 'io.opentelemetry.elasticsearch-rest', version: '2.10.0' },
  kafka: { name: 'io.opentelemetry.kafka-clients', version: '2.10.0' },
  manual: { name: 'shop.demo', version: '1.0.0' },
};

export type Instrumentation = 'http' | 'grpc' | 'postgresql' | 'redis' | 'elasticsearch' | 'kafka' | 'manual';

export interface SpanSpec {
  service: DemoService;
  name: string;
  kind: SpanKind;
  instrumentation: Instrumentation;
  attributes?: Attribute[];
}

export interface ExceptionSpec {
  type: string;
  message: string;
  /** Top frame of the stack trace, in the service's language's style. */
  frame: string;
}

/**
 * Collects the spans of one trace. Spans are opened with a start time and closed with an end time;
 * the scenario code passes times forward so a child never leaves its parent.
 */
export class DemoTraceBuilder {
  readonly spans: Span[] = [];
  private readonly hostOf = new Map<DemoService, string>();
  private readonly usedSpanIds = new Set<string>();

  constructor(
    readonly random: SeededRandom,
    readonly traceId: TraceId,
  ) {}

  /** One pod per service per trace: a request sticks to the instance that served it. */
  private host(service: DemoService): string {
    let host = this.hostOf.get(service);
    if (host === undefined) {
      host = `${service}-${this.random.pick(DEMO_SERVICES[service].pods)}`;
      this.hostOf.set(service, host);
    }
    return host;
  }

  private newSpanId(): string {
    for (;;) {
      const id = this.random.hex(16);
      if (!this.usedSpanIds.has(id)) {
        this.usedSpanIds.add(id);
        return id;
      }
    }
  }

  open(parent: Span | null, startUs: Micros, spec: SpanSpec): Span {
    const service = DEMO_SERVICES[spec.service];
    const scope = SCOPES[spec.instrumentation];
    const span = newSpan({
      traceId: this.traceId,
      spanId: parseSpanId(this.newSpanId()),
      parentSpanId: parent?.spanId ?? null,
      name: spec.name,
      kind: spec.kind,
      service: spec.service,
      resource: [
        stringAttr('host.name', this.host(spec.service)),
        stringAttr('service.version', service.version),
        stringAttr('deployment.environment', 'production'),
        stringAttr('telemetry.sdk.language', service.language),
      ],
      scope: { name: scope.name, version: scope.version },
      startTimeUs: startUs,
      durationUs: 0,
      attributes: spec.attributes ?? [],
    });
    this.spans.push(span);
    return span;
  }

  close(span: Span, endUs: Micros): Micros {
    span.durationUs = Math.max(1, endUs - span.startTimeUs);
    return span.startTimeUs + span.durationUs;
  }

  event(span: Span, name: string, timeUs: Micros, attributes: Attribute[] = []): void {
    span.events.push({ name, timeUs, attributes });
  }

  /** Marks the span as failed and records the exception the way OTel SDKs do (`recordException`). */
  fail(span: Span, message: string, timeUs: Micros, exception?: ExceptionSpec): void {
    span.status = { code: 'ERROR', message };
    if (exception) {
      this.event(span, 'exception', timeUs, [
        stringAttr('exception.type', exception.type),
        stringAttr('exception.message', exception.message),
        stringAttr('exception.stacktrace', `${exception.type}: ${exception.message}\n    at ${exception.frame}`),
        boolAttr('exception.escaped', true),
      ]);
    }
  }
}

/** Small helpers so scenario code reads like the conventions it follows. */
export const attr = {
  str: stringAttr,
  int: intAttr,
  bool: boolAttr,
  double: doubleAttr,
};
