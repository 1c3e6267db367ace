/**
 * Detached server processes with pid files: a server started by one command (`backends:up`, a test
 * run's global setup) can be found and stopped by another. Each process leads its own process group,
 * so stopping it also stops what its launcher started (runuser → java).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync, existsSync } from 'node:fs';
import { logFile, pidFile, RUN_DIR } from './paths.js';

export interface StartSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export function startDetached(spec: StartSpec): number {
  mkdirSync(RUN_DIR, { recursive: true });
  const log = openSync(logFile(spec.name), 'w');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
  child.unref();
  writeFileSync(pidFile(spec.name), String(child.pid));
  return child.pid;
}

export function readPid(name: string): number | null {
  if (!existsSync(pidFile(name))) return null;
  const pid = Number(readFileSync(pidFile(name), 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Stops the named server (SIGTERM, then SIGKILL after `graceMs`); true when one was running. */
export async function stopProcess(name: string, graceMs = 15_000): Promise<boolean> {
  const pid = readPid(name);
  rmSync(pidFile(name), { force: true });
  if (pid === null || !isAlive(pid)) return false;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return true;
}

/** Kills the named server at once (SIGKILL): what a crash looks like to its clients. */
export function killProcess(name: string): void {
  const pid = readPid(name);
  if (pid !== null) signalGroup(pid, 'SIGKILL');
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns true. Fails after `timeoutMs` with the tail of the server's log,
 * or at once when the process it watches has died.
 */
export async function waitUntil(name: string, check: () => Promise<boolean>, timeoutMs: number, pid?: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    if (pid !== undefined && !isAlive(pid)) throw new Error(`${name} exited during start-up.\n${logTail(name)}`);
    await sleep(250);
  }
  throw new Error(`${name} was not healthy after ${Math.round(timeoutMs / 1000)} s.\n${logTail(name)}`);
}

export function logTail(name: string, lines = 30): string {
  try {
    const text = readFileSync(logFile(name), 'utf8').trimEnd().split('\n');
    return `last lines of ${logFile(name)}:\n${text.slice(-lines).join('\n')}`;
  } catch {
    return `(no log at ${logFile(name)})`;
  }
}
