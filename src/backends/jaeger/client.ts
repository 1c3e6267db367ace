/**
 * HTTP to a Jaeger query service: api_v3 (`/api/v3/...`, the stable API) and the v1 JSON API
 * (`/api/...`, which Jaeger calls internal but which alone offers multi-id fetch and dependencies).
 * Checks statuses and body shapes, throws only BackendError, and returns wire bodies untouched;
 * mapping to the model is ../../formats/jaeger-json/'s and ../../formats/otlp-json/'s job. Formats:
 * docs/formats/jaeger.md §1 and §2.
 */
import { BackendError } from '../../errors.js';
import { compactTraceId, type TraceId } from '../../model/index.js';
import { expectShape, HttpClient, type QueryValue } from '../http/http-client.js';
import type { CallOptions } from '../backend.js';
import type { HttpBackendConfig } from '../factory.js';
import type { JaegerTrace } from '../../formats/jaeger-json/index.js';
import type { OtlpTracesData } from '../../formats/otlp-json/index.js';
import { isRecord } from '../../formats/shared/index.js';

/** v1 envelope: {data, total, limit, offset, errors}. */
export interface V1Envelope<T> {
  data: T;
  errors: Array<{ code?: number; msg: string; traceID?: string }> | null;
}

export class JaegerClient {
  readonly http: HttpClient;

  constructor(
    private readonly backend: string,
    config: HttpBackendConfig,
  ) {
    this.http = new HttpClient(backend, config);
  }

  private v1<T>(body: unknown, what: string, isData: (data: unknown) => boolean): V1Envelope<T> {
    expectShape(isRecord(body) && 'data' in body && (body.data === null || isData(body.data)), this.backend, what, body);
    const envelope = body as { data: unknown; errors?: unknown };
    return { data: envelope.data as T, errors: Array.isArray(envelope.errors) ? (envelope.errors as V1Envelope<T>['errors']) : null };
  }

  /**
   * v1 multi-get: `GET /api/traces?traceID=a&traceID=b`. Found traces come in `data`; a missing id
   * is an `errors` entry with HTTP 200, which is "not held", not a failure.
   */
  async getTracesV1(ids: readonly TraceId[], call: CallOptions): Promise<JaegerTrace[]> {
    // Jaeger v1 prints 64-bit ids as 16 hex; it parses either form, so send the short one.
    const response = await this.http.getJson('api/traces', { traceID: ids.map(compactTraceId), raw: true }, call, [404]);
    if (response.status === 404) return [];
    const envelope = this.v1<JaegerTrace[]>(response.body, 'GET /api/traces (multi-get)', Array.isArray);
    const real = (envelope.errors ?? []).filter((e) => !/not found/i.test(e.msg));
    if (real.length > 0 && (envelope.data ?? []).length === 0) {
      throw new BackendError('BACKEND_BAD_RESPONSE', this.backend, `GET /api/traces answered errors: ${real.map((e) => e.msg).join('; ')}`);
    }
    return envelope.data ?? [];
  }

  /** api_v3 single trace: `GET /api/v3/traces/{id}`; 404 means "no such trace". Returns the OTLP `result` or null. */
  async getTraceV3(id: TraceId, call: CallOptions): Promise<OtlpTracesData | null> {
    // Both spellings, as in query.ts: Jaeger up to v2.19 reads only `raw_traces` (without it its
    // adjusters rewrite the trace before Tracegate sees it).
    const response = await this.http.getJson(`api/v3/traces/${id}`, { rawTraces: true, raw_traces: true }, call, [404]);
    if (response.status === 404) return null;
    expectShape(isRecord(response.body) && isRecord(response.body.result), this.backend, 'GET /api/v3/traces/{id}', response.body);
    return (response.body as { result: OtlpTracesData }).result;
  }

  /** api_v3 search: full traces, all in one flat resourceSpans list; 404 means "no match". */
  async findTracesV3(params: Record<string, QueryValue>, call: CallOptions): Promise<OtlpTracesData | null> {
    const response = await this.http.getJson('api/v3/traces', params, call, [404]);
    if (response.status === 404) return null;
    expectShape(isRecord(response.body) && isRecord(response.body.result), this.backend, 'GET /api/v3/traces', response.body);
    return (response.body as { result: OtlpTracesData }).result;
  }

  async findTracesV1(params: Record<string, QueryValue>, call: CallOptions): Promise<JaegerTrace[]> {
    const response = await this.http.getJson('api/traces', params, call);
    return this.v1<JaegerTrace[]>(response.body, 'GET /api/traces (search)', Array.isArray).data ?? [];
  }

  async getServicesV3(call: CallOptions): Promise<string[]> {
    const response = await this.http.getJson('api/v3/services', {}, call);
    const body = response.body;
    // Empty lists are omitted on the wire: {} means no services (docs/formats/jaeger.md §2.2).
    expectShape(isRecord(body) && (body.services === undefined || Array.isArray(body.services)), this.backend, 'GET /api/v3/services', body);
    return ((body as { services?: unknown[] }).services ?? []).filter((s): s is string => typeof s === 'string');
  }

  async getServicesV1(call: CallOptions): Promise<string[]> {
    const response = await this.http.getJson('api/services', {}, call);
    return (this.v1<string[]>(response.body, 'GET /api/services', Array.isArray).data ?? []).filter((s) => typeof s === 'string');
  }

  async getOperationsV3(service: string, spanKind: string | null, call: CallOptions): Promise<Array<{ name: string; spanKind?: string }>> {
    const response = await this.http.getJson('api/v3/operations', { service, spanKind: spanKind ?? undefined }, call);
    const body = response.body;
    expectShape(isRecord(body) && (body.operations === undefined || Array.isArray(body.operations)), this.backend, 'GET /api/v3/operations', body);
    return ((body as { operations?: unknown[] }).operations ?? []).filter(
      (o): o is { name: string; spanKind?: string } => isRecord(o) && typeof o.name === 'string',
    );
  }

  async getOperationsV1(service: string, spanKind: string | null, call: CallOptions): Promise<Array<{ name: string; spanKind?: string }>> {
    const response = await this.http.getJson('api/operations', { service, spanKind: spanKind ?? undefined }, call);
    const data = this.v1<unknown[]>(response.body, 'GET /api/operations', Array.isArray).data ?? [];
    return data.filter((o): o is { name: string; spanKind?: string } => isRecord(o) && typeof o.name === 'string');
  }

  /** v1 only: `GET /api/dependencies?endTs=<ms>&lookback=<ms>`. */
  async getDependenciesV1(
    endMs: number,
    lookbackMs: number,
    call: CallOptions,
  ): Promise<Array<{ parent: string; child: string; callCount: number }>> {
    const response = await this.http.getJson('api/dependencies', { endTs: endMs, lookback: lookbackMs }, call);
    const data = this.v1<unknown[]>(response.body, 'GET /api/dependencies', Array.isArray).data ?? [];
    return data.filter(
      (d): d is { parent: string; child: string; callCount: number } =>
        isRecord(d) && typeof d.parent === 'string' && typeof d.child === 'string' && typeof d.callCount === 'number',
    );
  }

  /**
   * Which APIs answer: v3 when /api/v3/services does, v1 when /api/services does. A 401 or 403 says
   * who is asking is refused (a bad or missing per-call token), not that the API is absent: it fails
   * the probe, so the answer is not remembered for every later caller.
   */
  async probe(call: CallOptions): Promise<{ v3: boolean; v1: boolean }> {
    const [v3, v1] = await Promise.allSettled([this.getServicesV3(call), this.getServicesV1(call)]);
    const refused = [v3, v1].find((r) => r.status === 'rejected' && [401, 403].includes((r.reason as BackendError).httpStatus ?? 0));
    if (refused) throw (refused as PromiseRejectedResult).reason;
    const down = [v3, v1].every((r) => r.status === 'rejected' && (r.reason as BackendError).code !== 'BACKEND_REJECTED');
    if (down) throw (v3 as PromiseRejectedResult).reason;
    return { v3: v3.status === 'fulfilled', v1: v1.status === 'fulfilled' };
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
