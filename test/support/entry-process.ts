/**
 * Starts the real gateway entry point (src/index.ts, through tsx) in a process of its own, with a
 * capped V8 heap, so a test can prove what one request costs the process that serves it: its peak
 * heap (from V8's own `--trace-gc` lines), its peak RSS (VmHWM) and whether it is still alive. It
 * serves the embedded demo data unless a config file is given; no backend server is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface EntryProcess {
  url: string;
  pid: number;
  /** Largest heap in use V8 reported at any collection so far (MiB). */
  peakHeapMiB(): number;
  /** Peak resident set size of the process so far (MiB, Linux VmHWM). */
  peakRssMiB(): number;
  /** Null while the process runs; its exit code or signal once it has stopped. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Everything it wrote to stderr (V8's fatal out-of-memory report lands here). */
  stderr(): string;
  stop(): Promise<void>;
}

export interface EntryProcessOptions {
  /** `--max-old-space-size`, MiB. */
  maxOldSpaceMiB: number;
  env?: Record<string, string>;
}

// `--trace-gc` prints e.g. "[1234:0x5e1…]    2210 ms: Mark-Compact 212.4 (230.1) -> 101.9 (118.3) MB, …":
// the first number is the heap in use when that collection began.
function readPeakRssMiB(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0; // the process has gone
  }
}

const GC_LINE = /: (?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Mark-Compact \(reduce\))[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+)/;

export async function startEntryProcess(options: EntryProcessOptions): Promise<EntryProcess> {
  const child: ChildProcess = spawn(process.execPath, [`--max-old-space-size=${options.maxOldSpaceMiB}`, '--trace-gc', '--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', TRACEGATE_CONFIG: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let peakHeap = 0;
  let stderr = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const gc = GC_LINE.exec(line);
      if (gc) {
        peakHeap = Math.max(peakHeap, Number(gc[1]));
        return;
      }
      if (!line.startsWith('{')) return;
      const listening = /^tracegate listening on (\S+)$/.exec(String((JSON.parse(line) as { msg?: unknown }).msg));
      if (listening) resolve(listening[1]!);
    });
    void exitedPromise.then(() => reject(new Error(`gateway process exited before listening: ${JSON.stringify(exited)}\n${stderr}`)));
  });
  // VmHWM vanishes with the process, so it is also sampled: a process killed by V8 keeps its last value.
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, readPeakRssMiB(child.pid!));
  }, 50);
  sampler.unref();
  void exitedPromise.then(() => clearInterval(sampler));
  return {
    url,
    pid: child.pid!,
    peakHeapMiB: () => peakHeap,
    peakRssMiB: () => Math.max(peakRss, readPeakRssMiB(child.pid!)),
    exit: () => exited,
    stderr: () => stderr,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      await exitedPromise;
    },
  };
}
