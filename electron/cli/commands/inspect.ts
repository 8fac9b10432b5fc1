import type { Command } from 'commander';
import type { DatasetSummary } from '../../../shared/api';
import { openDatabase } from '../../core/db/duckdb';
import { guessRoles } from '../../core/workspace/guess-roles';
import { openDataset } from '../../core/workspace/open-dataset';
import { printJson, runCommand } from '../output';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('schema, rows, time range and per-column null rates and distinct counts of Parquet files or folders')
    .argument('<paths...>', 'Parquet files, folders (searched recursively, hive partitions) or globs')
    .option('--json', 'print JSON')
    .action(async (paths: string[], opts: { json?: boolean }) => {
      await runCommand(Boolean(opts.json), async () => {
        const db = await openDatabase();
        try {
          const progress = process.stderr.isTTY && !opts.json
            ? (label: string) => process.stderr.write(`\r${label}…`.padEnd(40))
            : undefined;
          const { summary } = await openDataset(db.conn, 'cli', paths, progress);
          if (progress) process.stderr.write('\r'.padEnd(41) + '\r');
          const roles = guessRoles(summary.columns.map((c) => ({ ...c, rows: summary.rows })));
          if (opts.json) printJson({ ...summary, roles: roles.mapping, roleReasons: roles.reasons });
          else printHuman(summary, roles.reasons);
          for (const p of summary.problems) {
            console.error(`loupe: ${p.file}: ${p.message}${p.hint ? ` — ${p.hint}` : ''}`);
          }
          // Problems do not stop the report, but scripts must see that something was wrong.
          if (summary.problems.length > 0) process.exitCode = 1;
        } finally {
          db.close();
        }
      });
    });
}

function printHuman(s: DatasetSummary, reasons: ReturnType<typeof guessRoles>['reasons']): void {
  const out: string[] = [];
  out.push(`${s.fileCount} file${s.fileCount === 1 ? '' : 's'}, ${s.rows.toLocaleString('en-US')} rows`);
  if (s.timeRange) out.push(`time (${s.timestampColumn}): ${s.timeRange.min} .. ${s.timeRange.max}`);
  if (s.hivePartitions.length) out.push(`hive partitions: ${s.hivePartitions.join(', ')}`);
  out.push('');
  const w = Math.max(6, ...s.columns.map((c) => c.name.length));
  const tw = Math.min(28, Math.max(4, ...s.columns.map((c) => c.type.length)));
  out.push(`${'column'.padEnd(w)}  ${'type'.padEnd(tw)}  ${'nulls'.padStart(7)}  ${'distinct'.padStart(11)}`);
  for (const c of s.columns) {
    const type = c.type.length > tw ? c.type.slice(0, tw - 1) + '…' : c.type;
    out.push(
      `${c.name.padEnd(w)}  ${type.padEnd(tw)}  ${(c.nullRate * 100).toFixed(1).padStart(6)}%  ${`${c.distinctApprox ? '≈' : ''}${c.distinct ?? ''}`.padStart(11)}`,
    );
  }
  out.push('', 'guessed roles (correct them in the Data view of a workspace):');
  for (const r of reasons.filter((x) => x.role !== 'dimension')) {
    out.push(`  ${r.role.padEnd(16)} ${[r.column, ...(r.path ?? [])].join('.')}   (${r.reason})`);
  }
  const dims = reasons.filter((x) => x.role === 'dimension').map((r) => [r.column, ...(r.path ?? [])].join('.'));
  out.push(`  ${'dimensions'.padEnd(16)} ${dims.length ? dims.join(', ') : '(none found)'}`);
  process.stdout.write(out.join('\n') + '\n');
}
