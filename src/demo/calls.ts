/**
 * The calls demo scenarios are made of: an HTTP or gRPC call (a CLIENT span in the caller and a
 * SERVER span in the callee), a database or cache call, a Kafka publish. Each takes a start time and
 * returns when it ended and whether it failed, so scenarios chain calls without doing time arithmetic,
 * and a failure travels up the call path (every span on the way gets status ERROR with the message).
 *
 * Attributes follow the OpenTelemetry semantic conventions for HTTP, RPC, database and messaging
 * spans (https://opentelemetry.io/docs/specs/semconv/).
 */
import type { Attribute, Micros, Span } from '../model/index.js';
import { attr, type DemoService, type DemoTraceBuilder, type ExceptionSpec } from './demo-trace-builder.js';

export interface Failure {
  httpStatus: number;
  /** gRPC status code (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
  grpcCode: number;
  message: string;
}

export interface Outcome {
  endUs: Micros;
  failure: Failure | null;
  /** HTTP status of a successful answer when it is not 200 (201 Created, 401 for a wrong password). */
  httpStatus?: number;
}

/** Work done inside a span from `startUs`; returns when it finished. */
export type Work = (span: Span, startUs: Micros) => Outcome;
export type Step = (startUs: Micros) => Outcome;

export const done = (endUs: Micros): Outcome => ({ endUs, failure: null });

/** Runs steps one after another with a little local work between them; stops at the first failure. */
export function sequence(b: DemoTraceBuilder, startUs: Micros, steps: readonly Step[]): Outcome {
  let cursor = startUs;
  let httpStatus: number | undefined;
  for (const step of steps) {
    const outcome = step(cursor + b.random.latencyUs(20, 400));
    cursor = outcome.endUs;
    if (outcome.failure) return outcome;
    httpStatus = outcome.httpStatus;
  }
  const outcome = done(cursor + b.random.latencyUs(20, 300));
  return httpStatus === undefined ? outcome : { ...outcome, httpStatus };
}

function network(b: DemoTraceBuilder): number {
  return b.random.latencyUs(150, 1_500);
}

function markFailed(b: DemoTraceBuilder, span: Span, failure: Failure): void {
  if (span.status.code !== 'ERROR') b.fail(span, failure.message, span.startTimeUs + span.durationUs);
}

export function httpCall(
  b: DemoTraceBuilder,
  parent: Span,
  startUs: Micros,
  to: DemoService,
  request: { method: string; route: string; path: string },
  work: Work,
): Outcome {
  const name = `${request.method} ${request.route}`;
  const client = b.open(parent, startUs, {
    service: parent.service as DemoService,
    name,
    kind: 'CLIENT',
    instrumentation: 'http',
    attributes: [
      attr.str('http.request.method', request.method),
      attr.str('url.full', `http://${to}:8080${request.path}`),
      attr.str('server.address', to),
      attr.int('server.port', 8080),
      attr.str('peer.service', to),
    ],
  });
  const server = b.open(client, startUs + network(b), {
    service: to,
    name,
    kind: 'SERVER',
    instrumentation: 'http',
    attributes: [
      attr.str('http.request.method', request.method),
      attr.str('http.route', request.route),
      attr.str('url.path', request.path.split('?')[0]!),
      attr.str('url.scheme', 'http'),
      attr.str('network.protocol.version', '1.1'),
    ],
  });
  const inner = work(server, server.startTimeUs + b.random.latencyUs(50, 600));
  const status = inner.failure?.httpStatus ?? inner.httpStatus ?? 200;
  b.close(server, inner.endUs + b.random.latencyUs(30, 500));
  const endUs = b.close(client, server.startTimeUs + server.durationUs + network(b));
  for (const span of [server, client]) span.attributes.push(attr.int('http.response.status_code', status));
  if (inner.failure) {
    markFailed(b, server, inner.failure);
    markFailed(b, client, inner.failure);
  }
  return { endUs, failure: inner.failure, httpStatus: status };
}

export function grpcCall(
  b: DemoTraceBuilder,
  parent: Span,
  startUs: Micros,
  to: DemoService,
  rpcService: string,
  method: string,
  work: Work,
): Outcome {
  const name = `${rpcService}/${method}`;
  const rpc = [attr.str('rpc.system', 'grpc'), attr.str('rpc.service', rpcService), attr.str('rpc.method', method)];
  const client = b.open(parent, startUs, {
    service: parent.service as DemoService,
    name,
    kind: 'CLIENT',
    instrumentation: 'grpc',
    attributes: [...rpc, attr.str('server.address', to), attr.int('server.port', 50051), attr.str('peer.service', to)],
  });
  const server = b.open(client, startUs + network(b), { service: to, name, kind: 'SERVER', instrumentation: 'grpc', attributes: [...rpc] });
  const inner = work(server, server.startTimeUs + b.random.latencyUs(30, 400));
  b.close(server, inner.endUs + b.random.latencyUs(20, 300));
  const endUs = b.close(client, server.startTimeUs + server.durationUs + network(b));
  const code = inner.failure?.grpcCode ?? 0;
  for (const span of [server, client]) span.attributes.push(attr.int('rpc.grpc.status_code', code));
  if (inner.failure) {
    markFailed(b, server, inner.failure);
    markFailed(b, client, inner.failure);
  }
  return { endUs, failure: inner.failure };
}

/** An in-process step (template rendering, password hashing): an INTERNAL span. */
export function internalStep(
  b: DemoTraceBuilder,
  parent: Span,
  startUs: Micros,
  name: string,
  durationUs: number,
  attributes: Attribute[] = [],
): Outcome {
  const span = b.open(parent, startUs, { service: parent.service as DemoService, name, kind: 'INTERNAL', instrumentation: 'manual', attributes });
  return done(b.close(span, startUs + durationUs));
}

export interface SqlSpec {
  dbName: string;
  operation: string;
  table: string;
  statement: string;
  durationUs: number;
  /** Fails the query with this exception: a connection timeout, a deadlock. */
  failure?: { exception: ExceptionSpec; failure: Failure };
}

export function sqlQuery(b: DemoTraceBuilder, parent: Span, startUs: Micros, sql: SqlSpec): Outcome {
  const span = b.open(parent, startUs, {
    service: parent.service as DemoService,
    name: `${sql.operation} ${sql.dbName}.${sql.table}`,
    kind: 'CLIENT',
    instrumentation: 'postgresql',
    attributes: [
      attr.str('db.system', 'postgresql'),
      attr.str('db.name', sql.dbName),
      attr.str('db.operation', sql.operation),
      attr.str('db.sql.table', sql.table),
      attr.str('db.statement', sql.statement),
      attr.str('server.address', 'postgres-primary.data.svc'),
      attr.int('server.port', 5432),
      attr.str('peer.service', 'postgres'),
    ],
  });
  const endUs = b.close(span, startUs + sql.durationUs);
  if (sql.failure) {
    b.fail(span, sql.failure.exception.message, endUs, sql.failure.exception);
    return { endUs, failure: sql.failure.failure };
  }
  return done(endUs);
}

export function redisCommand(
  b: DemoTraceBuilder,
  parent: Span,
  startUs: Micros,
  command: string,
  key: string,
  failure?: { exception: ExceptionSpec; failure: Failure },
): Outcome {
  const span = b.open(parent, startUs, {
    service: parent.service as DemoService,
    name: command,
    kind: 'CLIENT',
    instrumentation: 'redis',
    attributes: [
      attr.str('db.system', 'redis'),
      attr.str('db.operation', command),
      attr.str('db.statement', `${command} ${key}`),
      attr.int('db.redis.database_index', 0),
      attr.str('server.address', 'redis-cache.data.svc'),
      attr.int('server.port', 6379),
      attr.str('peer.service', 'redis'),
    ],
  });
  if (failure) {
    const endUs = b.close(span, startUs + 5_000_000);
    b.fail(span, failure.exception.message, endUs, failure.exception);
    return { endUs, failure: failure.failure };
  }
  return done(b.close(span, startUs + b.random.latencyUs(120, 1_800)));
}

/** A Kafka publish: a PRODUCER span that consumers in other traces link to. */
export function kafkaPublish(
  b: DemoTraceBuilder,
  parent: Span,
  startUs: Micros,
  topic: string,
  messageKey: string,
): { outcome: Outcome; span: Span } {
  const span = b.open(parent, startUs, {
    service: parent.service as DemoService,
    name: `${topic} publish`,
    kind: 'PRODUCER',
    instrumentation: 'kafka',
    attributes: [
      attr.str('messaging.system', 'kafka'),
      attr.str('messaging.destination.name', topic),
      attr.str('messaging.operation', 'publish'),
      attr.str('messaging.kafka.message.key', messageKey),
      attr.str('messaging.message.id', b.random.hex(12)),
      attr.str('server.address', 'kafka-0.kafka.data.svc'),
      attr.str('peer.service', 'kafka'),
    ],
  });
  return { outcome: done(b.close(span, startUs + b.random.latencyUs(400, 3_000))), span };
}
