import type { Command } from 'commander';
import { LoupeError } from '../../../shared/errors';
import { openDatabase } from '../../core/db/duckdb';
import { resolveWindows } from '../../core/drift/engine';
import { judgeMonitor, type JudgeMonitorReport } from '../../core/drift/judge-monitor';
import { parquetDriftSource } from '../../core/drift/parquet-source';
import { describeSource, refSql, roleSql } from '../../core/drift/relation';
import { parseWindow } from '../../core/drift/windows';
import { printJson, runCommand } from '../output';
import { positiveInt } from './drift';

interface JudgeCliOptions {
  by: string;
  baseline?: string;
  current?: string;
  minBaseline?: string;
  minHour?: string;
  json?: boolean;
}

export function registerJudge(program: Command): void {
  program
    .command('judge')
    .description('judge score per version: judged count, mean, sd and the hours whose mean fell more than 2 standard errors below the baseline')
    .argument('<paths...>', 'Parquet files, folders (searched recursively, hive partitions) or globs')
    .option('--by <column>', 'group by this column', 'model_version')
    .option('--baseline <A..B>', 'baseline window (default: the 7 days before the current window)')
    .option('--current <A..B>', 'current window (default: the last 24 h)')
    .option('--min-baseline <n>', 'judged baseline requests a version needs before it can alert', '30')
    .option('--min-hour <n>', 'judged requests an hour needs before it can be flagged', '10')
    .option('--json', 'print JSON')
    .action(async (paths: string[], opts: JudgeCliOptions) => {
      await runCommand(Boolean(opts.json), async () => {
        const db = await openDatabase();
        try {
          const { source, problems, columns } = await parquetDriftSource(db.conn, paths);
          for (const p of problems) console.error(`loupe: ${p.file}: ${p.message}${p.hint ? ` — ${p.hint}` : ''}`);
          if (!columns.has(opts.by)) {
            throw new LoupeError({ code: 'bad_input', message: `no column ${opts.by} to group by`, column: opts.by, hint: `columns: ${[...columns].slice(0, 20).join(', ')}` });
          }
          const src = await describeSource(db.conn, source);
          const judgeSql = roleSql(src, 'judge_score');
          if (!judgeSql) throw new LoupeError({ code: 'bad_input', message: 'the data has no judge_score column', column: 'judge_score' });
          const windows = await resolveWindows(db.conn, src, {
            ...(opts.baseline ? { baseline: parseWindow(opts.baseline, 'baseline') } : {}),
            ...(opts.current ? { current: parseWindow(opts.current, 'current') } : {}),
          });
          const report = await judgeMonitor(db.conn, src, windows, { sql: refSql(src, { column: opts.by }), name: opts.by }, judgeSql, {
            minBaselineJudged: positiveInt(opts.minBaseline, '--min-baseline', 2),
            minHourJudged: positiveInt(opts.minHour, '--min-hour', 1),
          });
          if (opts.json) printJson({ windows, ...report });
          else printHuman(report);
          if (problems.length > 0) process.exitCode = 1;
        } finally {
          db.close();
        }
      });
    });
}

function printHuman(r: JudgeMonitorReport): void {
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  const w = Math.max(r.by.length, ...r.versions.map((v) => (v.version ?? '(null)').length));
  const out = [`rule: ${r.rule}`, ''];
  out.push(`${r.by.padEnd(w)}  ${'base n'.padStart(7)}  ${'mean'.padStart(6)}  ${'sd'.padStart(6)}  ${'cur n'.padStart(6)}  ${'mean'.padStart(6)}  ${'sd'.padStart(6)}  flagged hours`);
  for (const v of r.versions) {
    const flagged = v.status === 'insufficient_data' ? `insufficient data: ${v.reason}` : v.flaggedHours.length === 0 ? 'none' : `${v.flaggedHours.length}: ${v.flaggedHours.slice(-3).map((h) => h.slice(0, 13) + 'h').join(', ')}${v.flaggedHours.length > 3 ? ' …' : ''}`;
    out.push(
      `${(v.version ?? '(null)').padEnd(w)}  ${String(v.baseline.n).padStart(7)}  ${f(v.baseline.mean).padStart(6)}  ${f(v.baseline.sd).padStart(6)}  ${String(v.current.n).padStart(6)}  ${f(v.current.mean).padStart(6)}  ${f(v.current.sd).padStart(6)}  ${flagged}`,
    );
  }
  process.stdout.write(out.join('\n') + '\n');
}
