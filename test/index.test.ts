/**
 * The real entry point (src/index.ts through tsx, as `npm run dev` starts it) in a process of its
 * own: what an operator sees when start-up cannot go on. Each run exits by itself within a second;
 * the spawn is bounded anyway.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));
/** A Debian machine may have an older system Node; when it does, it is the most honest test. */
const SYSTEM_NODE = '/usr/bin/node';

interface Run {
  code: number | null;
  stderr: string;
  stdout: string;
}

function runEntry(args: string[], env: Record<string, string> = {}, node = process.execPath): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [...args, '--import', 'tsx', ENTRY], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => void (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => void (stderr += String(chunk)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

function systemNodeMajor(): number | null {
  try {
    const result = execFileSync(SYSTEM_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }) as string;
    return Number.parseInt(result, 10);
  } catch {
    return null;
  }
}

// Each spawn compiles the entry point with tsx: about a second alone, more beside other test files.
describe('the entry point', { timeout: 30_000 }, () => {
  it('refuses an older Node before loading anything, saying which version it needs', async () => {
    // process.versions.node as Node 20 reports it, set before index.ts runs.
    const fake = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.20.2"})';
    const run = await runEntry(['--import', fake]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'tracegate: cannot start: Node.js 22 or newer is required, this is 20.20.2: older versions round 64-bit integers from the backends (JSON.parse gives revivers no source text). Install Node.js 22 or 24 LTS.\n',
    );
    expect(run.stdout).toBe('');
  });

  const major = systemNodeMajor();
  it.runIf(major !== null && major < 22)(`refuses the system's Node ${major} the same way`, async () => {
    const run = await runEntry([], {}, SYSTEM_NODE);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tracegate: cannot start: Node\.js 22 or newer is required, this is \d+\.\d+\.\d+/);
  });

  it('names the trace file and the reason when one cannot be read, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-entry-'));
    const traces = join(dir, 'broken-export.json');
    writeFileSync(traces, '{"data": [ {"traceID": ');
    const config = join(dir, 'tracegate.yaml');
    writeFileSync(config, `backends:\n  - { name: files, kind: memory, files: [${JSON.stringify(traces)}] }\n`);
    const run = await runEntry([], { TRACEGATE_CONFIG: config });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`tracegate: cannot start: backend 'files': cannot load trace file '${traces}': the file is not valid JSON`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('names a missing trace file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-entry-'));
    const config = join(dir, 'tracegate.yaml');
    writeFileSync(config, `backends:\n  - { name: files, kind: memory, files: [${JSON.stringify(join(dir, 'nope.json'))}] }\n`);
    const run = await runEntry([], { TRACEGATE_CONFIG: config });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot load trace file '${join(dir, 'nope.json')}': ENOENT`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('names a misspelt key inside a section, with the key it probably meant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-entry-'));
    const config = join(dir, 'tracegate.yaml');
    writeFileSync(config, 'server:\n  prot: 4100\nbackends:\n  - { name: demo, kind: memory, demo: true, timeoutMS: 100 }\n');
    const run = await runEntry([], { TRACEGATE_CONFIG: config });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("tracegate: invalid configuration: server.prot: unknown key (did you mean 'port'?)\n");
  });
});
