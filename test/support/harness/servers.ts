/**
 * The real servers the integration tests and benchmarks talk to, all on 127.0.0.1: how each is
 * started, when it counts as healthy, and which it needs first. `up()` reuses a healthy server
 * (started by `npm run backends:up` or an earlier run) and starts the rest; `down()` stops every
 * server the harness started. Extra instances on other ports (a Zipkin to kill mid-test) come from the
 * same builders.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CACHE_DIR, REPO_DIR, RUN_DIR } from './paths.js';
import { readPid, startDetached, stopProcess, waitUntil } from './process.js';
import { ensureElasticsearch, ensureJaeger, ensureRedis, ensureZipkinJar, ES_USER, javaHome, run } from './provision.js';
import { withLock } from './lock.js';

export interface ServerDef {
  name: string;
  /** Servers that must be healthy before this one starts. */
  needs: string[];
  healthy(): Promise<boolean>;
  /** Obtains the software (cached) and starts the server; returns once it was launched. */
  start(): Promise<void>;
  /** Names of the processes (pid files) that make up this server. */
  processes: string[];
  startTimeoutMs: number;
}

export const ENDPOINTS = {
  redis: { host: '127.0.0.1', port: 6390 },
  redisCluster: [7101, 7102, 7103].map((port) => ({ host: '127.0.0.1', port })),
  zipkin: 'http://127.0.0.1:9411',
  jaeger: { query: 'http://127.0.0.1:16686', otlp: 'http://127.0.0.1:4318' },
  elasticsearch: 'http://127.0.0.1:9200',
  jaegerEs: { query: 'http://127.0.0.1:16696', otlp: 'http://127.0.0.1:4328' },
  zipkinEs: 'http://127.0.0.1:9421',
} as const;

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.ok;
}

async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {}, undefined, 10_000);
  return stdout;
}

function redisArgs(port: number, dir: string): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
}

/** A standalone Redis; restartable under the same name (tests kill and restart it). */
export function redisServer(name: string, port: number): ServerDef {
  return {
    name,
    needs: [],
    processes: [name],
    startTimeoutMs: 20_000,
    healthy: async () => (await redisCli(port, 'ping')).trim() === 'PONG',
    async start() {
      await ensureRedis();
      const dir = join(RUN_DIR, name);
      mkdirSync(dir, { recursive: true });
      startDetached({ name, command: 'redis-server', args: redisArgs(port, dir) });
    },
  };
}

/** Three masters, no replicas: the smallest real Redis Cluster. */
export function redisCluster(name: string, ports: readonly number[]): ServerDef {
  const nodeName = (port: number) => `${name}-${port}`;
  const clusterOk = async () =>
    (await Promise.all(ports.map((p) => redisCli(p, 'cluster', 'info')))).every((info) => info.includes('cluster_state:ok'));
  return {
    name,
    needs: [],
    processes: ports.map(nodeName),
    startTimeoutMs: 30_000,
    healthy: clusterOk,
    async start() {
      await ensureRedis();
      for (const port of ports) {
        await stopProcess(nodeName(port));
        // A stale nodes.conf would rejoin an old cluster: every start begins empty.
        const dir = join(RUN_DIR, nodeName(port));
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        const args = [...redisArgs(port, dir), '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'];
        startDetached({ name: nodeName(port), command: 'redis-server', args });
      }
      for (const port of ports) await waitUntil(nodeName(port), async () => (await redisCli(port, 'ping')).trim() === 'PONG', 15_000);
      await run(
        'redis-cli',
        ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
        {},
        undefined,
        60_000,
      );
    },
  };
}

export function zipkinServer(name: string, port: number, storage: 'mem' | 'elasticsearch' = 'mem'): ServerDef {
  const url = `http://127.0.0.1:${port}`;
  return {
    name,
    needs: storage === 'elasticsearch' ? ['elasticsearch'] : [],
    processes: [name],
    startTimeoutMs: 120_000,
    healthy: () => httpOk(`${url}/health`),
    async start() {
      const jar = await ensureZipkinJar();
      const env: Record<string, string> =
        storage === 'mem'
          ? { STORAGE_TYPE: 'mem' }
          : { STORAGE_TYPE: 'elasticsearch', ES_HOSTS: ENDPOINTS.elasticsearch, ES_INDEX_SHARDS: '1', ES_INDEX_REPLICAS: '0' };
      startDetached({
        name,
        command: join(javaHome(), 'bin', 'java'),
        // The armeria.ports list is replaced as a whole: all three keys bind it to loopback only.
        args: [
          '-Xmx512m',
          '-XX:TieredStopAtLevel=1',
          '-jar',
          jar,
          `--armeria.ports[0].port=${port}`,
          '--armeria.ports[0].ip=127.0.0.1',
          '--armeria.ports[0].protocols[0]=http',
        ],
        env,
      });
    },
  };
}

interface JaegerPorts {
  query: number;
  queryGrpc: number;
  otlpHttp: number;
  otlpGrpc: number;
  health: number;
}

/** `indexPrefix` (ES storage only): a private writer's indexes stay apart from the shared ones. */
export function jaegerServer(name: string, ports: JaegerPorts, storage: 'memory' | 'elasticsearch' = 'memory', indexPrefix = ''): ServerDef {
  return {
    name,
    needs: storage === 'elasticsearch' ? ['elasticsearch'] : [],
    processes: [name],
    startTimeoutMs: 60_000,
    healthy: async () => (await httpOk(`http://127.0.0.1:${ports.health}/status`)) && (await httpOk(`http://127.0.0.1:${ports.query}/api/services`)),
    async start() {
      const bin = await ensureJaeger();
      startDetached({
        name,
        command: bin,
        args: ['--config', join(REPO_DIR, 'scripts', 'config', `jaeger-${storage}.yaml`)],
        env: {
          JAEGER_QUERY_PORT: String(ports.query),
          JAEGER_QUERY_GRPC_PORT: String(ports.queryGrpc),
          JAEGER_OTLP_HTTP_PORT: String(ports.otlpHttp),
          JAEGER_OTLP_GRPC_PORT: String(ports.otlpGrpc),
          JAEGER_HEALTH_PORT: String(ports.health),
          JAEGER_ES_URL: ENDPOINTS.elasticsearch,
          JAEGER_ES_INDEX_PREFIX: indexPrefix,
        },
      });
    },
  };
}

export function elasticsearchServer(name: string, httpPort: number): ServerDef {
  const url = `http://127.0.0.1:${httpPort}`;
  return {
    name,
    needs: [],
    processes: [name],
    startTimeoutMs: 180_000,
    healthy: () => httpOk(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`),
    async start() {
      const home = await ensureElasticsearch();
      // Every start begins with empty indexes, so the dataset's times match what the tests load.
      const data = join(CACHE_DIR, `${name}-data`);
      const logs = join(CACHE_DIR, `${name}-logs`);
      rmSync(data, { recursive: true, force: true });
      mkdirSync(data, { recursive: true });
      mkdirSync(logs, { recursive: true });
      const settings = [
        'discovery.type=single-node',
        'network.host=127.0.0.1',
        `http.port=${httpPort}`,
        `transport.port=${httpPort + 100}`,
        `path.data=${data}`,
        `path.logs=${logs}`,
        'xpack.security.enabled=false',
        'cluster.routing.allocation.disk.threshold_enabled=false',
        'action.destructive_requires_name=false',
      ].flatMap((s) => ['-E', s]);
      const esEnv = { ES_JAVA_HOME: javaHome(), ES_JAVA_OPTS: '-Xms512m -Xmx512m' };
      const asRoot = process.getuid?.() === 0;
      if (asRoot) {
        await run('chown', ['-R', `${ES_USER}:${ES_USER}`, home, data, logs]);
        await letUserTraverse(CACHE_DIR);
      }
      startDetached(
        asRoot
          ? {
              name,
              command: 'runuser',
              args: [
                '-u',
                ES_USER,
                '--',
                'env',
                ...Object.entries(esEnv).map(([k, v]) => `${k}=${v}`),
                join(home, 'bin', 'elasticsearch'),
                ...settings,
              ],
            }
          : { name, command: join(home, 'bin', 'elasticsearch'), args: settings, env: esEnv },
      );
    },
  };
}

/**
 * The cache lives under root's home (mode 700): the Elasticsearch user needs to pass through (x, not
 * read) every folder above its own.
 */
async function letUserTraverse(dir: string): Promise<void> {
  for (let d = dir; d !== dirname(d); d = dirname(d)) await run('chmod', ['o+x', d]);
}

/** Every server `npm run backends:up` starts, in the order they are listed in the README. */
export const SERVERS: readonly ServerDef[] = [
  redisServer('redis', ENDPOINTS.redis.port),
  redisCluster(
    'redis-cluster',
    ENDPOINTS.redisCluster.map((e) => e.port),
  ),
  zipkinServer('zipkin', 9411),
  jaegerServer('jaeger', { query: 16686, queryGrpc: 16685, otlpHttp: 4318, otlpGrpc: 4317, health: 13133 }),
  elasticsearchServer('elasticsearch', 9200),
  jaegerServer('jaeger-es', { query: 16696, queryGrpc: 16695, otlpHttp: 4328, otlpGrpc: 4327, health: 13143 }, 'elasticsearch'),
  zipkinServer('zipkin-es', 9421, 'elasticsearch'),
];

export interface UpResult {
  started: string[];
  reused: string[];
  /** Seconds each started server took from launch to healthy. */
  seconds: Record<string, number>;
}

async function isHealthy(def: ServerDef): Promise<boolean> {
  return def.healthy().catch(() => false);
}

/** Starts (or reuses) `defs` and waits until each is healthy; dependencies first, the rest in parallel. */
export async function up(defs: readonly ServerDef[] = SERVERS, log: (line: string) => void = () => {}): Promise<UpResult> {
  return withLock('harness', async () => {
    const result: UpResult = { started: [], reused: [], seconds: {} };
    const done = new Map<string, Promise<void>>();
    const byName = new Map(defs.map((d) => [d.name, d]));
    const bring = (def: ServerDef): Promise<void> => {
      let p = done.get(def.name);
      if (p === undefined) {
        p = (async () => {
          await Promise.all(def.needs.map((n) => (byName.has(n) ? bring(byName.get(n)!) : Promise.resolve())));
          if (await isHealthy(def)) {
            result.reused.push(def.name);
            log(`${def.name}: already running, reused`);
            return;
          }
          for (const proc of def.processes) await stopProcess(proc);
          const t0 = Date.now();
          log(`${def.name}: starting`);
          await def.start();
          await waitUntil(def.processes[0]!, () => isHealthy(def), def.startTimeoutMs, readPid(def.processes[0]!) ?? undefined);
          result.seconds[def.name] = (Date.now() - t0) / 1000;
          result.started.push(def.name);
          log(`${def.name}: healthy after ${result.seconds[def.name]!.toFixed(1)} s`);
        })();
        done.set(def.name, p);
      }
      return p;
    };
    const outcomes = await Promise.allSettled(defs.map(bring));
    const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`${defs[i]!.name}: ${(o.reason as Error).message}`] : []));
    if (failures.length > 0) throw new Error(`Could not start the real backends:\n${failures.join('\n\n')}`);
    return result;
  });
}

/**
 * Stops the named servers (a name outside SERVERS is a private instance's process name), or every
 * server the harness has a pid file for.
 */
export async function down(names?: readonly string[]): Promise<string[]> {
  const processes = names
    ? names.flatMap((n) => SERVERS.find((d) => d.name === n)?.processes ?? [n])
    : readdirSafe(RUN_DIR)
        .filter((f) => f.endsWith('.pid'))
        .map((f) => f.slice(0, -4));
  const stopped = await Promise.all(processes.map(async (p) => ((await stopProcess(p)) ? p : null)));
  return stopped.filter((p): p is string => p !== null);
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
