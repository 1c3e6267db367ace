import { describe, expect, it } from 'vitest';
import { logBackendFailure, unhealthyDetail } from '../../../src/backends/shared/backend-failure.js';
import { BackendError } from '../../../src/errors.js';
import { captureLogs, LEVEL } from '../../support/log-capture.js';

describe('logBackendFailure', () => {
  it('logs one failure once, even when single-flight hands the same error to several requests', () => {
    const logs = captureLogs('debug');
    const error = new BackendError('BACKEND_UNAVAILABLE', 'zipkin-eu', 'GET /api/v2/services answered HTTP 500: body with 10.0.0.7:9411', 500);
    for (let i = 0; i < 5; i++) logBackendFailure(logs.logger, 'zipkin-eu', 'BACKEND_UNAVAILABLE', error);
    expect(logs.lines).toEqual([
      expect.objectContaining({ level: LEVEL.warn, backend: 'zipkin-eu', code: 'BACKEND_UNAVAILABLE', httpStatus: 500, detail: error.message }),
    ]);
  });

  it('logs two failures twice', () => {
    const logs = captureLogs('debug');
    logBackendFailure(logs.logger, 'a', 'x', new BackendError('BACKEND_TIMEOUT', 'a', 'one'));
    logBackendFailure(logs.logger, 'a', 'x', new BackendError('BACKEND_TIMEOUT', 'a', 'two'));
    expect(logs.lines.map((line) => line.detail)).toEqual(['one', 'two']);
  });

  it('logs a skip (the query is one the backend cannot serve) at debug, not warn', () => {
    const logs = captureLogs('debug');
    logBackendFailure(
      logs.logger,
      'jaeger',
      'BACKEND_UNSUPPORTED',
      new BackendError('BACKEND_UNSUPPORTED', 'jaeger', 'Jaeger needs a service to search'),
    );
    expect(logs.lines.map((line) => line.level)).toEqual([LEVEL.debug]);
  });

  it('logs a timeout the caller ended (no error object) with its reason', () => {
    const logs = captureLogs('debug');
    logBackendFailure(logs.logger, 'slow', 'BACKEND_TIMEOUT', undefined, 'no answer within the backend timeout of 50 ms');
    expect(logs.lines).toEqual([
      expect.objectContaining({ level: LEVEL.warn, backend: 'slow', detail: 'no answer within the backend timeout of 50 ms' }),
    ]);
  });
});

describe('BackendError.publicReason', () => {
  it.each([
    {
      description: 'an unavailable backend with a status',
      error: new BackendError('BACKEND_UNAVAILABLE', 'b', 'GET /x answered HTTP 503: secret', 503),
      reason: 'unavailable (HTTP 503)',
    },
    {
      description: 'a rejected request',
      error: new BackendError('BACKEND_REJECTED', 'b', 'answered HTTP 400: secret', 400),
      reason: 'rejected the request (HTTP 400)',
    },
    {
      description: 'an unreadable body',
      error: new BackendError('BACKEND_BAD_RESPONSE', 'b', 'unexpected body {"secret":1}'),
      reason: 'answered with a body Tracegate could not read',
    },
    { description: 'a timeout', error: new BackendError('BACKEND_TIMEOUT', 'b', 'POST /secret-index/_search timed out'), reason: 'timed out' },
    {
      description: "an unsupported query (Tracegate's own words)",
      error: new BackendError('BACKEND_UNSUPPORTED', 'b', 'Jaeger needs a service to search'),
      reason: 'Jaeger needs a service to search',
    },
    {
      description: 'an explicit reason',
      error: new BackendError('BACKEND_UNAVAILABLE', 'b', 'secret', undefined, { publicReason: '2 of 5 shards failed' }),
      reason: '2 of 5 shards failed',
    },
  ])('is made from the code and status for $description', ({ error, reason }) => {
    expect(error.publicReason).toBe(reason);
  });

  it('is the detail a health probe shows, while the log gets the message', () => {
    const logs = captureLogs('debug');
    const detail = unhealthyDetail(
      logs.logger,
      'es',
      new BackendError('BACKEND_UNAVAILABLE', 'es', 'connect ECONNREFUSED 10.1.1.1:9200', undefined, { publicReason: 'connection failed' }),
    );
    expect(detail).toBe('connection failed');
    expect(logs.lines[0]).toMatchObject({ backend: 'es', detail: 'connect ECONNREFUSED 10.1.1.1:9200' });
    expect(unhealthyDetail(logs.logger, 'es', new TypeError('bug'))).toBe('health probe failed (details in the gateway log)');
  });
});
