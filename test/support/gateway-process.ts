/**
 * A Tracegate gateway in a process of its own, under node flags the test chooses (a capped heap:
 * `--max-old-space-size`), for tests that must prove the gateway stays up and within its memory.
 * `heap()` asks the child for its heap after a full collection; `exitCode` says whether it died.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildHeap {
  /** V8 heap in use after two full collections. */
  heapUsedBytes: number;
  /** Memory outside the V8 heap that JS objects hold (Buffers). */
  externalBytes: number;
  rssBytes: number;
}

export interface GatewayProcess {
  url: string;
  /** Base URL without the GraphQL path, for /metrics. */
  origin: string;
  heap(): Promise<ChildHeap>;
  /** Null while the process runs. */
  readonly exitCode: number | null;
  /** Fatal output (V8's out-of-memory report) seen so far. */
  readonly stderr: string;
  stop(): Promise<void>;
}

const CHILD = new URL('./gateway-process-child.ts', import.meta.url).pathname;

export async function startGatewayProcess(config: Record<string, unknown>, nodeFlags: readonly string[]): Promise<GatewayProcess> {
  const child: ChildProcess = fork(CHILD, [JSON.stringify(config)], {
    execArgv: ['--expose-gc', ...nodeFlags, '--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) resolve(line.slice('READY '.length));
    });
    child.once('exit', (code) => reject(new Error(`gateway process exited (${code}) before it listened:\n${stderr}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    get exitCode() {
      return child.exitCode ?? (child.signalCode !== null ? -1 : null);
    },
    get stderr() {
      return stderr;
    },
    heap() {
      return new Promise<ChildHeap>((resolve, reject) => {
        const onMessage = (message: { type?: string } & ChildHeap) => {
          if (message.type !== 'heap') return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(message);
        };
        const onExit = (code: number | null) => reject(new Error(`gateway process exited (${code}):\n${stderr}`));
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ type: 'heap' });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
