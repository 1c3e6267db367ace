/**
 * A client cannot hold a connection for as long as it likes: headers trickled in, a body sent at a
 * byte every 50 ms, or a socket opened and left silent are all cut off by the server.timeouts
 * settings. Raw sockets, because fetch cannot send slowly. Each case is bounded by how much the
 * client sends (never by a clock): it trickles a fixed number of bytes (a few seconds' worth), and
 * passes when the server closed the connection, with 408, before the client got through them.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

const TRICKLE_GAP_MS = 40;
/** Makes the trickled head about 55 bytes: 2.2 s at a byte per gap, several header timeouts (300 ms). */
const SLOW_HEADER = 'y'.repeat(10);

interface Outcome {
  /** What the server wrote before closing. */
  answer: string;
  /** Bytes the client got to send before the connection closed. */
  sent: number;
  closedByServer: boolean;
}

/** Sends `head` at once, then `trickle` one byte per TRICKLE_GAP_MS, until done or the server closes. */
function trickle(url: string, head: string, trickleText: string): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: hostname, port: Number(port) });
    let answer = '';
    let sent = 0;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => void (answer += chunk));
    socket.on('error', () => undefined); // a reset after the server gave up is the expected end
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ answer, sent, closedByServer: sent < trickleText.length });
    });
    socket.on('connect', () => {
      if (head) socket.write(head);
      const next = (): void => {
        if (closed) return;
        if (sent === trickleText.length) {
          // The client got through everything: the server let it (the bug this test is about).
          socket.end();
          return;
        }
        socket.write(trickleText[sent++]!);
        timer = setTimeout(next, TRICKLE_GAP_MS);
      };
      timer = setTimeout(next, TRICKLE_GAP_MS);
    });
    socket.on('timeout', () => reject(new Error('unreachable')));
  });
}

/** Opens a socket and sends nothing; resolves when the server closes it, or after `maxMs` with false. */
function silent(url: string, maxMs: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, maxMs);
    socket.on('error', () => undefined);
    socket.resume(); // read what the server sends, or its closing is never seen
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const body = JSON.stringify({ query: '{ backends { name } }', operationName: null });

describe('connection and request timeouts', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({
      server: { timeouts: { headersMs: 300, requestMs: 500, idleMs: 600, keepAliveMs: 300 } },
      federation: { requestTimeoutMs: 400 },
      limits: { maxExecutionMs: 500 },
    });
  });
  afterAll(() => gateway.close());

  it('answers 408 and closes a connection whose body arrives a byte at a time', async () => {
    const path = new URL(gateway.url).pathname;
    const head = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const outcome = await trickle(gateway.url, head, body);
    expect(outcome.closedByServer).toBe(true);
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection whose headers arrive a byte at a time', async () => {
    const path = new URL(gateway.url).pathname;
    const headers = `GET ${path} HTTP/1.1\r\nHost: x\r\nX-Slow: ${SLOW_HEADER}\r\n\r\n`;
    const outcome = await trickle(gateway.url, '', headers);
    expect(outcome.closedByServer).toBe(true);
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection that never sends a request', async () => {
    // Bounded at six times the header timeout, which is what closes it.
    expect(await silent(gateway.url, 6 * 300)).toBe(true);
  });

  it('closes a kept-alive connection that sends no second request', async () => {
    const { hostname, port, pathname } = new URL(gateway.url);
    const closed = await new Promise<{ answer: string; closed: boolean }>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) });
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => void (answer += chunk));
      socket.on('error', () => undefined);
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ answer, closed: false });
      }, 6 * 600); // Node waits keepAliveMs plus its own keepAliveTimeoutBuffer (1 s) before closing
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ answer, closed: true });
      });
      socket.write(
        `GET ${pathname}?query=%7Bbackends%7Bname%7D%7D HTTP/1.1\r\nHost: x\r\nApollo-Require-Preflight: 1\r\nConnection: keep-alive\r\n\r\n`,
      );
    });
    expect(closed.answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(closed.closed).toBe(true);
  });

  it('still answers a request sent at once', async () => {
    const response = await gateway.query('{ backends { name } }');
    expect(response.status).toBe(200);
  });
});

describe('the idle timeout', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    // The request timeout is long here, so only idleMs can end a request that stalls halfway.
    gateway = await startGateway({
      server: { timeouts: { headersMs: 300, requestMs: 20_000, idleMs: 600 } },
      federation: { requestTimeoutMs: 400 },
      limits: { maxExecutionMs: 500 },
    });
  });
  afterAll(() => gateway.close());

  it('closes a connection that sent half a body and then nothing', async () => {
    const { hostname, port, pathname } = new URL(gateway.url);
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) });
      socket.on('error', () => undefined);
      socket.resume();
      // Bounded at six times the idle timeout; the request timeout (20 s) cannot be what closes it.
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 6 * 600);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
      socket.write(`POST ${pathname} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":`);
    });
    expect(closed).toBe(true);
  });
});
