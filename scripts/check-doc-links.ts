/**
 * Finds pointers to documents that a reader of a clone cannot follow: in the comments of every source
 * file under src/, test/, scripts/ and bench/, and in the text of README.md and docs/**.md.
 *
 *   npx tsx scripts/check-doc-links.ts     # lists each stale pointer; exits 1 when there is one
 *
 * A pointer is a Markdown file name, with or without a path, optionally followed by sections:
 * `docs/formats/jaeger.md §1.8`, `../README.md`, `<name>.md §<a>–<b>`, `<name>.md §<a>, §<b>`. In
 * Markdown a link counts as its target, with the sections after it. A pointer is stale when
 * - it names `shared/reference/` (notes outside this repository),
 * - no file of that name exists in the repository: the path is tried relative to the file, to the
 *   repository root, and to any folder the same comment names (a folder, then `see <name>.md`),
 * - or a section it cites has no heading numbered so in that file (`## 1.` or `### 1.8 Title`; for a
 *   range, both ends).
 * Not pointers: URLs, and an upstream repository's files named the way the style guide asks, the
 * repository then the paths in backticks (opentelemetry-proto `docs/specification.md`, or a list of
 * backticked paths after one repository name).
 *
 * Only comments are read in source files (string literals may name files for other reasons), through
 * TypeScript's own parser, so a `//` inside a string or template is never taken for one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Where source comments are read, and which Markdown files are read whole. */
const SOURCE_DIRS = ['src', 'test', 'scripts', 'bench'] as const;
const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);
const SKIPPED_DIRS = new Set(['node_modules', 'fixtures', 'dist', '.tmp']);

export interface DocPointer {
  /** Repository-relative path of the file holding the pointer. */
  file: string;
  line: number;
  /** The pointer as written, sections included: `docs/formats/jaeger.md §1.6–1.8`. */
  text: string;
  /** Repository-relative path of the document it resolves to, when it does. */
  target?: string;
  /** Why it cannot be followed; absent when it can. */
  problem?: string;
}

const SECTION = String.raw`§\s?\d+(?:\.\d+)*(?:\s?[–-]\s?\d+(?:\.\d+)*)?`;
const POINTER = new RegExp(
  String.raw`((?:\.{1,2}/)*(?:[\w.-]+/)*[\w.-]+\.md)((?:\s+${SECTION})(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)${SECTION})*)?`,
  'g',
);
const SECTION_REF = /§\s?(\d+(?:\.\d+)*)(?:\s?[–-]\s?(\d+(?:\.\d+)*))?/g;
/** A repository path named in prose: `test/fixtures/public/zipkin/`. */
const FOLDER_MENTION = /(?:^|[\s(`'"])((?:[\w.-]+\/)+)/g;

/** Section numbers a Markdown file declares in its headings: `## 1. Title` → "1", `### 1.8 Title` → "1.8". */
function sectionsOf(markdown: string): Set<string> {
  const sections = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?(?:\s|$)/gm)) sections.add(match[1]!);
  return sections;
}

/** The text of every comment in a source file, with the offset where it starts. */
function commentsOf(fileName: string, source: string): Array<{ text: string; offset: number }> {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, fileName.endsWith('x') ? ts.ScriptKind.TSX : undefined);
  const seen = new Set<number>();
  const out: Array<{ text: string; offset: number }> = [];
  const collect = (ranges: readonly ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      out.push({ text: source.slice(range.pos, range.end), offset: range.pos });
    }
  };
  const visit = (node: ts.Node): void => {
    collect(ts.getLeadingCommentRanges(source, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(source, node.getEnd()));
    node.forEachChild(visit);
  };
  visit(file);
  collect(ts.getLeadingCommentRanges(source, file.endOfFileToken.getFullStart()));
  return out.sort((a, b) => a.offset - b.offset);
}

/** One earlier item of a list of backticked paths: "`a`, " or "`a` and ". */
const LIST_ITEM_AT_END = /`[^`\n]*`(?:\s*,\s*(?:and\s+)?|\s+and\s+)$/;

/**
 * Whether the match is part of a URL, or an upstream repository's file: a backticked path right after
 * a repository name (owner/name, or a hyphenated project name), or in a list of backticked paths that
 * follows one.
 */
function isForeign(text: string, index: number): boolean {
  const tokenStart = Math.max(text.lastIndexOf(' ', index), text.lastIndexOf('\n', index), text.lastIndexOf('(', index)) + 1;
  if (text.slice(tokenStart, index).includes('://')) return true;
  if (text[index - 1] !== '`') return false;
  let before = text.slice(0, index - 1);
  for (let item = LIST_ITEM_AT_END.exec(before); item !== null; item = LIST_ITEM_AT_END.exec(before)) before = before.slice(0, item.index);
  return /(?:^|[\s(])[\w.]+(?:[/-][\w.]+)+\s+$/.test(before);
}

/** A comment's text without its decoration (`/**`, ` * `, `//`), line breaks kept so lines still count. */
function commentText(comment: string): string {
  return comment
    .replace(/^\/\*+|\*+\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*(?:\*+|\/\/+)\s?/, ''))
    .join('\n');
}

/** Markdown links read as their target: `[text](docs/formats/jaeger.md) §1.8` → `docs/formats/jaeger.md §1.8`. */
function markdownText(markdown: string): string {
  return markdown.replace(/\[([^\]\n]*)\]\(([^)\s#]+)(?:#[^)\s]*)?\)/g, (_link, _label: string, target: string) => target);
}

function resolvePointer(path: string, fromDir: string, folders: readonly string[], root: string): string | undefined {
  const candidates = [resolve(fromDir, path), resolve(root, path), ...folders.map((folder) => resolve(root, folder, path))];
  for (const candidate of candidates) {
    const inside = relative(root, candidate);
    if (inside.startsWith('..') || inside.startsWith(sep)) continue;
    if (existsSync(candidate) && statSync(candidate).isFile()) return inside.split(sep).join('/');
  }
  return undefined;
}

/** The pointers in one piece of text (a comment, or a whole Markdown file). */
function pointersIn(text: string, file: string, firstLine: number, root: string): DocPointer[] {
  const fromDir = dirname(resolve(root, file));
  const folders = [...text.matchAll(FOLDER_MENTION)].map((m) => m[1]!).filter((f) => existsSync(resolve(root, f)));
  const pointers: DocPointer[] = [];
  for (const match of text.matchAll(POINTER)) {
    if (isForeign(text, match.index)) continue;
    const path = match[1]!;
    const sections = match[2] ?? '';
    const pointer: DocPointer = {
      file,
      line: firstLine + (text.slice(0, match.index).match(/\n/g)?.length ?? 0),
      text: `${path}${sections}`.replace(/\s+/g, ' ').trim(),
    };
    if (path.includes('shared/reference/')) {
      pointer.problem = 'names notes outside the repository (../shared/reference/); point at docs/';
    } else {
      const target = resolvePointer(path, fromDir, folders, root);
      if (target === undefined) {
        pointer.problem = `no file ${path} in the repository`;
      } else {
        pointer.target = target;
        const declared = sectionsOf(readFileSync(resolve(root, target), 'utf8'));
        const missing = [...sections.matchAll(SECTION_REF)].flatMap((m) => [m[1]!, ...(m[2] ? [m[2]] : [])]).filter((s) => !declared.has(s));
        if (missing.length > 0) pointer.problem = `${target} has no section ${missing.map((s) => `§${s}`).join(', ')}`;
      }
    }
    pointers.push(pointer);
  }
  return pointers;
}

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : filesUnder(join(dir, entry.name), keep);
    return keep(entry.name) ? [join(dir, entry.name)] : [];
  });
}

/** Every pointer in the repository at `root`, followable or not, in file order. */
export function findDocPointers(root: string = REPO_ROOT): DocPointer[] {
  const pointers: DocPointer[] = [];
  const rel = (path: string): string => relative(root, path).split(sep).join('/');
  for (const dir of SOURCE_DIRS) {
    for (const path of filesUnder(join(root, dir), (name) => SOURCE_EXTENSIONS.has(extname(name)) && !name.endsWith('.d.ts'))) {
      const source = readFileSync(path, 'utf8');
      for (const comment of commentsOf(path, source)) {
        const line = 1 + (source.slice(0, comment.offset).match(/\n/g)?.length ?? 0);
        pointers.push(...pointersIn(commentText(comment.text), rel(path), line, root));
      }
    }
  }
  const markdown = [join(root, 'README.md'), ...filesUnder(join(root, 'docs'), (name) => name.endsWith('.md'))].filter((p) => existsSync(p));
  for (const path of markdown) pointers.push(...pointersIn(markdownText(readFileSync(path, 'utf8')), rel(path), 1, root));
  return pointers;
}

export function staleDocPointers(root: string = REPO_ROOT): DocPointer[] {
  return findDocPointers(root).filter((pointer) => pointer.problem !== undefined);
}

function main(): void {
  const stale = staleDocPointers();
  for (const p of stale) process.stdout.write(`${p.file}:${p.line}: ${p.text} — ${p.problem}\n`);
  process.stdout.write(stale.length === 0 ? 'every document pointer can be followed\n' : `${stale.length} stale document pointer(s)\n`);
  process.exitCode = stale.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
