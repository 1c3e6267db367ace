/**
 * The audit log: one JSON line per API request, written by a pino logger of its own so the sink
 * (stdout or a file) and the level never depend on the service log's settings. Field names are a
 * stable contract (README, "Audit log"); a token or API key never reaches a line: the principal is its
 * id (`jwt:<issuer>|<subject>`, `key:<id>`, `anonymous`).
 */
import { pino, type Logger } from 'pino';
import type { AuditConfig } from './config.js';
import type { RequestTrail } from './trail.js';

export interface AuditRecord {
  requestId: string;
  principal: string;
  tenant: string | null;
  api: string;
  operation: string | null;
  method: string;
  path: string;
  status: number;
  /** ok, partial (some backend did not answer), denied (401/403), rejected (other 4xx), error (5xx). */
  outcome: 'ok' | 'partial' | 'denied' | 'rejected' | 'error';
  traceIds: string[];
  traceIdCount: number;
  backends: Array<{ name: string; outcome: string }>;
  bytes: number;
  durationMs: number;
}

export class AuditLog {
  private readonly logger: Logger;

  constructor(
    private readonly config: AuditConfig,
    destination?: pino.DestinationStream,
  ) {
    const stream = destination ?? (config.sink === 'file' ? pino.destination({ dest: config.file!, mkdir: true, sync: false }) : pino.destination(1));
    // `time` as ISO text: audit lines are read by people and shipped to SIEMs, not only by pino tools.
    this.logger = pino({ base: { audit: true }, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'event' }, stream);
  }

  get maxTraceIds(): number {
    return this.config.maxTraceIds;
  }

  write(record: AuditRecord): void {
    this.logger.info(record, 'request');
  }

  flush(): void {
    this.logger.flush();
  }
}

export function outcomeOf(status: number, trail: RequestTrail): AuditRecord['outcome'] {
  if (status === 401 || status === 403) return 'denied';
  if (status >= 500) return 'error';
  if (status >= 400) return 'rejected';
  for (const state of trail.backends.values()) if (state !== 'OK') return 'partial';
  return 'ok';
}
