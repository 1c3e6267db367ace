/**
 * A pino logger that keeps every line in memory, for tests that assert what a request logged (a
 * caller's mistake must never log at error level; a backend failure logs once at warn).
 */
import { pino, type Logger } from 'pino';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export const LEVEL = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

export function captureLogs(level: pino.LevelWithSilent = 'info'): {
  logger: Logger;
  lines: LogLine[];
  atLeast(level: number): LogLine[];
  clear(): void;
} {
  const lines: LogLine[] = [];
  const logger = pino({ level }, { write: (text: string) => void lines.push(JSON.parse(text) as LogLine) });
  return {
    logger,
    lines,
    atLeast: (min) => lines.filter((line) => line.level >= min),
    clear: () => void lines.splice(0),
  };
}
