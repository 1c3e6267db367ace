/**
 * A cross-process lock on a folder (mkdir is atomic): two test runs or a test run and
 * `backends:up` must not start the same servers at once. A lock whose holder died is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR } from './paths.js';
import { isAlive, sleep } from './process.js';

export async function withLock<T>(name: string, fn: () => Promise<T>, timeoutMs = 1_800_000): Promise<T> {
  const dir = join(RUN_DIR, `${name}.lock`);
  mkdirSync(RUN_DIR, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      break;
    } catch {
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      if (Number.isInteger(holder) && !isAlive(holder)) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for the ${name} lock held by pid ${holder}`);
      else await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
