/**
 * Where the harness keeps what it downloads, builds and runs: one cache folder outside the repo
 * (TRACEGATE_CACHE, default ~/.cache/tracegate), never committed. Logs and pid files of running
 * servers live in its `run/` folder so `npm run backends:down` and a later test run find them.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE_DIR = process.env.TRACEGATE_CACHE ?? join(homedir(), '.cache', 'tracegate');
export const RUN_DIR = join(CACHE_DIR, 'run');
export const BIN_DIR = join(CACHE_DIR, 'bin');
export const REPO_DIR = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export const VERSIONS = {
  /** Jaeger v2.13.0: the newest release the Go module proxy serves here (see docs/real-servers.md §3). */
  jaegerModule: 'v1.76.0',
  zipkin: '3.6.1',
  /** The newest 8.x integ-test-zip that still answers `GET /`, which Zipkin's ES storage needs. */
  elasticsearch: '8.8.2',
} as const;

export const logFile = (name: string): string => join(RUN_DIR, `${name}.log`);
export const pidFile = (name: string): string => join(RUN_DIR, `${name}.pid`);
