/**
 * An HTTP proxy on 127.0.0.1 in front of a real backend that records every request it forwards, so
 * tests can count the calls Tracegate makes (cache hits make none, single-flight makes one) and see
 * the headers each one carried.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One forwarded request as it arrived: `rawHeaders` keeps every header line, a repeated name twice. */
export interface RecordedRequest {
  call: string;
  rawHeaders: string[];
}

export interface CountingProxy {
  url: string;
  /** Method and path (with query) of every request forwarded, in order. */
  readonly calls: string[];
  /** The same requests with their headers, in the same order. */
  readonly requests: RecordedRequest[];
  /** Most requests in flight at once so far. */
  readonly maxInFlight: number;
  /** Calls whose path contains `needle`. */
  count(needle: string): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const calls: string[] = [];
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    calls.push(`${req.method} ${req.url}`);
    requests.push({ call: `${req.method} ${req.url}`, rawHeaders: [...req.rawHeaders] });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.destroy();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    count: (needle) => calls.filter((c) => c.includes(needle)).length,
    reset: () => {
      calls.length = 0;
      requests.length = 0;
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
