/** Collects benchmark rows and renders bench/RESULTS.md (machine, Node, date, one table per scenario). */
import { cpus, totalmem } from 'node:os';

export interface Row {
  case: string;
  median: string;
  p99: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: string;
}

export interface ScenarioResult {
  title: string;
  baselineName: string;
  rows: Row[];
  notes: string[];
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

export function render(results: readonly ScenarioResult[], seconds: number): string {
  const out = [
    '# Tracegate benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${machine()}; the whole run took ${seconds.toFixed(0)} s.`,
    'Every ratio compares two things measured side by side in this one run (interleaved), never against a',
    'number from another run: these machines are shared and noisy. Times are milliseconds.',
    '',
  ];
  for (const r of results) {
    out.push(`## ${r.title}`, '', `| case | median | p99 | ${r.baselineName} (median) | ratio | goal | met |`, '|---|---|---|---|---|---|---|');
    for (const row of r.rows) out.push(`| ${row.case} | ${row.median} | ${row.p99} | ${row.baseline} | ${row.ratio} | ${row.goal} | ${row.met} |`);
    out.push('');
    for (const note of r.notes) out.push(`- ${note}`);
    if (r.notes.length > 0) out.push('');
  }
  return out.join('\n');
}
