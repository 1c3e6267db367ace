/**
 * A gateway over two backends, one holding trace `abc` (service `web`) and one that always fails
 * (BACKEND_UNAVAILABLE): what every API surface must answer as a partial answer.
 */
import { BackendError } from '../../src/errors.js';
import { parseTraceId } from '../../src/model/index.js';
import { startGateway, type TestGateway } from './gateway.js';
import { makeSpan } from './make-span.js';
import { ScriptedBackend } from './scripted-backend.js';

export const PARTIAL_TRACE_ID = parseTraceId('abc');

export function startPartialGateway(): Promise<TestGateway> {
  const good = new ScriptedBackend('good', { spans: [makeSpan('a', { traceId: PARTIAL_TRACE_ID, service: 'web' })], services: ['web'] });
  const down = new ScriptedBackend('down', { fail: new BackendError('BACKEND_UNAVAILABLE', 'down', 'connect ECONNREFUSED 127.0.0.1:1') });
  return startGateway(
    {
      backends: [
        { name: 'good', kind: 'memory' },
        { name: 'down', kind: 'memory' },
      ],
    },
    [good, down],
  );
}
