import type { BenchRecord } from './bench-record';
import type { Figure } from './report-result';

/** A dated page under docs/benchmarks/ that tells a measurement's story. */
export interface Story {
  /** Path relative to docs/, e.g. `benchmarks/2026-12-02-live-tail-memory.md`. */
  file: string;
  title: string;
}

const HEADER = `# Benchmarks

<!-- Rendered by \`npm run bench:report\` from bench-results/*.jsonl: edit those, not this page. -->

The latest recorded run of each benchmark in \`test/bench/\`, with the peers it measured in the
same run. Every run is one JSON line in \`bench-results/NAME.jsonl\`, appended by
\`npm run bench -- NAME [args]\` ([CONTRIBUTING.md](../CONTRIBUTING.md#benchmarks)). Times on a
shared machine are noisy: compare a figure with its peers from the same run, and read the load
average beside it. Keys carry their unit (\`Ms\`, \`PerS\`, \`Mb\`); a list is the runs behind a
median.
`;

/** A figure as a reader wants it: integers grouped, fractions to three significant digits. */
export function formatFigure(v: Figure | undefined): string {
  if (v === undefined || v === null) return '—';
  if (Array.isArray(v)) return v.map((x) => formatFigure(x)).join(', ');
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    const a = Math.abs(v);
    if (a >= 100) return Math.round(v).toLocaleString('en-US');
    if (a >= 1e-3) return Number(v.toPrecision(3)).toString();
    return v.toExponential(2);
  }
  return String(v).replace(/\|/g, '\\|');
}

const when = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
const load1 = (r: BenchRecord) => `${formatFigure(r.load.before[0])} → ${formatFigure(r.load.after[0])}`;
const shortCommit = (r: BenchRecord) => `\`${r.commit.slice(0, 10)}\`${r.dirty ? ' (uncommitted changes)' : ''}`;
const argsOf = (r: BenchRecord) => (r.args.length ? `\`${r.args.join(' ')}\`` : 'defaults');

function latest(records: BenchRecord[]): BenchRecord {
  // The newest by date; on equal dates the later line, as appended.
  return records.reduce((a, b) => (b.date >= a.date ? b : a));
}

function figureTable(r: BenchRecord): string {
  const peers = Object.keys(r.peers);
  const keys = [...Object.keys(r.figures)];
  for (const p of peers) for (const k of Object.keys(r.peers[p])) if (!keys.includes(k)) keys.push(k);
  const cols = ['measured', ...peers];
  const lines = [`| figure | ${cols.map((c) => formatFigure(c)).join(' | ')} |`, `|---|${cols.map(() => '---:').join('|')}|`];
  for (const k of keys) lines.push(`| ${k} | ${[formatFigure(r.figures[k]), ...peers.map((p) => formatFigure(r.peers[p][k]))].join(' | ')} |`);
  return lines.join('\n');
}

function benchSection(name: string, records: BenchRecord[]): string {
  const r = latest(records);
  const m = r.machine;
  const meta = [
    when(r.date),
    `commit ${shortCommit(r)}`,
    `${m.cpus} × ${m.model}, ${formatFigure(m.memGiB)} GiB, ${m.platform}, Node ${m.node}`,
    `load ${r.load.before.map((x) => formatFigure(x)).join(' / ')} before, ${r.load.after.map((x) => formatFigure(x)).join(' / ')} after (1 / 5 / 15 min)`,
    `${formatFigure(r.durationS)} s`,
    `args ${argsOf(r)}`,
  ].join(' · ');
  const earlier = records.length - 1;
  const parts = [`## ${name}`, '', meta, ''];
  if (r.note) parts.push(`${r.note}`, '');
  parts.push(figureTable(r), '');
  parts.push(`${earlier ? `${earlier} earlier run${earlier > 1 ? 's' : ''} in` : 'All runs:'} [bench-results/${name}.jsonl](../bench-results/${name}.jsonl).`, '');
  return parts.join('\n');
}

/** docs/benchmarks.md from every bench's records and the dated story pages. */
export function renderBenchmarks(byBench: Map<string, BenchRecord[]>, stories: Story[]): string {
  const names = [...byBench.keys()].filter((n) => byBench.get(n)!.length).sort();
  const out = [HEADER];
  if (names.length) {
    out.push('| bench | latest run | commit | load (1 min) before → after | args | runs |', '|---|---|---|---|---|---:|');
    for (const n of names) {
      const rs = byBench.get(n)!;
      const r = latest(rs);
      out.push(`| [${n}](#${n}) | ${when(r.date)} | ${shortCommit(r)} | ${load1(r)} | ${argsOf(r)} | ${rs.length} |`);
    }
    out.push('');
    for (const n of names) out.push(benchSection(n, byBench.get(n)!));
  } else out.push('No results yet.', '');
  if (stories.length) {
    out.push('## Measurement stories', '', 'Investigations with several runs, profiles and fixes, by date:', '');
    for (const s of [...stories].sort((a, b) => a.file.localeCompare(b.file))) out.push(`- [${s.title}](${s.file})`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
