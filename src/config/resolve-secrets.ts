/**
 * Secrets out of the YAML file: before validation, load.ts passes the parsed file through here, so
 * every block (backends and their headers, auth, the Redis url) takes its values from the
 * environment or from files without knowing it.
 *
 * - `${NAME}` inside any string value is replaced by the environment variable NAME; `${NAME:-text}`
 *   uses `text` when NAME is unset or empty (the shell's rule); `$${` writes a literal `${`. A
 *   variable that is unset and has no default is an error naming the key and the variable.
 * - Any string field `x` may instead be given as `xFile: /path`: the file's content, trimmed (a
 *   mounted Kubernetes secret or `echo` leaves a trailing newline), becomes `x`. Giving both is an
 *   error. This works inside maps too: `headers: { AuthorizationFile: /run/secrets/token }` sends
 *   `Authorization`. The path may itself use `${…}`; it is read relative to the working directory,
 *   as `tls.caFile` is. The content is taken as it is, never expanded again (a secret may hold `${`).
 *
 * Fields that already name a file their own module reads (FILE_FIELDS) keep their meaning.
 * Values are never written into an error message, only keys, variable names and paths.
 */
import { readFileSync } from 'node:fs';

/** Schema fields ending in `File` that are paths read by their own module, not `xFile` secrets (test/config/resolve-secrets.test.ts finds them all). */
export const FILE_FIELDS: ReadonlySet<string> = new Set(['caFile', 'jwksFile']);

/** A reference that cannot be resolved; load.ts turns it into a ConfigError. */
export class ConfigReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigReferenceError';
  }
}

// `$${` (escape), or `${NAME}` / `${NAME:-default}`; any other `${` is a mistake we name rather than pass on.
const REFERENCE = /\$(\$)?\{(?:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\})?/g;

const keyPath = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function expand(text: string, at: string, env: NodeJS.ProcessEnv): string {
  return text.replace(REFERENCE, (whole: string, escaped: string | undefined, name: string | undefined, fallback: string | undefined) => {
    if (escaped !== undefined) return whole.slice(1); // `$${NAME}` → `${NAME}`, `$${` → `${`
    if (name === undefined) {
      throw new ConfigReferenceError(
        `${at || '(root)'}: '\${' must start a reference \${NAME} or \${NAME:-default}; write '$\${' for a literal '\${'`,
      );
    }
    const value = env[name];
    if (value !== undefined && (value !== '' || fallback === undefined)) return value;
    if (fallback !== undefined) return fallback;
    throw new ConfigReferenceError(`${at || '(root)'}: environment variable ${name} is not set (set it, or give a default: \${${name}:-…})`);
  });
}

function readSecretFile(path: string, at: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigReferenceError(`${at}: cannot read '${path}' (${code})`);
  }
}

function resolveMapping(mapping: Record<string, unknown>, at: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(mapping)) out[key] = resolveValue(value, keyPath(at, key), env);
  for (const key of Object.keys(out)) {
    if (!key.endsWith('File') || key === 'File' || FILE_FIELDS.has(key)) continue;
    const target = key.slice(0, -'File'.length);
    const path = out[key];
    if (typeof path !== 'string') continue; // not ours: the schema names a wrong type itself
    if (target in mapping) throw new ConfigReferenceError(`${keyPath(at, key)}: give ${target} or ${key}, not both`);
    out[target] = readSecretFile(path, keyPath(at, key));
    delete out[key];
  }
  return out;
}

function resolveValue(value: unknown, at: string, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return expand(value, at, env);
  if (Array.isArray(value)) return value.map((item, index) => resolveValue(item, keyPath(at, index), env));
  if (typeof value === 'object' && value !== null) return resolveMapping(value as Record<string, unknown>, at, env);
  return value;
}

/** The parsed config with every `${…}` expanded and every `xFile` read into `x`; the input is not changed. */
export function resolveSecrets(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  return resolveMapping(raw, '', env);
}
