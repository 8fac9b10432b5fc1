import type { Command } from 'commander';
import { LoupeError } from '../../../shared/errors';
import { openDatabase } from '../../core/db/duckdb';
import { compareColumn, type ColumnComparison } from '../../core/drift/engine';
import { parquetDriftSource } from '../../core/drift/parquet-source';
import { printJson, runCommand } from '../output';
import { parseBinning, positiveInt } from './drift';

interface PsiCliOptions {
  reference: string;
  current: string;
  column: string;
  kind: string;
  bins?: string;
  binning?: string;
  json?: boolean;
}

export function registerPsi(program: Command): void {
  program
    .command('psi')
    .description('PSI, KL divergence and Jensen–Shannon distance of one column between a reference and a current file')
    .requiredOption('--reference <path>', 'reference (baseline) Parquet file, folder or glob')
    .requiredOption('--current <path>', 'current Parquet file, folder or glob')
    .requiredOption('--column <name>', 'column to compare')
    .requiredOption('--kind <kind>', 'numeric | categorical')
    .option('--bins <n>', 'numeric bins (ignored by --binning evidently, which uses Sturges)', '10')
    .option('--binning <rule>', 'quantile (from the reference) | equal-width (numpy edges over both) | evidently', 'quantile')
    .option('--json', 'print JSON')
    .action(async (opts: PsiCliOptions) => {
      await runCommand(Boolean(opts.json), async () => {
        if (opts.kind !== 'numeric' && opts.kind !== 'categorical') {
          throw new LoupeError({ code: 'bad_input', message: `--kind must be numeric or categorical (got "${opts.kind}")` });
        }
        const binning = parseBinning(opts.binning);
        const bins = positiveInt(opts.bins, '--bins', 1);
        const db = await openDatabase();
        try {
          const ref = await parquetDriftSource(db.conn, [opts.reference]);
          const cur = await parquetDriftSource(db.conn, [opts.current]);
          const r = await compareColumn(db.conn, ref.source.relation, cur.source.relation, opts.column, opts.kind, { bins, binning });
          if (opts.json) printJson(toJson(r));
          else printHuman(r);
        } finally {
          db.close();
        }
      });
    });
}

function toJson(r: ColumnComparison) {
  const d = r.drift;
  return {
    column: r.column,
    kind: r.kind,
    binning: r.binning,
    fill: r.fill,
    psi: d.psi,
    kl: d.kl,
    js: d.js,
    chiSquare: d.chiSquare,
    df: d.df,
    pValue: d.pValue,
    level: d.level,
    status: d.status,
    reference: { rows: r.nBaseline, nulls: r.nullsBaseline, counts: d.baselineCounts },
    current: { rows: r.nCurrent, nulls: r.nullsCurrent, counts: d.currentCounts },
    bins: r.bins,
  };
}

function printHuman(r: ColumnComparison): void {
  const d = r.drift;
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(4));
  const out = [
    `${r.column} (${r.kind}, ${r.binning === 'evidently' ? 'Evidently mode' : r.kind === 'numeric' ? `${r.binning} bins` : 'categories'})`,
    `reference ${r.nBaseline} rows (${r.nullsBaseline} null), current ${r.nCurrent} rows (${r.nullsCurrent} null)`,
    `PSI ${f(d.psi)}  KL ${f(d.kl)}  JS ${f(d.js)}  chi² ${f(d.chiSquare)} (df ${d.df ?? '—'}, p ${d.pValue === null ? '—' : d.pValue.toExponential(2)})  ${d.level}`,
    '',
    `${'bin'.padEnd(24)}  ${'reference'.padStart(10)}  ${'current'.padStart(10)}`,
    ...r.bins.labels.map((l, i) => `${l.padEnd(24)}  ${String(d.baselineCounts?.[i] ?? 0).padStart(10)}  ${String(d.currentCounts?.[i] ?? 0).padStart(10)}`),
  ];
  if (d.status !== 'ok') out.splice(3, 0, `note: ${d.status === 'baseline_only' ? 'the current data has no values' : d.status === 'current_only' ? 'the reference data has no values' : 'no values on either side'}`);
  process.stdout.write(out.join('\n') + '\n');
}
