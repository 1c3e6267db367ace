/**
 * Loads configuration: YAML file (TRACEGATE_CONFIG or --config), its `${ENV}` references and `xFile`
 * fields resolved (resolve-secrets.ts), overlaid with environment variables, validated into one
 * typed Config. Any problem stops start-up with ConfigError naming the bad key,
 * e.g. "backends[1].url: Invalid URL".
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AuthConfig } from '../auth/config.js';
import type { BackendKind } from '../backends/backend.js';
import type { BaseBackendConfig } from '../backends/factory.js';
import { backendFactories } from '../backends/registry.js';
import type { RedactionConfig } from '../redaction/config.js';
import type { TenantsConfig } from '../tenancy/config.js';
import type { AuditConfig } from '../audit/config.js';
import type { TelemetryConfig } from '../telemetry/config.js';
import type { MetricsConfig } from '../server/metrics-config.js';
import { checkTenants } from '../tenancy/effective-config.js';
import { cacheConfigSchema, parseCacheConfig, type CacheConfig } from '../cache/config.js';
import { checkHttpTimeouts } from './http-server.js';
import type { HealthConfig } from './operations.js';
import { ConfigReferenceError, resolveSecrets } from './resolve-secrets.js';
import { suggestKey } from './unknown-key.js';
import { checkExecutionTime, rootConfigSchema, type FederationConfig, type LimitsConfig, type ServerConfig } from './schema.js';

export type BackendConfig = BaseBackendConfig & { kind: BackendKind } & Record<string, unknown>;

export interface Config {
  server: ServerConfig;
  limits: LimitsConfig;
  federation: FederationConfig;
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  backends: BackendConfig[];
  cache: CacheConfig;
  redaction: RedactionConfig;
  auth: AuthConfig;
  tenants: TenantsConfig;
  audit: AuditConfig;
  telemetry: TelemetryConfig;
  metrics: MetricsConfig;
  health: HealthConfig;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function formatIssues(error: z.ZodError, prefix: string, schema?: z.ZodType): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
        prefix,
      );
      // A typo (`server.prot`, a backend's `timeoutMS`) is named by its own path, one per key.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys
          .map((key) => {
            const meant = schema && suggestKey(schema, issue.path, key);
            return `${path ? `${path}.` : ''}${key}: unknown key${meant ? ` (did you mean '${meant}'?)` : ''}`;
          })
          .join('; ');
      }
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

/** Environment variables that override the file; documented in the README's configuration table. */
function applyEnvironment(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  const section = (key: string): Record<string, unknown> => {
    const value = out[key];
    const copy = typeof value === 'object' && value !== null ? { ...(value as Record<string, unknown>) } : {};
    out[key] = copy;
    return copy;
  };
  const asNumber = (name: string, text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new ConfigError(`${name}: expected a number, got '${text}'`);
    return value;
  };
  if (env.PORT !== undefined) section('server').port = asNumber('PORT', env.PORT);
  if (env.HOST !== undefined) section('server').host = env.HOST;
  if (env.LOG_LEVEL !== undefined) section('log').level = env.LOG_LEVEL;
  if (env.TRACEGATE_REQUEST_TIMEOUT_MS !== undefined) {
    section('federation').requestTimeoutMs = asNumber('TRACEGATE_REQUEST_TIMEOUT_MS', env.TRACEGATE_REQUEST_TIMEOUT_MS);
  }
  if (env.TRACEGATE_REDIS_URL !== undefined) {
    const cache = section('cache');
    const redis = typeof cache.redis === 'object' && cache.redis !== null ? { ...(cache.redis as object) } : {};
    cache.redis = { ...redis, url: env.TRACEGATE_REDIS_URL };
  }
  return out;
}

function parseBackends(rawBackends: unknown[]): BackendConfig[] {
  const kinds = [...backendFactories.keys()];
  const names = new Set<string>();
  return rawBackends.map((raw, index) => {
    const at = `backends[${index}]`;
    if (typeof raw !== 'object' || raw === null) throw new ConfigError(`${at}: expected an object with name and kind`);
    const kind = (raw as { kind?: unknown }).kind;
    const factory = typeof kind === 'string' ? backendFactories.get(kind as BackendKind) : undefined;
    if (!factory) {
      throw new ConfigError(`${at}.kind: expected one of ${kinds.join(', ')}, got ${JSON.stringify(kind ?? null)}`);
    }
    const result = factory.configSchema.safeParse(raw);
    if (!result.success) throw new ConfigError(formatIssues(result.error, at, factory.configSchema));
    const config = result.data as BackendConfig;
    if (names.has(config.name)) throw new ConfigError(`${at}.name: duplicate backend name '${config.name}'`);
    names.add(config.name);
    return config;
  });
}

export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = {}): Config {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigError('(root): expected a YAML mapping at the top of the config file');
  }
  let resolved: Record<string, unknown>;
  try {
    resolved = resolveSecrets((raw ?? {}) as Record<string, unknown>, env); // `${ENV}` and `xFile`, before anything reads a value
  } catch (error) {
    if (error instanceof ConfigReferenceError) throw new ConfigError(error.message);
    throw error;
  }
  const withEnv = applyEnvironment(resolved, env);
  const result = rootConfigSchema.safeParse(withEnv);
  if (!result.success) throw new ConfigError(formatIssues(result.error, '', rootConfigSchema));
  const root = result.data;
  const executionTimeProblem = checkExecutionTime(root.limits, root.federation);
  if (executionTimeProblem !== null) throw new ConfigError(executionTimeProblem);
  const timeoutProblem = checkHttpTimeouts(root.server.timeouts, root.limits.maxExecutionMs);
  if (timeoutProblem !== null) throw new ConfigError(timeoutProblem);
  const backends = parseBackends(root.backends);
  const names = backends.map((b) => b.name);
  for (const [i, name] of (root.federation.defaultBackends ?? []).entries()) {
    if (!names.includes(name)) {
      throw new ConfigError(`federation.defaultBackends[${i}]: unknown backend '${name}'; configured: ${names.join(', ')}`);
    }
  }
  const tenantProblems = checkTenants(root.tenants, backends);
  if (tenantProblems.length > 0) throw new ConfigError(tenantProblems.join('; '));
  let cache: CacheConfig;
  try {
    cache = parseCacheConfig(root.cache);
  } catch (error) {
    if (error instanceof z.ZodError) throw new ConfigError(formatIssues(error, 'cache', cacheConfigSchema));
    throw error;
  }
  return {
    server: root.server,
    limits: root.limits,
    federation: root.federation,
    log: root.log,
    backends,
    cache,
    auth: root.auth,
    redaction: root.redaction,
    tenants: root.tenants,
    audit: root.audit,
    telemetry: root.telemetry,
    metrics: root.metrics,
    health: root.health,
  };
}

/** Reads the file named by --config or TRACEGATE_CONFIG (if any) and the environment. */
export function loadConfig(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Config {
  const flag = argv.indexOf('--config');
  const path = flag >= 0 ? argv[flag + 1] : env.TRACEGATE_CONFIG;
  let raw: unknown = {};
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read config file '${path}': ${(error as Error).message}`);
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (error) {
      throw new ConfigError(`config file '${path}' is not valid YAML: ${(error as Error).message}`);
    }
  }
  return parseConfig(raw, env);
}
