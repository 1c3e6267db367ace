/**
 * How the backend clients report the size of each response body they read, for the metrics
 * (server/metrics.ts): a Node diagnostics channel, so no client needs a reference to the metrics and a
 * process without a subscriber pays one boolean check per response.
 */
import { channel } from 'node:diagnostics_channel';

export const RESPONSE_BYTES_CHANNEL = 'tracegate:backend:response-bytes';

export interface ResponseBytes {
  backend: string;
  bytes: number;
}

const responseBytes = channel(RESPONSE_BYTES_CHANNEL);

export function reportResponseBytes(backend: string, bytes: number): void {
  if (responseBytes.hasSubscribers && Number.isFinite(bytes) && bytes > 0) responseBytes.publish({ backend, bytes } satisfies ResponseBytes);
}
