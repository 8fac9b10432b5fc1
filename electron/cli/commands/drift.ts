import type { Command } from 'commander';
import { LoupeError } from '../../../shared/errors';
import { openDatabase } from '../../core/db/duckdb';
import { AXES } from '../../core/drift/axes';
import type { BinningRule } from '../../core/drift/binning';
import { runDrift, type DriftReport, type SliceDrift } from '../../core/drift/engine';
import { parquetDriftSource } from '../../core/drift/parquet-source';
import { parseWindow } from '../../core/drift/windows';
import { printJson, runCommand } from '../output';

interface DriftCliOptions {
  baseline?: string;
  current?: string;
  minSupport?: string;
  bins?: string;
  binning?: string;
  clusters?: string;
  limit?: string;
  counts?: boolean;
  json?: boolean;
}

export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description('PSI on the input, output and quality axes for every slice and slice pair, with support, significance and alerts')
    .argument('<paths...>', 'Parquet files, folders (searched recursively, hive partitions) or globs')
    .option('--baseline <A..B>', 'baseline window, start inclusive, end exclusive (default: the 7 days before the current window)')
    .option('--current <A..B>', 'current window (default: the 24 h up to the hour after the latest request)')
    .option('--min-support <n>', 'minimum rows with a value in each window for a slice to rank or alert', '100')
    .option('--bins <n>', 'numeric bins', '10')
    .option('--binning <rule>', 'quantile | equal-width | evidently', 'quantile')
    .option('--clusters <k>', 'embedding clusters (k-means k)', '8')
    .option('--limit <n>', 'slices shown in the table (without --json)', '15')
    .option('--counts', 'include per-slice bin counts in --json output')
    .option('--json', 'print JSON')
    .action(async (paths: string[], opts: DriftCliOptions) => {
      await runCommand(Boolean(opts.json), async () => {
        const binning = parseBinning(opts.binning);
        const db = await openDatabase();
        try {
          const { source, problems } = await parquetDriftSource(db.conn, paths);
          for (const p of problems) console.error(`loupe: ${p.file}: ${p.message}${p.hint ? ` — ${p.hint}` : ''}`);
          const report = await runDrift(db.conn, source, {
            windows: {
              ...(opts.baseline ? { baseline: parseWindow(opts.baseline, 'baseline') } : {}),
              ...(opts.current ? { current: parseWindow(opts.current, 'current') } : {}),
            },
            minSupport: positiveInt(opts.minSupport, '--min-support', 0),
            bins: positiveInt(opts.bins, '--bins', 2),
            binning,
            clusters: { k: positiveInt(opts.clusters, '--clusters', 2) },
            includeCounts: Boolean(opts.counts),
          });
          if (opts.json) printJson(report);
          else printHuman(report, positiveInt(opts.limit, '--limit', 1));
          if (problems.length > 0) process.exitCode = 1;
        } finally {
          db.close();
        }
      });
    });
}

export function parseBinning(text: string | undefined): BinningRule {
  const v = text ?? 'quantile';
  if (v === 'quantile' || v === 'equal-width' || v === 'evidently') return v;
  throw new LoupeError({ code: 'bad_input', message: `unknown binning "${v}"`, hint: 'use quantile, equal-width or evidently' });
}

export function positiveInt(text: string | undefined, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    throw new LoupeError({ code: 'bad_input', message: `${flag} must be an integer ≥ ${min} (got "${text}")` });
  }
  return n;
}

const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '—' : v.toFixed(digits));

function sliceName(s: SliceDrift): string {
  return s.dims.length === 0 ? '(all rows)' : s.dims.map((d) => `${d.dimension}=${d.value ?? '(null)'}`).join(' & ');
}

function printHuman(r: DriftReport, limit: number): void {
  const out: string[] = [];
  out.push(`baseline ${r.windows.baseline.start} .. ${r.windows.baseline.end}  ${r.rows.baseline.toLocaleString('en-US')} rows`);
  out.push(`current  ${r.windows.current.start} .. ${r.windows.current.end}  ${r.rows.current.toLocaleString('en-US')} rows`);
  out.push(
    `axes: ${r.features.map((f) => `${f.axis}:${f.id}`).join(', ')}; bins ${r.config.binning}${r.config.binning === 'quantile' || r.config.binning === 'equal-width' ? ` ×${r.config.bins}` : ''}; min support ${r.config.minSupport}`,
  );
  if (r.config.clusters) out.push(`embedding clusters: k=${r.config.clusters.k}, cosine, fitted on ${r.config.clusters.sampleSize} baseline rows`);
  for (const n of r.notes) out.push(`note: ${n}`);
  out.push('');
  const axes = AXES.filter((a) => r.overall.axes[a]);
  out.push(`all rows: ${axes.map((a) => `${a} PSI ${fmt(r.overall.axes[a]!.psi)} (${r.overall.axes[a]!.feature})`).join(', ')}`);
  out.push('');
  out.push(`${r.alerts.length} alert${r.alerts.length === 1 ? '' : 's'}${r.alerts.length > limit ? ` (first ${limit})` : ''}`);
  for (const a of r.alerts.slice(0, limit)) out.push(`  ${a.kind === 'psi' && a.parentSliceId !== undefined ? '  ' : ''}${a.message}`);
  const byId = new Map(r.slices.map((s) => [s.id, s]));
  const header = (w: number) => `${'slice'.padEnd(w)}  ${'base n'.padStart(9)}  ${'cur n'.padStart(8)}  ${axes.map((a) => a.padStart(8)).join('  ')}  ${'p'.padStart(8)}  ${'score'.padStart(6)}`;
  for (const axis of axes) {
    const shown = (r.top[axis] ?? []).slice(0, limit).map((id) => byId.get(id)!);
    out.push('');
    out.push(`top slices on ${axis} (support ≥ ${r.config.minSupport}, significant)${shown.length === 0 ? ': none' : ''}`);
    if (shown.length === 0) continue;
    const w = Math.max(5, ...shown.map((s) => sliceName(s).length));
    out.push(header(w));
    for (const s of shown) {
      const cells = axes.map((a) => {
        const ax = s.axes[a];
        const mark = ax && ax.significant && ax.meetsSupport ? (ax.level === 'alert' ? '!' : ax.level === 'watch' ? '~' : ' ') : '?';
        return `${fmt(ax?.psi)}${mark}`.padStart(8);
      });
      const ax = s.axes[axis]!;
      const p = ax.pValue === null ? '—' : ax.pValue < 1e-99 ? '<1e-99' : ax.pValue.toExponential(0);
      out.push(`${sliceName(s).padEnd(w)}  ${String(s.support.baseline).padStart(9)}  ${String(s.support.current).padStart(8)}  ${cells.join('  ')}  ${p.padStart(8)}  ${fmt(ax.score, 3).padStart(6)}`);
    }
  }
  out.push('');
  out.push(`(${r.slices.length} slices; PSI mark: ! > 0.2, ~ > 0.1, ? below support or not significant; --json for all)`);
  process.stdout.write(out.join('\n') + '\n');
}
