/**
 * Runs bench/gateway-child.ts (a gateway in a process of its own) and talks to it: its URL, its pid
 * (for /proc/<pid>/status), and, when started with `lag`, its event-loop delay.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface LagStats {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

export interface GatewayProcess {
  url: string;
  pid: number;
  /** Peak resident set (VmHWM) of the process so far, MiB. */
  peakRssMiB(): number;
  /** Starts the event-loop delay histogram again (lag mode only). */
  resetLag(): void;
  /** The event-loop delay since the last reset (lag mode only). */
  lag(): Promise<LagStats>;
  close(): void;
}

export async function startGatewayProcess(
  config: Record<string, unknown>,
  options: { nodeFlags?: readonly string[]; lag?: boolean } = {},
): Promise<GatewayProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      '--import',
      'tsx',
      new URL('../gateway-child.ts', import.meta.url).pathname,
      JSON.stringify(config),
      ...(options.lag ? ['--lag'] : []),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const waiting: Array<(stats: LagStats) => void> = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('READY ')) resolve(line.slice(6));
      if (line.startsWith('LAG ')) waiting.shift()?.(JSON.parse(line.slice(4)) as LagStats);
    });
    child.on('exit', (code) => reject(new Error(`gateway child exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid!,
    peakRssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
    },
    resetLag: () => void child.stdin.write('reset\n'),
    lag: () =>
      new Promise<LagStats>((resolve) => {
        waiting.push(resolve);
        child.stdin.write('report\n');
      }),
    close: () => void child.kill('SIGTERM'),
  };
}
