/**
 * Converts Jaeger UI's critical-path test cases (JavaScript modules) into the JSON fixtures under
 * test/fixtures/jaeger-ui-critical-path/, which test/federation/critical-path-jaeger-ui.test.ts runs.
 *
 *   npx tsx scripts/convert-jaeger-ui-critical-path.ts <jaeger-ui git dir> [commit]
 *
 * Each case is `const trace = {…}` in Jaeger's v1 JSON (or an import of such a JSON file), put through
 * `transformTraceData(…).asOtelTrace()`, and the `criticalPathSections` Jaeger UI expects. The module is
 * evaluated with its imports replaced (transformTraceData by the identity, the JSON import by the file's
 * text, read from the same commit), so the trace lands in the fixture exactly as the test case wrote it.
 * The cases are Apache-2.0, © The Jaeger Authors; each fixture names its source and commit.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';

const CASES_DIR = 'packages/jaeger-ui/src/components/TracePage/CriticalPath/testCases';
const OUT_DIR = 'test/fixtures/jaeger-ui-critical-path';

const [gitDir, commitArg] = process.argv.slice(2);
if (gitDir === undefined) {
  console.error('usage: npx tsx scripts/convert-jaeger-ui-critical-path.ts <jaeger-ui git dir> [commit]');
  process.exit(2);
}
const git = (...args: string[]) => execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8' });
const commit = git('rev-parse', commitArg ?? 'HEAD').trim();

const names = git('ls-tree', '--name-only', `${commit}:${CASES_DIR}`)
  .split('\n')
  .filter((n) => n.endsWith('.js'));

mkdirSync(OUT_DIR, { recursive: true });
for (const name of names) {
  const path = `${CASES_DIR}/${name}`;
  const source = git('show', `${commit}:${path}`);
  const body = source
    .replace(/^import transformTraceData from .*$/m, 'const transformTraceData = (t) => t;')
    .replace(
      /^import (\w+) from '([^']+\.json)';$/m,
      (_, id: string, rel: string) => `const ${id} = ${git('show', `${commit}:${posix.join(CASES_DIR, rel)}`)};`,
    )
    .replace(/\.asOtelTrace\(\)/g, '')
    .replace(/^export default (\w+);$/m, 'return $1;');
  const testCase = new Function(body)() as { trace: unknown; criticalPathSections: unknown };
  // The picture the case draws, as its author drew it: the comment block before the trace.
  const diagram =
    /\/\*\n([\s\S]*?)\*\//
      .exec(source.replace(/^\/\/.*$/gm, ''))?.[1]
      ?.split('\n')
      .map((l) => l.trimEnd()) ?? [];
  const fixture = {
    source: { repository: 'https://github.com/jaegertracing/jaeger-ui', path, commit, license: 'Apache-2.0, Copyright (c) The Jaeger Authors' },
    diagram,
    trace: testCase.trace,
    criticalPathSections: testCase.criticalPathSections,
  };
  const out = join(OUT_DIR, name.replace(/\.js$/, '.json'));
  writeFileSync(out, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`${path} → ${out}`);
}
