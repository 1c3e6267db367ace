/**
 * The integration dataset: the same deterministic traces every real backend is loaded with, as
 * canonical spans. Jaeger gets its share as OTLP/JSON (to-otlp.ts), Zipkin as API v2 JSON
 * (to-zipkin.ts); the Elasticsearch-backed Jaeger and Zipkin get the same shares. Only the base time
 * varies (near "now": ES indexes are daily and both query APIs look back a bounded time).
 *
 * | trace     | held by        | what it exercises                                                   |
 * |-----------|----------------|---------------------------------------------------------------------|
 * | CHECKOUT  | Jaeger         | 128-bit id, typed attributes, resource, scope, events, error, OK    |
 * | FULFIL    | Jaeger         | a consumer trace linked to CHECKOUT's publish (span link)           |
 * | LEGACY64  | Jaeger         | 64-bit trace id sent as OTLP (upper half zero)                      |
 * | HOME      | Zipkin         | 64-bit id, shared client/server span, annotations, error tag        |
 * | SEARCH    | Zipkin         | fan-out over many services                                          |
 * | BOTH      | Jaeger + Zipkin| the same spans in both: folded into one trace by dedupe             |
 * | SPLIT     | half each      | frontend/checkout in Jaeger, payments/ledger in Zipkin              |
 * | SKEWED    | half each      | the Zipkin host's clock is 2.5 s behind the Jaeger host's           |
 * | G00..G11  | alternating    | small traces with varied services, names, durations and errors     |
 *
 * Span names of spans Zipkin holds are lower case: Zipkin lower-cases them on ingest.
 */
import {
  boolAttr,
  doubleAttr,
  intAttr,
  newSpan,
  parseSpanId,
  parseTraceId,
  stringAttr,
  type Attribute,
  type Span,
  type TraceId,
} from '../../../src/model/index.js';

export const TRACE_IDS = {
  CHECKOUT: parseTraceId('4bf92f3577b34da6a3ce929d0e0e4736'),
  FULFIL: parseTraceId('7c2f8e0a9d1b4c3e8f6a5b4c3d2e1f00'),
  LEGACY64: parseTraceId('7a3f9c2e5d1b0a4c'),
  HOME: parseTraceId('5b1e2c3d4a5f6e7d'),
  SEARCH: parseTraceId('5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e'),
  BOTH: parseTraceId('b0b0b0b0b0b0b0b0c1c1c1c1c1c1c1c1'),
  SPLIT: parseTraceId('a11ce5b1e7000000000000000000beef'),
  SKEWED: parseTraceId('5c3e5c3e5c3e5c3e0000000000000001'),
} as const;

/** How far the Zipkin host's clock is behind in SKEWED, µs. */
export const SKEW_US = 2_500_000;

export interface IntegrationDataset {
  baseUs: number;
  /** What Jaeger (and the ES-backed Jaeger) hold. */
  jaeger: Span[];
  /** What Zipkin (and the ES-backed Zipkin) hold. */
  zipkin: Span[];
  /** Every generated small trace id, in order. */
  generated: TraceId[];
}

type Where = 'jaeger' | 'zipkin' | 'both';

interface Service {
  service: string;
  resource: Attribute[];
  scope: Span['scope'];
}

const svc = (service: string, host: string, version: string): Service => ({
  service,
  resource: [stringAttr('host.name', host), stringAttr('service.version', version)],
  scope: { name: 'io.opentelemetry.http', version: '1.40.0' },
});

const SERVICES = {
  frontend: svc('frontend', 'fe-1', '3.2.0'),
  checkout: svc('checkout', 'co-1', '1.9.4'),
  payments: svc('payments', 'pay-1', '2.0.1'),
  inventory: svc('inventory', 'inv-1', '0.8.0'),
  shipping: svc('shipping', 'ship-1', '1.1.0'),
  notifications: svc('notifications', 'notif-1', '4.0.2'),
  auth: svc('auth', 'auth-1', '5.5.5'),
} as const;

/** Zipkin has no resource: spans it holds carry only the service (and a scope, as tags). */
const zsvc = (service: string): Service => ({ service, resource: [], scope: { name: 'brave', version: '6.0.3' } });

class TraceBuilder {
  readonly spans: Array<{ span: Span; where: Where }> = [];
  constructor(
    readonly traceId: TraceId,
    readonly where: Where,
  ) {}

  add(id: string, s: Service, fields: Partial<Span> & Pick<Span, 'name' | 'startTimeUs' | 'durationUs'>, where: Where = this.where): Span {
    const span = newSpan({ traceId: this.traceId, spanId: parseSpanId(id), service: s.service, resource: s.resource, scope: s.scope, ...fields });
    this.spans.push({ span, where });
    return span;
  }
}

export function buildDataset(baseUs: number): IntegrationDataset {
  const B = baseUs;
  const traces: TraceBuilder[] = [];
  const trace = (id: TraceId, where: Where) => {
    const t = new TraceBuilder(id, where);
    traces.push(t);
    return t;
  };
  const p = (id: string) => parseSpanId(id);

  // CHECKOUT: Jaeger, rich OTLP data.
  const co = trace(TRACE_IDS.CHECKOUT, 'jaeger');
  co.add('00000000000000c1', SERVICES.frontend, {
    name: 'POST /checkout',
    kind: 'SERVER',
    startTimeUs: B,
    durationUs: 180_000,
    status: { code: 'ERROR', message: 'payment declined' },
    attributes: [stringAttr('http.route', '/checkout'), intAttr('http.response.status_code', 502)],
  });
  co.add('00000000000000c2', SERVICES.checkout, {
    parentSpanId: p('00000000000000c1'),
    name: 'PlaceOrder',
    kind: 'SERVER',
    startTimeUs: B + 5_000,
    durationUs: 160_000,
    attributes: [intAttr('order.items', 3), doubleAttr('order.total', 59.97), boolAttr('order.express', true)],
    events: [{ name: 'order.validated', timeUs: B + 6_000, attributes: [intAttr('validation.rules', 12)] }],
  });
  co.add('00000000000000c3', SERVICES.checkout, {
    parentSpanId: p('00000000000000c2'),
    name: 'POST /charge',
    kind: 'CLIENT',
    startTimeUs: B + 20_000,
    durationUs: 100_000,
    attributes: [stringAttr('http.request.method', 'POST'), stringAttr('server.address', 'payments')],
  });
  co.add('00000000000000c4', SERVICES.payments, {
    parentSpanId: p('00000000000000c3'),
    name: 'Charge',
    kind: 'SERVER',
    startTimeUs: B + 25_000,
    durationUs: 90_000,
    status: { code: 'ERROR', message: 'card declined' },
    events: [
      {
        name: 'exception',
        timeUs: B + 100_000,
        attributes: [stringAttr('exception.type', 'CardDeclined'), stringAttr('exception.message', 'insufficient funds')],
      },
    ],
  });
  co.add('00000000000000c5', SERVICES.checkout, {
    parentSpanId: p('00000000000000c2'),
    name: 'orders publish',
    kind: 'PRODUCER',
    startTimeUs: B + 130_000,
    durationUs: 4_000,
    attributes: [stringAttr('messaging.system', 'kafka'), stringAttr('messaging.destination.name', 'orders')],
  });
  co.add('00000000000000c6', SERVICES.inventory, {
    parentSpanId: p('00000000000000c2'),
    name: 'reserve stock',
    kind: 'INTERNAL',
    startTimeUs: B + 140_000,
    durationUs: 15_000,
    status: { code: 'OK', message: null },
  });

  // FULFIL: Jaeger, a consumer linked to CHECKOUT's publish.
  const fu = trace(TRACE_IDS.FULFIL, 'jaeger');
  fu.add('00000000000000f1', SERVICES.shipping, {
    name: 'orders process',
    kind: 'CONSUMER',
    startTimeUs: B + 400_000,
    durationUs: 50_000,
    attributes: [stringAttr('messaging.system', 'kafka')],
    links: [{ traceId: TRACE_IDS.CHECKOUT, spanId: p('00000000000000c5'), refType: null, attributes: [stringAttr('link.reason', 'async')] }],
  });
  fu.add('00000000000000f2', SERVICES.notifications, {
    parentSpanId: p('00000000000000f1'),
    name: 'send email',
    kind: 'CLIENT',
    startTimeUs: B + 410_000,
    durationUs: 30_000,
  });

  // LEGACY64: Jaeger, 64-bit trace id.
  const lg = trace(TRACE_IDS.LEGACY64, 'jaeger');
  lg.add('0000000000000a01', SERVICES.auth, {
    name: 'Login',
    kind: 'SERVER',
    startTimeUs: B + 600_000,
    durationUs: 70_000,
    attributes: [stringAttr('enduser.id', 'u-42')],
  });
  lg.add('0000000000000a02', SERVICES.auth, {
    parentSpanId: p('0000000000000a01'),
    name: 'hash password',
    kind: 'INTERNAL',
    startTimeUs: B + 610_000,
    durationUs: 55_000,
  });

  // HOME: Zipkin, 64-bit id and a shared RPC span (the server half reuses the client's id).
  const ho = trace(TRACE_IDS.HOME, 'zipkin');
  ho.add('00000000000000a1', zsvc('frontend'), {
    name: 'get /home',
    kind: 'SERVER',
    startTimeUs: B + 1_000_000,
    durationUs: 90_000,
    status: { code: 'OK', message: null },
    attributes: [stringAttr('http.route', '/home'), intAttr('http.status_code', 200)],
  });
  ho.add('00000000000000a2', zsvc('frontend'), {
    parentSpanId: p('00000000000000a1'),
    name: 'get /api/recommendations',
    kind: 'CLIENT',
    startTimeUs: B + 1_005_000,
    durationUs: 70_000,
  });
  ho.add('00000000000000a2', zsvc('catalog'), {
    parentSpanId: p('00000000000000a1'),
    isSharedServer: true,
    name: 'get /api/recommendations',
    kind: 'SERVER',
    startTimeUs: B + 1_007_000,
    durationUs: 65_000,
    events: [{ name: 'wr', timeUs: B + 1_008_000, attributes: [] }],
  });
  ho.add('00000000000000a3', zsvc('catalog'), {
    parentSpanId: p('00000000000000a2'),
    name: 'rank items',
    kind: 'INTERNAL',
    startTimeUs: B + 1_010_000,
    durationUs: 50_000,
    events: [{ name: 'cache.miss', timeUs: B + 1_011_000, attributes: [] }],
  });
  ho.add('00000000000000a4', zsvc('catalog'), {
    parentSpanId: p('00000000000000a3'),
    name: 'select items',
    kind: 'CLIENT',
    startTimeUs: B + 1_015_000,
    durationUs: 40_000,
    status: { code: 'ERROR', message: 'timeout' },
    attributes: [stringAttr('db.system', 'postgresql'), stringAttr('peer.service', 'postgres')],
  });

  // SEARCH: Zipkin, fan-out over many services.
  const se = trace(TRACE_IDS.SEARCH, 'zipkin');
  se.add('00000000000000e1', zsvc('frontend'), {
    name: 'get /search',
    kind: 'SERVER',
    startTimeUs: B + 1_500_000,
    durationUs: 120_000,
    attributes: [stringAttr('http.route', '/search')],
  });
  se.add('00000000000000e2', zsvc('frontend'), {
    parentSpanId: p('00000000000000e1'),
    name: 'query',
    kind: 'CLIENT',
    startTimeUs: B + 1_502_000,
    durationUs: 110_000,
  });
  se.add('00000000000000e3', zsvc('search'), {
    parentSpanId: p('00000000000000e2'),
    name: 'query',
    kind: 'SERVER',
    startTimeUs: B + 1_503_000,
    durationUs: 105_000,
    attributes: [stringAttr('search.terms', 'red shoes')],
  });
  ['a', 'b', 'c'].forEach((shard, i) => {
    se.add(`00000000000000${(0xe4 + i * 2).toString(16)}`, zsvc('search'), {
      parentSpanId: p('00000000000000e3'),
      name: 'fetch shard',
      kind: 'CLIENT',
      startTimeUs: B + 1_505_000 + i * 1_000,
      durationUs: 80_000 - i * 10_000,
      attributes: [stringAttr('shard', shard)],
    });
    se.add(`00000000000000${(0xe5 + i * 2).toString(16)}`, zsvc(`index-${shard}`), {
      parentSpanId: p(`00000000000000${(0xe4 + i * 2).toString(16)}`),
      name: 'scan',
      kind: 'SERVER',
      startTimeUs: B + 1_506_000 + i * 1_000,
      durationUs: 75_000 - i * 10_000,
    });
  });

  // BOTH: identical spans in Jaeger and Zipkin; only what both can carry.
  const bo = trace(TRACE_IDS.BOTH, 'both');
  const plain = (service: string): Service => ({ service, resource: [], scope: null });
  bo.add('00000000000000b1', plain('frontend'), {
    name: 'get /account',
    kind: 'SERVER',
    startTimeUs: B + 2_000_000,
    durationUs: 60_000,
    attributes: [stringAttr('http.route', '/account')],
  });
  bo.add('00000000000000b2', plain('frontend'), {
    parentSpanId: p('00000000000000b1'),
    name: 'get /profile',
    kind: 'CLIENT',
    startTimeUs: B + 2_002_000,
    durationUs: 50_000,
  });
  bo.add('00000000000000b3', plain('auth'), {
    parentSpanId: p('00000000000000b2'),
    name: 'get /profile',
    kind: 'SERVER',
    startTimeUs: B + 2_003_000,
    durationUs: 45_000,
    status: { code: 'ERROR', message: 'token expired' },
    events: [{ name: 'retry', timeUs: B + 2_010_000, attributes: [] }],
  });

  // SPLIT: the first two services report to Jaeger, the last two to Zipkin.
  const sp = trace(TRACE_IDS.SPLIT, 'jaeger');
  const chain: Array<[string, Service, Span['kind'], Where]> = [
    ['frontend', SERVICES.frontend, 'SERVER', 'jaeger'],
    ['frontend', SERVICES.frontend, 'CLIENT', 'jaeger'],
    ['checkout', SERVICES.checkout, 'SERVER', 'jaeger'],
    ['checkout', SERVICES.checkout, 'CLIENT', 'jaeger'],
    ['payments', zsvc('payments'), 'SERVER', 'zipkin'],
    ['payments', zsvc('payments'), 'CLIENT', 'zipkin'],
    ['ledger', zsvc('ledger'), 'SERVER', 'zipkin'],
    ['ledger', zsvc('ledger'), 'INTERNAL', 'zipkin'],
  ];
  chain.forEach(([name, s, kind, where], i) => {
    sp.add(
      `000000000000051${i}`,
      s,
      {
        parentSpanId: i === 0 ? null : p(`000000000000051${i - 1}`),
        name: i === 0 ? 'POST /pay' : `${name} ${kind.toLowerCase()} ${i}`,
        kind,
        startTimeUs: B + 2_500_000 + i * 2_000,
        durationUs: 100_000 - i * 10_000,
        attributes: [intAttr('hop', i)],
      },
      where,
    );
  });

  // SKEWED: the payments host (Zipkin) runs 2.5 s behind the frontend host (Jaeger).
  const sk = trace(TRACE_IDS.SKEWED, 'jaeger');
  sk.add('0000000000005c01', SERVICES.frontend, { name: 'GET /slow', kind: 'SERVER', startTimeUs: B + 3_000_000, durationUs: 100_000 });
  sk.add('0000000000005c02', SERVICES.frontend, {
    parentSpanId: p('0000000000005c01'),
    name: 'GET /quote',
    kind: 'CLIENT',
    startTimeUs: B + 3_005_000,
    durationUs: 80_000,
  });
  sk.add(
    '0000000000005c03',
    zsvc('payments'),
    {
      parentSpanId: p('0000000000005c02'),
      name: 'get /quote',
      kind: 'SERVER',
      startTimeUs: B + 3_010_000 - SKEW_US,
      durationUs: 60_000,
    },
    'zipkin',
  );

  // G00..G11: small traces for search, limits and ordering.
  const roots = [
    ['frontend', 'GET /item'],
    ['catalog', 'list items'],
    ['search', 'suggest'],
    ['inventory', 'count stock'],
  ] as const;
  const generated: TraceId[] = [];
  for (let i = 0; i < 12; i++) {
    const where: Where = i % 2 === 0 ? 'jaeger' : 'zipkin';
    const id = parseTraceId(`9e0000000000000000000000000000${i.toString(16).padStart(2, '0')}`);
    generated.push(id);
    const g = trace(id, where);
    const [service, op] = roots[i % roots.length]!;
    const s = where === 'jaeger' ? { ...SERVICES.frontend, service } : zsvc(service);
    const start = B + 4_000_000 + i * 250_000;
    const name = where === 'zipkin' ? op.toLowerCase() : op;
    g.add(`00000000000090${i.toString(16).padStart(2, '0')}`, s, {
      name,
      kind: 'SERVER',
      startTimeUs: start,
      durationUs: 10_000 * (i + 1),
      status: i % 4 === 3 ? { code: 'ERROR', message: null } : { code: 'UNSET', message: null },
      attributes: [stringAttr('customer.tier', i % 3 === 0 ? 'gold' : 'silver'), intAttr('item.count', i)],
    });
    g.add(`00000000000091${i.toString(16).padStart(2, '0')}`, s, {
      parentSpanId: p(`00000000000090${i.toString(16).padStart(2, '0')}`),
      name: 'db query',
      kind: 'CLIENT',
      startTimeUs: start + 1_000,
      durationUs: 5_000 * (i + 1),
      attributes: [stringAttr('db.system', i % 2 === 0 ? 'postgresql' : 'redis')],
    });
  }

  const share = (w: 'jaeger' | 'zipkin') => traces.flatMap((t) => t.spans.filter((s) => s.where === w || s.where === 'both').map((s) => s.span));
  return { baseUs: B, jaeger: share('jaeger'), zipkin: share('zipkin'), generated };
}
