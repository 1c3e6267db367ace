/**
 * Two small traces holding what the demo shop lacks, for tests that must see every shape the model
 * can carry. The "zoo" trace has an attribute of every AttributeType with its edge values (int64
 * beyond ±2^53 as decimal text, NaN and ±Infinity, empty bytes, arrays and maps nested in each other)
 * on spans, resources, events and links; every span kind and status; and what merging must report:
 * a child with clock skew, one with skew beyond the limit, an orphan, a Zipkin-style shared span
 * split across two backends, and a span whose copies conflict. The "anomaly" trace has two roots and
 * a parent cycle.
 *
 * `primary` goes into one backend and `copies` into a second one listed after it, so dedupe sees the
 * same span from two backends (and twice from the second). Not covered: the MAPPING warning, which
 * needs a backend that returns spans of another trace id (the memory store never does).
 *
 * `malformed` is a third trace, of spans a buggy mapper could produce despite the types: an attribute
 * of an unknown type, a span without a name, NaN times. It is for a test double (a memory store
 * indexes what it holds), and shows how errors below a field null the smallest thing possible.
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
  type Micros,
  type Span,
} from '../../src/model/index.js';

export const ZOO_TRACE_ID = parseTraceId('0a77ce55ab1e5000a77ce55ab1e50001');
export const ANOMALY_TRACE_ID = parseTraceId('0a77ce55ab1e5000a77ce55ab1e50002');
export const MALFORMED_TRACE_ID = parseTraceId('0a77ce55ab1e5000a77ce55ab1e50003');
/** The zoo trace's root, which carries every attribute type. */
export const ZOO_ROOT_SPAN_ID = parseSpanId('00000000000000a1');

/** One attribute of every type, with the values a serializer most easily gets wrong. */
const ZOO_ATTRIBUTES: readonly Attribute[] = [
  stringAttr('zoo.string', 'héllo "wörld"\n\t✓ 🚀 \u0000'),
  stringAttr('zoo.string.empty', ''),
  boolAttr('zoo.bool.true', true),
  boolAttr('zoo.bool.false', false),
  intAttr('zoo.int', 42),
  intAttr('zoo.int.negative', -7),
  intAttr('zoo.int.max-safe', Number.MAX_SAFE_INTEGER),
  intAttr('zoo.int.big', '9007199254740993'),
  intAttr('zoo.int.int64-max', '9223372036854775807'),
  intAttr('zoo.int.int64-min', -9223372036854775808n),
  doubleAttr('zoo.double', 3.5),
  doubleAttr('zoo.double.tiny', 5e-324),
  doubleAttr('zoo.double.huge', 1.7976931348623157e308),
  doubleAttr('zoo.double.negative-zero', -0),
  doubleAttr('zoo.double.nan', Number.NaN),
  doubleAttr('zoo.double.infinity', Number.POSITIVE_INFINITY),
  doubleAttr('zoo.double.minus-infinity', Number.NEGATIVE_INFINITY),
  { key: 'zoo.bytes', type: 'BYTES', value: 'AAEC/f7/' },
  { key: 'zoo.bytes.empty', type: 'BYTES', value: '' },
  { key: 'zoo.array', type: 'ARRAY', value: ['a', 1, 2.5, true, null, ['nested', 9007199254740993n.toString()], { k: 'v' }] },
  { key: 'zoo.array.empty', type: 'ARRAY', value: [] },
  { key: 'zoo.map', type: 'MAP', value: { string: 's', int: 1, bool: false, null: null, list: [1, 'two'], map: { deep: { deeper: 'x' } } } },
  { key: 'zoo.map.empty', type: 'MAP', value: {} },
];

const id = parseSpanId;

interface ZooData {
  /** For the first backend (a memory store). */
  primary: Span[];
  /** For a second backend after it: copies of zoo spans, one conflicting, one twice, one shared half. */
  copies: Span[];
  /** The malformed trace: root with an attribute of type "WEIRD"; a child starting at NaN; one without a name, lasting NaN. */
  malformed: Span[];
}

/** The zoo and anomaly traces, starting ten minutes before `nowUs`. */
export function zooSpans(nowUs: Micros): ZooData {
  const t0 = nowUs - 600_000_000;
  const zoo = (spanId: string, fields: Partial<Span> & Pick<Span, 'name' | 'startTimeUs' | 'durationUs'>): Span =>
    newSpan({ traceId: ZOO_TRACE_ID, spanId: id(spanId), ...fields });
  const host = (name: string, service: string): Partial<Span> => ({ service, resource: [stringAttr('host.name', name)] });

  const root = zoo('00000000000000a1', {
    name: 'GET /zoo',
    kind: 'SERVER',
    service: 'zoo-edge',
    resource: [
      stringAttr('host.name', 'edge-1'),
      stringAttr('service.version', '1.2.3'),
      intAttr('process.pid', 4242),
      { key: 'zoo.resource.map', type: 'MAP', value: { region: 'eu', zones: ['a', 'b'] } },
      { key: 'zoo.resource.bytes', type: 'BYTES', value: '3q2+7w==' },
    ],
    scope: { name: 'zoo-instrumentation', version: '0.1.0' },
    startTimeUs: t0,
    durationUs: 50_000,
    status: { code: 'OK', message: null },
    attributes: [...ZOO_ATTRIBUTES, stringAttr('http.route', '/zoo')],
    events: [
      {
        name: 'exception',
        timeUs: t0 + 10_000,
        attributes: [
          stringAttr('exception.type', 'ZooError'),
          stringAttr('exception.message', 'the lion escaped'),
          boolAttr('exception.escaped', false),
        ],
      },
      { name: 'cache.miss', timeUs: t0 + 11_000, attributes: ZOO_ATTRIBUTES.filter((a) => a.type !== 'STRING') },
      { name: 'no attributes', timeUs: t0 + 12_000, attributes: [] },
    ],
    links: [
      { traceId: ANOMALY_TRACE_ID, spanId: id('00000000000000b1'), refType: 'FOLLOWS_FROM', attributes: [] },
      { traceId: ZOO_TRACE_ID, spanId: id('00000000000000a6'), refType: 'CHILD_OF', attributes: [stringAttr('link.reason', 'batch')] },
      { traceId: parseTraceId('77'), spanId: id('77'), refType: null, attributes: [...ZOO_ATTRIBUTES] },
    ],
  });
  const client = zoo('00000000000000a2', {
    ...host('edge-1', 'zoo-edge'),
    parentSpanId: root.spanId,
    name: 'call worker',
    kind: 'CLIENT',
    startTimeUs: t0 + 1_000,
    durationUs: 20_000,
    status: { code: 'ERROR', message: 'upstream said no' },
    attributes: [stringAttr('peer.service', 'zoo-worker'), intAttr('http.response.status_code', 503)],
    events: [{ name: 'retry', timeUs: t0 + 5_000, attributes: [intAttr('retry.attempt', 2), doubleAttr('retry.backoff_s', 0.25)] }],
  });
  // On another host, and reported as starting before its caller: clock skew to correct.
  const worker = zoo('00000000000000a3', {
    ...host('worker-1', 'zoo-worker'),
    parentSpanId: client.spanId,
    name: 'work',
    kind: 'SERVER',
    startTimeUs: t0 - 4_000,
    durationUs: 10_000,
    status: { code: 'ERROR', message: 'no capacity' },
    events: [{ name: 'exception', timeUs: t0 - 3_000, attributes: [stringAttr('exception.type', 'CapacityError')] }],
  });
  const producer = zoo('00000000000000a4', {
    ...host('edge-1', 'zoo-edge'),
    parentSpanId: root.spanId,
    name: 'publish feeding',
    kind: 'PRODUCER',
    startTimeUs: t0 + 25_000,
    durationUs: 2_000,
    attributes: [stringAttr('messaging.system', 'kafka')],
  });
  // Skewed by more than the default 600 s limit: left as reported, with a warning.
  const consumer = zoo('00000000000000a5', {
    ...host('far-1', 'zoo-far'),
    parentSpanId: producer.spanId,
    name: 'consume feeding',
    kind: 'CONSUMER',
    startTimeUs: t0 + 25_000 - 700_000_000,
    durationUs: 1_000,
  });
  const internal = zoo('00000000000000a6', {
    ...host('edge-1', 'zoo-edge'),
    parentSpanId: root.spanId,
    name: 'count animals',
    kind: 'INTERNAL',
    startTimeUs: t0 + 30_000,
    durationUs: 5_000,
    warnings: ['zoo: a warning from mapping'],
  });
  const orphan = zoo('00000000000000a7', {
    ...host('edge-1', 'zoo-edge'),
    parentSpanId: id('ffffffffffffff01'),
    name: 'lost keeper',
    startTimeUs: t0 + 31_000,
    durationUs: 1_000,
  });
  const conflicted = zoo('00000000000000a8', {
    ...host('edge-1', 'zoo-edge'),
    parentSpanId: root.spanId,
    name: 'feed animals',
    kind: 'INTERNAL',
    startTimeUs: t0 + 32_000,
    durationUs: 3_000,
    attributes: [intAttr('zoo.animals', 12)],
  });

  const anomaly = (spanId: string, parent: string | null, name: string): Span =>
    newSpan({
      traceId: ANOMALY_TRACE_ID,
      spanId: id(spanId),
      parentSpanId: parent === null ? null : id(parent),
      name,
      service: 'zoo-edge',
      startTimeUs: t0 + 100_000 + Number.parseInt(spanId, 16),
      durationUs: 1_000,
    });

  const malformed = (spanId: string, parent: string | null, fields: Partial<Span>): Span =>
    newSpan({
      traceId: MALFORMED_TRACE_ID,
      spanId: id(spanId),
      parentSpanId: parent === null ? null : id(parent),
      name: `malformed ${spanId}`,
      service: 'zoo-edge',
      startTimeUs: t0 + 200_000,
      durationUs: 1_000,
      ...fields,
    });

  return {
    primary: [
      root,
      client,
      worker,
      producer,
      consumer,
      internal,
      orphan,
      conflicted,
      anomaly('00000000000000b1', null, 'first root'),
      anomaly('00000000000000b2', null, 'second root'),
      anomaly('00000000000000b3', '00000000000000b4', 'chicken'),
      anomaly('00000000000000b4', '00000000000000b3', 'egg'),
    ],
    copies: [
      // The server half of `client`, reported under the same id without Zipkin's shared flag.
      {
        ...client,
        ...host('worker-1', 'zoo-worker'),
        kind: 'SERVER',
        name: 'serve worker call',
        status: { code: 'UNSET', message: null },
        events: [],
      },
      // Differs in name (a conflict), adds an attribute and an event (merged).
      {
        ...conflicted,
        name: 'feed the animals',
        attributes: [doubleAttr('zoo.food_kg', 12.5)],
        events: [{ name: 'fed', timeUs: t0 + 33_000, attributes: [] }],
      },
      // The same span twice in one backend.
      { ...conflicted, name: 'feed the animals' },
    ],
    malformed: [
      malformed('00000000000000c1', null, {
        attributes: [stringAttr('fine', 'yes'), { key: 'weird', type: 'WEIRD' as Attribute['type'], value: 1 }],
      }),
      malformed('00000000000000c2', '00000000000000c1', { startTimeUs: Number.NaN }),
      malformed('00000000000000c3', '00000000000000c1', { name: null as unknown as string, durationUs: Number.NaN }),
    ],
  };
}
