/**
 * Reads the trace files named in a memory backend's `files` at start-up. Format detection and
 * mapping are import-file.ts's; this file only reads, and turns any failure into one error that names
 * the file, so a typo in the config stops start-up with a message saying which file and why.
 *
 * Relative paths resolve against the working directory: the backend factory is not told where the
 * config file lives (BackendDeps carries no base directory).
 */
import { readFileSync } from 'node:fs';
import type { Span } from '../../model/index.js';
import type { BackendDeps } from '../backend.js';
import { parseTraceFile } from './import-file.js';

export class TraceFileLoadError extends Error {
  constructor(
    readonly backend: string,
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`backend '${backend}': cannot load trace file '${file}': ${reason}`, options);
    this.name = 'TraceFileLoadError';
  }
}

export function loadTraceFiles(backend: string, files: readonly string[], logger: BackendDeps['logger']): Span[] {
  const spans: Span[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new TraceFileLoadError(backend, file, (error as Error).message, { cause: error });
    }
    let parsed: ReturnType<typeof parseTraceFile>;
    try {
      parsed = parseTraceFile(text, backend);
    } catch (error) {
      throw new TraceFileLoadError(backend, file, (error as Error).message, { cause: error });
    }
    if (parsed.warnings.length > 0) logger.warn({ file, warnings: parsed.warnings }, 'trace file loaded with warnings');
    logger.info({ file, format: parsed.format, spans: parsed.spans.length }, 'trace file loaded');
    spans.push(...parsed.spans);
  }
  return spans;
}
