/**
 * Obtains each real server from the registries this machine reaches, once, into the cache folder:
 * Redis from Debian, Zipkin's exec jar and Elasticsearch's integ-test-zip from Maven Central, Jaeger
 * built from its Go module. When something cannot be obtained the error says what to install or run.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BIN_DIR, CACHE_DIR, VERSIONS } from './paths.js';
import { withLock } from './lock.js';

export class ProvisionError extends Error {}

interface RunResult {
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], env: Record<string, string> = {}, cwd?: string, timeoutMs = 1_200_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env: { ...process.env, ...env }, cwd, timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const tail = `${stderr}${stdout}`.trim().split('\n').slice(-15).join('\n');
        reject(new ProvisionError(`\`${command} ${args.join(' ')}\` failed: ${error.message}\n${tail}`));
      } else resolve({ stdout, stderr });
    });
  });
}

async function have(command: string, args: string[] = ['--version']): Promise<boolean> {
  return run(command, args, {}, undefined, 30_000).then(
    () => true,
    () => false,
  );
}

const provisions = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` once per process for `key`, under a cross-process lock of the same name. `up()` starts
 * servers in parallel and several share a tool (two Redis setups need one `apt-get`, two Jaegers one
 * `go build`): without this, two `apt-get` runs race for the dpkg lock and two builds write one file.
 * `fn` must check whether the tool is already there, since another process may have provisioned it.
 */
export function provisionOnce<T>(key: string, fn: () => Promise<T>): Promise<T> {
  let pending = provisions.get(key) as Promise<T> | undefined;
  if (pending === undefined) {
    pending = withLock(`provision-${key}`, fn);
    provisions.set(key, pending);
    // A failure may be transient (a registry time-out): a later call tries again.
    pending.catch(() => provisions.delete(key));
  }
  return pending;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** `redis-server` and `redis-cli` from Debian's package; installed with apt when running as root. */
export function ensureRedis(): Promise<void> {
  return provisionOnce('apt-redis', installRedis);
}

async function installRedis(): Promise<void> {
  if ((await have('redis-server')) && (await have('redis-cli'))) return;
  if (!isRoot()) throw new ProvisionError('redis-server is not installed: run `sudo apt-get install -y redis-server` (Debian package).');
  await run('apt-get', ['update', '-qq']);
  await run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-qq', 'redis-server'], { DEBIAN_FRONTEND: 'noninteractive' });
}

const m2 = (...parts: string[]): string => join(homedir(), '.m2', 'repository', ...parts);

/** Maven runs one at a time: two `dependency:get` runs write the same local repository. */
function mavenGet(artifact: string, file: string, what: string): Promise<string> {
  return provisionOnce(`maven-${artifact}`, () => withLock('provision-maven', () => mavenGetUnlocked(artifact, file, what)));
}

async function mavenGetUnlocked(artifact: string, file: string, what: string): Promise<string> {
  if (existsSync(file)) return file;
  if (!(await have('mvn', ['-v'])))
    throw new ProvisionError(
      `${what} comes from Maven Central through Maven: install Maven and Java 17 (\`apt-get install -y maven openjdk-17-jdk-headless\`).`,
    );
  await run('mvn', ['-B', '-q', 'dependency:get', `-Dartifact=${artifact}`, '-Dtransitive=false']);
  if (!existsSync(file)) throw new ProvisionError(`Maven reported success but ${file} is missing (${what}).`);
  return file;
}

/** Zipkin's executable jar (`io.zipkin:zipkin-server:<v>:jar:exec`). */
export function ensureZipkinJar(): Promise<string> {
  const v = VERSIONS.zipkin;
  return mavenGet(
    `io.zipkin:zipkin-server:${v}:jar:exec`,
    m2('io', 'zipkin', 'zipkin-server', v, `zipkin-server-${v}-exec.jar`),
    'The Zipkin server',
  );
}

/** The user Elasticsearch runs as: it refuses to run as root. */
export const ES_USER = 'esrun';

/** Elasticsearch's integ-test-zip unpacked into the cache; returns its home folder. */
export function ensureElasticsearch(): Promise<string> {
  return provisionOnce('elasticsearch', unpackElasticsearch);
}

async function unpackElasticsearch(): Promise<string> {
  const v = VERSIONS.elasticsearch;
  const home = join(CACHE_DIR, `elasticsearch-${v}`);
  if (!existsSync(join(home, 'bin', 'elasticsearch'))) {
    const zip = await mavenGet(
      `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${v}:zip`,
      m2('org', 'elasticsearch', 'distribution', 'integ-test-zip', 'elasticsearch', v, `elasticsearch-${v}.zip`),
      'Elasticsearch',
    );
    mkdirSync(CACHE_DIR, { recursive: true });
    await run('unzip', ['-q', '-o', zip, '-d', CACHE_DIR]);
    for (const f of readdirSync(join(home, 'bin'))) chmodSync(join(home, 'bin', f), 0o755);
  }
  if (isRoot()) {
    if (!(await have('id', [ES_USER]))) await run('useradd', ['-r', '-m', ES_USER]);
  }
  return home;
}

export const javaHome = (): string => process.env.ES_JAVA_HOME ?? process.env.JAVA_HOME_17 ?? '/usr/lib/jvm/java-17-openjdk-amd64';

/**
 * The `jaeger` binary. The proxy refuses the commit pseudo-version of v2.20.0 here (403), so it is
 * built from the v1.76.0 module (= Jaeger v2.13.0) inside its own folder, where its `replace`
 * directive applies (docs/real-servers.md §3).
 */
export function ensureJaeger(): Promise<string> {
  return provisionOnce(`jaeger-${VERSIONS.jaegerModule}`, buildJaeger);
}

/** `go` on PATH, else the official installer's location (a login shell adds it to PATH; CI's may not). */
async function goCommand(): Promise<string | undefined> {
  for (const candidate of ['go', '/usr/local/go/bin/go']) if (await have(candidate, ['version'])) return candidate;
  return undefined;
}

async function buildJaeger(): Promise<string> {
  const bin = join(BIN_DIR, `jaeger-${VERSIONS.jaegerModule}`);
  if (existsSync(bin)) return bin;
  const go = await goCommand();
  if (go === undefined)
    throw new ProvisionError('Jaeger is built from its Go module: install Go 1.24+ (https://go.dev/dl or `apt-get install golang`).');
  const env = { GOMODCACHE: join(CACHE_DIR, 'go-mod'), GOCACHE: join(CACHE_DIR, 'go-build'), GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
  const { stdout } = await run(go, ['mod', 'download', '-json', `github.com/jaegertracing/jaeger@${VERSIONS.jaegerModule}`], env);
  const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!dir) throw new ProvisionError(`go mod download gave no folder for Jaeger: ${stdout.slice(0, 500)}`);
  mkdirSync(BIN_DIR, { recursive: true });
  // Built under a temporary name and renamed: a build cut short never leaves a binary that looks done.
  const partial = `${bin}.partial-${process.pid}`;
  await run(go, ['build', '-trimpath', '-o', partial, './cmd/jaeger'], env, dir);
  renameSync(partial, bin);
  return bin;
}

/**
 * Zipkin Lens's static files (the `zipkin-lens/` folder of `BOOT-INF/lib/zipkin-lens-<v>.jar` inside
 * Zipkin's exec jar) extracted once into the cache; returns the folder holding index.html, what
 * `server.compat.zipkin.lens.dir` takes. Extracted with the JDK's `jar` (Java 17 is already needed for
 * Zipkin and Elasticsearch; a fresh Debian has no `unzip`), else `unzip`.
 */
export function ensureZipkinLens(): Promise<string> {
  return provisionOnce(`zipkin-lens-${VERSIONS.zipkin}`, extractZipkinLens);
}

async function extractZipkinLens(): Promise<string> {
  const v = VERSIONS.zipkin;
  const home = join(CACHE_DIR, `zipkin-lens-${v}`);
  const lens = join(home, 'zipkin-lens');
  if (existsSync(join(lens, 'index.html'))) return lens;
  const execJar = await ensureZipkinJar();
  const inner = `BOOT-INF/lib/zipkin-lens-${v}.jar`;
  // Extracted beside its final place and renamed: a run cut short never leaves a folder that looks done.
  const partial = `${home}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    await unpackLens(execJar, inner, partial);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  rmSync(join(partial, 'BOOT-INF'), { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  renameSync(partial, home);
  return lens;
}

/** `inner` out of `execJar`, then its zipkin-lens/ folder, into `into`. */
async function unpackLens(execJar: string, inner: string, into: string): Promise<void> {
  const jdkJar = join(javaHome(), 'bin', 'jar');
  const jar = existsSync(jdkJar) ? jdkJar : 'jar';
  if (await have(jar, ['--version'])) {
    await run(jar, ['xf', execJar, inner], {}, into);
    await run(jar, ['xf', join(into, inner), 'zipkin-lens'], {}, into);
  } else if (await have('unzip', ['-v'])) {
    await run('unzip', ['-q', '-o', execJar, inner, '-d', into]);
    await run('unzip', ['-q', '-o', join(into, inner), 'zipkin-lens/*', '-d', into]);
  } else {
    throw new ProvisionError("Extracting Zipkin Lens needs the JDK's `jar` or `unzip`: `apt-get install -y openjdk-17-jdk-headless` (or `unzip`).");
  }
  if (!existsSync(join(into, 'zipkin-lens', 'index.html'))) throw new ProvisionError(`${inner} of ${execJar} holds no zipkin-lens/index.html.`);
}

/** Debian's `chromium`, the browser the Lens test drives (playwright-core downloads none). */
export const CHROMIUM = '/usr/bin/chromium';

/** Installs Debian's `chromium` with apt when running as root; otherwise says how. */
export function ensureChromium(): Promise<string> {
  return provisionOnce('apt-chromium', installChromium);
}

async function installChromium(): Promise<string> {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (!isRoot())
    throw new ProvisionError(
      `${CHROMIUM} is missing: run \`sudo apt-get update && sudo apt-get install -y chromium\` (Debian package; nothing downloads a browser).`,
    );
  await run('apt-get', ['update', '-qq']);
  await run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-qq', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' });
  if (!existsSync(CHROMIUM)) throw new ProvisionError(`apt-get installed chromium but ${CHROMIUM} is missing.`);
  return CHROMIUM;
}
