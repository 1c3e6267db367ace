/**
 * A TCP proxy on 127.0.0.1 in front of a real server that holds every chunk a client sends for
 * `delayMs` before passing it on: a slow backend without touching the backend. Requests on pooled
 * keep-alive connections are delayed too (delaying only new connections would not be). The delay
 * can be changed while it runs; when the target goes away the client's connection is closed, as a
 * real network would reset it.
 */
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export interface DelayProxy {
  url: string;
  port: number;
  delayMs: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startDelayProxy(target: { host: string; port: number }, delayMs: number): Promise<DelayProxy> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const state = { delayMs };
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer((client) => {
    connections++;
    track(client);
    const upstream = createConnection(target);
    track(upstream);
    // Chunks keep their order even when the delay changes between them.
    let lastDue = 0;
    client.on('data', (chunk) => {
      const due = Math.max(Date.now() + state.delayMs, lastDue);
      lastDue = due;
      setTimeout(() => {
        if (!upstream.destroyed) upstream.write(chunk);
      }, due - Date.now());
    });
    upstream.pipe(client);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
