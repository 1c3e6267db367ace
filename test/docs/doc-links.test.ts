/**
 * Comments and docs point at files a reader of a clone can open (scripts/check-doc-links.ts): first the
 * checker itself on a small made-up repository, then this repository.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDocPointers, staleDocPointers, type DocPointer } from '../../scripts/check-doc-links.js';

describe('check-doc-links', () => {
  const outer = mkdtempSync(join(tmpdir(), 'doc-links-'));
  afterAll(() => rmSync(outer, { recursive: true, force: true }));
  const root = join(outer, 'repo');
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('README.md', '# Readme\n');
  write('docs/x.md', '# X\n\n## 1. One\n\n### 1.2 One two\n\n### 1.3 One three\n');
  write('notes/sub/NOTES.md', 'notes\n');
  writeFileSync(join(outer, 'outside.md'), '## 1. Outside\n');

  // Each case is one source file holding one line; `stale` is whether its one pointer is stale.
  const cases: Array<{ description: string; source: string; pointers: number; stale: boolean }> = [
    { description: 'a docs file and a section it has', source: '// docs/x.md §1.2', pointers: 1, stale: false },
    { description: 'a range whose ends both exist', source: '// docs/x.md §1.2–1.3', pointers: 1, stale: false },
    { description: 'a list of sections that all exist', source: '/** see docs/x.md §1, §1.3 */', pointers: 1, stale: false },
    { description: 'a section the file lacks', source: '// docs/x.md §9.1', pointers: 1, stale: true },
    { description: 'a range with one end missing', source: '// docs/x.md §1.2–1.9', pointers: 1, stale: true },
    { description: 'a docs file that does not exist', source: '// docs/missing.md', pointers: 1, stale: true },
    { description: 'the notes outside the repository', source: '// ../shared/reference/jaeger.md §1.8', pointers: 1, stale: true },
    { description: 'a bare name found neither beside the file nor at the root', source: '// x.md §1.2', pointers: 1, stale: true },
    { description: 'a file outside the repository, even though it exists', source: '// ../../outside.md', pointers: 1, stale: true },
    { description: 'a path relative to the file', source: '// ../README.md', pointers: 1, stale: false },
    { description: 'a name in a folder the same comment names', source: '// copied to notes/sub/, see NOTES.md', pointers: 1, stale: false },
    { description: 'a URL', source: '// https://example.com/docs/missing.md', pointers: 0, stale: false },
    { description: "an upstream repository's file", source: '// Follows opentelemetry-proto `docs/missing.md` § "JSON"', pointers: 0, stale: false },
    {
      description: 'a list of files after one repository name',
      source: '/**\n * Spec: open-telemetry/opentelemetry-proto `a.proto`,\n * `b.proto`, and `docs/missing.md`\n */',
      pointers: 0,
      stale: false,
    },
    { description: 'a name in a string literal', source: "const s = 'docs/missing.md';", pointers: 0, stale: false },
    { description: 'a comment marker inside a template literal', source: 'const t = `// docs/missing.md`;', pointers: 0, stale: false },
  ];
  for (const [i, c] of cases.entries()) write(`src/case-${i}.ts`, `${c.source}\n`);
  write('docs/y.md', '# Y\n\nSee [x](x.md) §1.3, and [x](x.md#one) §7.\n');
  const pointers = findDocPointers(root);
  const of = (file: string): DocPointer[] => pointers.filter((p) => p.file === file);

  it.each(cases.map((c, i) => ({ ...c, file: `src/case-${i}.ts` })))('$description', ({ file, pointers: count, stale }) => {
    const found = of(file);
    expect(found).toHaveLength(count);
    if (count > 0) expect(found[0]!.problem !== undefined, JSON.stringify(found[0])).toBe(stale);
  });

  it('reads a Markdown link as its target, with the sections after it', () => {
    expect(of('docs/y.md').map((p) => [p.text, p.problem === undefined])).toEqual([
      ['x.md §1.3', true],
      ['x.md §7', false],
    ]);
  });

  it('reports the line of the pointer inside a longer comment', () => {
    write('src/lines.ts', 'const a = 1;\n/**\n * One.\n * Two: docs/x.md §1.2\n */\nexport { a };\n');
    expect(findDocPointers(root).find((p) => p.file === 'src/lines.ts')?.line).toBe(4);
  });
});

describe("this repository's pointers", () => {
  const stale = staleDocPointers();
  const list = (pointers: DocPointer[]): string => pointers.map((p) => `${p.file}:${p.line}: ${p.text} — ${p.problem}`).join('\n');
  const isMarkdown = (p: DocPointer): boolean => p.file.endsWith('.md');

  it('docs/ and README.md point only at files and sections that exist', () => {
    const inDocs = stale.filter(isMarkdown);
    expect(inDocs, list(inDocs)).toEqual([]);
  });

  it('no comment points at a docs/ file or section that does not exist', () => {
    const intoDocs = stale.filter((p) => !isMarkdown(p) && (p.text.startsWith('docs/') || p.target?.startsWith('docs/')));
    expect(intoDocs, list(intoDocs)).toEqual([]);
  });

  it('no comment points at a file or section a clone does not have', () => {
    const inComments = stale.filter((p) => !isMarkdown(p));
    expect(inComments.length, list(inComments)).toBe(0);
  });
});
