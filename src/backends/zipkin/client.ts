/**
 * HTTP to Zipkin's API v2 (docs/formats/zipkin.md §1). Checks statuses and body shapes,
 * throws only BackendError and returns wire bodies untouched. Zipkin answers errors as text/plain,
 * and its only 404 is "trace not found".
 */
import { BackendError } from '../../errors.js';
import { compactTraceId, type TraceId } from '../../model/index.js';
import type { CallOptions } from '../backend.js';
import type { HttpBackendConfig } from '../factory.js';
import { expectShape, HttpClient, type QueryValue } from '../http/http-client.js';
import type { ZipkinSpan } from '../../formats/zipkin-v2/index.js';

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const isSpanList = (value: unknown): value is unknown[] => Array.isArray(value) && value.every((s) => typeof s === 'object' && s !== null);
const isTraceList = (value: unknown): value is unknown[][] => Array.isArray(value) && value.every(isSpanList);

export class ZipkinClient {
  readonly http: HttpClient;

  constructor(
    private readonly backend: string,
    config: HttpBackendConfig,
  ) {
    this.http = new HttpClient(backend, config);
  }

  /** `/api/v2/trace/{id}`; null when Zipkin answers 404. Ids go in Zipkin's own short form. */
  async getTrace(id: TraceId, call: CallOptions): Promise<ZipkinSpan[] | null> {
    const response = await this.http.getJson(`api/v2/trace/${compactTraceId(id)}`, {}, call, [404]);
    if (response.status === 404) return null;
    expectShape(isSpanList(response.body), this.backend, 'GET /api/v2/trace/{id}', response.body);
    return response.body as ZipkinSpan[];
  }

  /**
   * `/api/v2/traceMany?traceIds=a,b`: at least two unique ids (a single id is a 400 there), found
   * traces only, in no particular order.
   */
  async getTraceMany(ids: readonly TraceId[], call: CallOptions): Promise<ZipkinSpan[][]> {
    const unique = [...new Set(ids.map(compactTraceId))];
    if (unique.length === 1) {
      const one = await this.getTrace(ids[0]!, call);
      return one === null ? [] : [one];
    }
    const response = await this.http.getJson('api/v2/traceMany', { traceIds: unique.join(',') }, call);
    expectShape(isTraceList(response.body), this.backend, 'GET /api/v2/traceMany', response.body);
    return response.body as ZipkinSpan[][];
  }

  async findTraces(params: Record<string, QueryValue>, call: CallOptions): Promise<ZipkinSpan[][]> {
    const response = await this.http.getJson('api/v2/traces', params, call);
    expectShape(isTraceList(response.body), this.backend, 'GET /api/v2/traces', response.body);
    return response.body as ZipkinSpan[][];
  }

  private async names(path: string, query: Record<string, QueryValue>, call: CallOptions): Promise<string[]> {
    const response = await this.http.getJson(path, query, call);
    expectShape(isStringArray(response.body), this.backend, `GET /${path}`, response.body);
    return response.body as string[];
  }

  getServices(call: CallOptions): Promise<string[]> {
    return this.names('api/v2/services', {}, call);
  }

  getSpanNames(service: string, call: CallOptions): Promise<string[]> {
    return this.names('api/v2/spans', { serviceName: service.toLowerCase() }, call);
  }

  getRemoteServices(service: string, call: CallOptions): Promise<string[]> {
    return this.names('api/v2/remoteServices', { serviceName: service.toLowerCase() }, call);
  }

  getAutocompleteKeys(call: CallOptions): Promise<string[]> {
    return this.names('api/v2/autocompleteKeys', {}, call);
  }

  getAutocompleteValues(key: string, call: CallOptions): Promise<string[]> {
    return this.names('api/v2/autocompleteValues', { key }, call);
  }

  async getDependencies(
    endMs: number,
    lookbackMs: number,
    call: CallOptions,
  ): Promise<Array<{ parent: string; child: string; callCount: number; errorCount?: number }>> {
    const response = await this.http.getJson('api/v2/dependencies', { endTs: endMs, lookback: lookbackMs }, call);
    const body = response.body;
    expectShape(Array.isArray(body), this.backend, 'GET /api/v2/dependencies', body);
    return (body as unknown[]).filter(
      (d): d is { parent: string; child: string; callCount: number; errorCount?: number } =>
        typeof d === 'object' &&
        d !== null &&
        typeof (d as { parent?: unknown }).parent === 'string' &&
        typeof (d as { child?: unknown }).child === 'string',
    );
  }

  /** `/health`: 200 with status UP, or 503 with the failing component. */
  async health(call: CallOptions): Promise<{ up: boolean; detail: string }> {
    const response = await this.http.getJson('health', {}, call, [503]);
    const status = (response.body as { status?: unknown }).status;
    // Only the status word is passed on: the body of a 503 names the failing component's internals.
    return {
      up: response.status === 200 && status === 'UP',
      detail: typeof status === 'string' ? `status ${status.slice(0, 20)}` : `HTTP ${response.status}`,
    };
  }

  async version(call: CallOptions): Promise<string | null> {
    try {
      const response = await this.http.getJson('info', {}, call);
      const version = (response.body as { zipkin?: { version?: unknown } }).zipkin?.version;
      return typeof version === 'string' ? version : null;
    } catch (error) {
      if (error instanceof BackendError) return null;
      throw error;
    }
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
