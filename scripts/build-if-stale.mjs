/**
 * `npm start`'s prestart: builds dist/ only when it is older than what it is built from, so a checkout
 * serves its current code without a rebuild on every start, and a deployment that ships a built dist/
 * (installed with `npm ci --omit=dev`, which has no compiler) starts without building at all.
 *
 *   node scripts/build-if-stale.mjs           # runs `npm run build` when dist/ is stale
 *   node scripts/build-if-stale.mjs --check   # only says: exit 0 when dist/ is fresh, 1 when stale
 *
 * Works on the current directory (npm runs it in the package root). dist/ is stale when
 * dist/index.js is missing or older than a file under src/ or one of the build's inputs below.
 * src/schema/generated.ts is left out: codegen rewrites it from schema.graphql and codegen.yml, which
 * are in. Without src/ (a deployment) a present dist/ is never stale: there is nothing to build from. Plain JavaScript with Node's own modules only, so it runs where the dev dependencies are not
 * installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const BUILD_INPUTS = ['schema.graphql', 'codegen.yml', 'tsconfig.json', 'tsconfig.build.json'];
const GENERATED = join('src', 'schema', 'generated.ts');

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Why dist/ in `root` must be rebuilt, or null when it is newer than every input. */
function staleReason(root) {
  const built = join(root, 'dist', 'index.js');
  if (!existsSync(built)) return 'dist/index.js does not exist';
  // A deployment ships dist/ without src/: nothing to build from, whatever the copied files' times.
  if (!existsSync(join(root, 'src'))) return null;
  const builtAt = statSync(built).mtimeMs;
  const inputs = [
    ...filesUnder(join(root, 'src')).filter((path) => relative(root, path) !== GENERATED),
    ...BUILD_INPUTS.map((name) => join(root, name)),
  ];
  for (const input of inputs) {
    if (existsSync(input) && statSync(input).mtimeMs > builtAt) return `${relative(root, input)} is newer than dist/index.js`;
  }
  return null;
}

function main() {
  const root = process.cwd();
  const reason = staleReason(root);
  if (process.argv.includes('--check')) {
    process.stdout.write(reason === null ? 'dist/ is up to date\n' : `dist/ is stale: ${reason}\n`);
    process.exitCode = reason === null ? 0 : 1;
    return;
  }
  if (reason === null) {
    process.stdout.write('dist/ is up to date; not building\n');
    return;
  }
  process.stdout.write(`dist/ is stale (${reason}); building\n`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status === 0) return;
  if (!existsSync(join(root, 'node_modules', 'typescript'))) {
    process.stderr.write(
      'Building dist/ needs the dev dependencies (TypeScript, GraphQL Code Generator): run `npm ci`, then `npm run build`; or ship a built dist/ and start it with `node dist/index.js`.\n',
    );
  }
  process.exitCode = build.status ?? 1;
}

main();
