/**
 * Production starts from the build, without dev dependencies: `npm ci --omit=dev`, then
 * `node dist/index.js` (README, "Production"). The build here is the real one (tsconfig.build.json)
 * written to a temporary folder laid out like a deployment: dist/, schema.graphql (read at run time),
 * package.json, and a node_modules that holds only the packages of `dependencies`. So an import of a
 * dev dependency, or of a package that is merely hoisted into node_modules, fails here as it would
 * in production: statically for every import in dist/, and at run time for the start-up path, the
 * health check and the explorer's assets.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { builtinModules } from 'node:module';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const BUILTINS = new Set(builtinModules);

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? jsFiles(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  );
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('production start', { timeout: 120_000 }, () => {
  const deployment = mkdtempSync(join(tmpdir(), 'tracegate-dist-'));
  const dist = join(deployment, 'dist');
  afterAll(() => rmSync(deployment, { recursive: true, force: true }));

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'src', 'schema', 'generated.ts')))
      throw new Error('src/schema/generated.ts is missing: run `npm run codegen` (npm test does)');
    const build = spawnSync(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', dist, '--sourceMap', 'false'], {
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}${build.stderr}`);
    copyFileSync(join(ROOT, 'schema.graphql'), join(deployment, 'schema.graphql'));
    copyFileSync(join(ROOT, 'package.json'), join(deployment, 'package.json'));
    for (const name of Object.keys(PACKAGE.dependencies)) {
      const link = join(deployment, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', name), link, 'dir');
    }
  }, 120_000);

  it('imports only Node built-ins, its own files and the packages of `dependencies`', () => {
    // A folder above the deployment holding node_modules would let a stray import resolve there.
    for (let dir = dirname(deployment); dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
    const problems: string[] = [];
    const files = jsFiles(dist);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      // Static imports, re-exports, import() and require() with a literal specifier.
      for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
        const at = `${relative(dist, file)}: '${specifier}'`;
        if (specifier.startsWith('.')) {
          if (!existsSync(resolve(dirname(file), specifier))) problems.push(`${at} is not in dist/`);
        } else if (specifier.startsWith('node:') || BUILTINS.has(specifier)) {
          // Node's own module: nothing to install.
        } else if (packageOf(specifier) in PACKAGE.devDependencies) {
          problems.push(`${at} is a devDependency`);
        } else if (!(packageOf(specifier) in PACKAGE.dependencies)) {
          problems.push(`${at} is not in dependencies`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('starts with `node dist/index.js` and answers /healthz, GraphQL and the explorer on an ephemeral port', async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
    const child: ChildProcess = spawn(process.execPath, [join(dist, 'index.js')], { cwd: deployment, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    onTestFinished(async () => {
      child.kill('SIGTERM');
      await exited;
    });
    let output = '';
    child.stderr!.on('data', (chunk) => void (output += String(chunk)));
    const base = await new Promise<string>((done, fail) => {
      child.stdout!.on('data', (chunk) => {
        output += String(chunk);
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
        if (match) done(match[1]!);
      });
      void exited.then((code) => fail(new Error(`node dist/index.js exited with ${code}:\n${output}`)));
    });

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const graphql = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ services { services { name } } }' }),
    });
    expect(graphql.status).toBe(200);
    expect(((await graphql.json()) as { errors?: unknown }).errors).toBeUndefined();
    for (const asset of ['react.js', 'graphiql.js']) expect((await fetch(`${base}/explorer/assets/${asset}`)).status, asset).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200); // from the start-up health check (server/health-monitor.ts)

    // SIGTERM drains and exits 0 (server/shutdown.ts), as an orchestrator stopping the container expects.
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"shut down"');
  });
});

describe('npm start builds only a stale dist/ (scripts/build-if-stale.mjs)', () => {
  const root = mkdtempSync(join(tmpdir(), 'tracegate-stale-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const SCRIPT = join(ROOT, 'scripts', 'build-if-stale.mjs');
  const at = (path: string, secondsAgo: number): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    if (!existsSync(join(root, path))) writeFileSync(join(root, path), '');
    const when = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(root, path), when, when);
  };
  const check = (): { isStale: boolean; said: string } => {
    const run = spawnSync(process.execPath, [SCRIPT, '--check'], { cwd: root, encoding: 'utf8' });
    return { isStale: run.status === 1, said: run.stdout.trim() };
  };

  // Table-driven, in order: each case changes one file's time (or removes a folder) on top of the previous ones.
  const cases: Array<{ description: string; touch: Array<[string, number]>; remove?: string; isStale: boolean }> = [
    { description: 'no dist/ at all is stale', touch: [['src/index.ts', 100]], isStale: true },
    { description: 'a dist/ newer than every source is fresh', touch: [['dist/index.js', 50]], isStale: false },
    { description: 'a regenerated src/schema/generated.ts does not count', touch: [['src/schema/generated.ts', 10]], isStale: false },
    { description: 'an edited source file makes it stale', touch: [['src/server/create-server.ts', 10]], isStale: true },
    { description: 'a new build makes it fresh again', touch: [['dist/index.js', 5]], isStale: false },
    { description: 'an edited schema.graphql makes it stale', touch: [['schema.graphql', 1]], isStale: true },
    { description: 'a deployment (dist/ without src/) is fresh, however new its copied files', touch: [], remove: 'src', isStale: false },
  ];
  it.each(cases)('$description', ({ touch, remove, isStale }) => {
    if (remove !== undefined) rmSync(join(root, remove), { recursive: true });
    for (const [path, secondsAgo] of touch) at(path, secondsAgo);
    const result = check();
    expect(result.isStale, result.said).toBe(isStale);
  });
});
