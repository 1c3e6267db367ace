/**
 * A small hand-written dataset for the memory backend's tests: six traces that between them hold
 * every case the search and dependency rules distinguish. Ids and times are fixed so tests can name
 * them.
 *
 * - CHECKOUT (128-bit id): web → payments over HTTP, the payment fails (exception event), typed
 *   attributes (INT, DOUBLE, BOOL), resource attributes, a scope, a Kafka publish.
 * - HOME (64-bit id): a Zipkin-style shared RPC (the server half reuses the client's span id),
 *   status OK, a cache-miss event.
 * - SHIPPING: a consumer trace linked to CHECKOUT's publish.
 * - FAST and SLOW: two `GET /home` traces starting at the same µs (ties break by trace id).
 * - SEARCH: web → catalog over gRPC.
 */
import { boolAttr, doubleAttr, intAttr, newSpan, parseSpanId, parseTraceId, stringAttr, type Span } from '../../../src/model/index.js';

export const T0 = 1_750_000_000_000_000;

export const IDS = {
  CHECKOUT: parseTraceId('4bf92f3577b34da6a3ce929d0e0e4736'),
  HOME: parseTraceId('0000000000000000000000000000abc1'),
  SHIPPING: parseTraceId('7c2f8e0a9d1b4c3e8f6a5b4c3d2e1f00'),
  FAST: parseTraceId('aaaa0000000000000000000000000001'),
  SLOW: parseTraceId('bbbb0000000000000000000000000002'),
  SEARCH: parseTraceId('5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e'),
} as const;

const sid = (hex: string) => parseSpanId(hex);
const web = {
  resource: [stringAttr('host.name', 'web-1'), stringAttr('service.version', '1.4.0')],
  scope: { name: 'io.opentelemetry.http', version: '1.40.0' },
};
const payments = {
  resource: [stringAttr('host.name', 'pay-1'), stringAttr('service.version', '2.0.1')],
  scope: { name: 'io.opentelemetry.http', version: '1.40.0' },
};

export function smallDataset(): Span[] {
  return [
    // CHECKOUT
    newSpan({
      ...web,
      traceId: IDS.CHECKOUT,
      spanId: sid('00000000000000c1'),
      name: 'POST /checkout',
      kind: 'SERVER',
      service: 'web',
      startTimeUs: T0,
      durationUs: 50_000,
      status: { code: 'ERROR', message: 'upstream failed' },
      attributes: [stringAttr('http.route', '/checkout'), intAttr('http.response.status_code', 502)],
    }),
    newSpan({
      ...web,
      traceId: IDS.CHECKOUT,
      spanId: sid('00000000000000c2'),
      parentSpanId: sid('00000000000000c1'),
      name: 'POST /pay',
      kind: 'CLIENT',
      service: 'web',
      startTimeUs: T0 + 1_000,
      durationUs: 40_000,
      status: { code: 'ERROR', message: 'bad gateway' },
      attributes: [stringAttr('peer.service', 'payments'), intAttr('http.response.status_code', 502)],
    }),
    newSpan({
      ...payments,
      traceId: IDS.CHECKOUT,
      spanId: sid('00000000000000c3'),
      parentSpanId: sid('00000000000000c2'),
      name: 'POST /pay',
      kind: 'SERVER',
      service: 'payments',
      startTimeUs: T0 + 2_000,
      durationUs: 35_000,
      status: { code: 'ERROR', message: 'provider timed out' },
      attributes: [
        stringAttr('http.route', '/pay'),
        intAttr('http.response.status_code', 502),
        doubleAttr('app.amount', 12.5),
        boolAttr('app.retried', true),
      ],
      events: [
        {
          name: 'exception',
          timeUs: T0 + 30_000,
          attributes: [stringAttr('exception.type', 'TimeoutError'), stringAttr('exception.message', 'provider timed out')],
        },
      ],
    }),
    newSpan({
      ...payments,
      traceId: IDS.CHECKOUT,
      spanId: sid('00000000000000c4'),
      parentSpanId: sid('00000000000000c3'),
      name: 'SELECT payments.charges',
      kind: 'CLIENT',
      service: 'payments',
      startTimeUs: T0 + 3_000,
      durationUs: 5_000,
      attributes: [stringAttr('db.system', 'postgresql'), stringAttr('db.statement', 'SELECT * FROM charges WHERE id = $1')],
    }),
    newSpan({
      ...payments,
      traceId: IDS.CHECKOUT,
      spanId: sid('00000000000000c5'),
      parentSpanId: sid('00000000000000c3'),
      name: 'orders publish',
      kind: 'PRODUCER',
      service: 'payments',
      startTimeUs: T0 + 9_000,
      durationUs: 1_000,
      attributes: [stringAttr('messaging.system', 'kafka'), stringAttr('messaging.destination.name', 'orders')],
    }),

    // HOME: the server half of the RPC shares the client's span id 00…h2.
    newSpan({
      ...web,
      traceId: IDS.HOME,
      spanId: sid('00000000000000a1'),
      name: 'GET /home',
      kind: 'SERVER',
      service: 'web',
      startTimeUs: T0 + 100_000,
      durationUs: 20_000,
      status: { code: 'OK', message: null },
      attributes: [stringAttr('http.route', '/home'), intAttr('http.response.status_code', 200)],
    }),
    newSpan({
      ...web,
      traceId: IDS.HOME,
      spanId: sid('00000000000000a2'),
      parentSpanId: sid('00000000000000a1'),
      name: 'GET /api/home',
      kind: 'CLIENT',
      service: 'web',
      startTimeUs: T0 + 101_000,
      durationUs: 15_000,
    }),
    newSpan({
      traceId: IDS.HOME,
      spanId: sid('00000000000000a2'),
      parentSpanId: sid('00000000000000a1'),
      isSharedServer: true,
      name: 'GET /api/home',
      kind: 'SERVER',
      service: 'api',
      startTimeUs: T0 + 102_000,
      durationUs: 12_000,
      resource: [stringAttr('host.name', 'api-1')],
      attributes: [stringAttr('http.route', '/api/home')],
    }),
    newSpan({
      traceId: IDS.HOME,
      spanId: sid('00000000000000a3'),
      parentSpanId: sid('00000000000000a2'),
      name: 'render',
      kind: 'INTERNAL',
      service: 'api',
      startTimeUs: T0 + 103_000,
      durationUs: 2_000,
      resource: [stringAttr('host.name', 'api-1')],
      events: [{ name: 'cache.miss', timeUs: T0 + 103_500, attributes: [stringAttr('cache.key', 'home')] }],
    }),

    // SHIPPING: consumes CHECKOUT's publish in a trace of its own.
    newSpan({
      traceId: IDS.SHIPPING,
      spanId: sid('00000000000000d1'),
      name: 'orders process',
      kind: 'CONSUMER',
      service: 'shipping',
      startTimeUs: T0 + 200_000,
      durationUs: 8_000,
      resource: [stringAttr('host.name', 'ship-1')],
      attributes: [stringAttr('messaging.system', 'kafka'), stringAttr('messaging.destination.name', 'orders')],
      links: [{ traceId: IDS.CHECKOUT, spanId: sid('00000000000000c5'), refType: null, attributes: [stringAttr('messaging.operation', 'publish')] }],
    }),
    newSpan({
      traceId: IDS.SHIPPING,
      spanId: sid('00000000000000d2'),
      parentSpanId: sid('00000000000000d1'),
      name: 'INSERT shipping.shipments',
      kind: 'CLIENT',
      service: 'shipping',
      startTimeUs: T0 + 201_000,
      durationUs: 3_000,
      resource: [stringAttr('host.name', 'ship-1')],
      attributes: [stringAttr('db.system', 'postgresql')],
    }),

    // FAST and SLOW start at the same µs.
    newSpan({
      ...web,
      traceId: IDS.FAST,
      spanId: sid('00000000000000e1'),
      name: 'GET /home',
      kind: 'SERVER',
      service: 'web',
      startTimeUs: T0 + 300_000,
      durationUs: 5_000,
      attributes: [stringAttr('http.route', '/home'), intAttr('http.response.status_code', 200)],
    }),
    newSpan({
      ...web,
      traceId: IDS.SLOW,
      spanId: sid('00000000000000f1'),
      name: 'GET /home',
      kind: 'SERVER',
      service: 'web',
      startTimeUs: T0 + 300_000,
      durationUs: 900_000,
      attributes: [stringAttr('http.route', '/home'), intAttr('http.response.status_code', 200)],
    }),

    // SEARCH: web → catalog over gRPC.
    newSpan({
      ...web,
      traceId: IDS.SEARCH,
      spanId: sid('0000000000000b01'),
      name: 'GET /search',
      kind: 'SERVER',
      service: 'web',
      startTimeUs: T0 + 400_000,
      durationUs: 30_000,
      attributes: [stringAttr('http.route', '/search'), intAttr('http.response.status_code', 200)],
    }),
    newSpan({
      ...web,
      traceId: IDS.SEARCH,
      spanId: sid('0000000000000b02'),
      parentSpanId: sid('0000000000000b01'),
      name: 'catalog.Catalog/Search',
      kind: 'CLIENT',
      service: 'web',
      startTimeUs: T0 + 401_000,
      durationUs: 25_000,
      attributes: [stringAttr('rpc.system', 'grpc')],
    }),
    newSpan({
      traceId: IDS.SEARCH,
      spanId: sid('0000000000000b03'),
      parentSpanId: sid('0000000000000b02'),
      name: 'catalog.Catalog/Search',
      kind: 'SERVER',
      service: 'catalog',
      startTimeUs: T0 + 402_000,
      durationUs: 20_000,
      resource: [stringAttr('host.name', 'catalog-1')],
      attributes: [stringAttr('rpc.system', 'grpc'), intAttr('rpc.grpc.status_code', 0)],
    }),
  ];
}
