import type { FoundRecord } from './bench-record';

const HEADER = `# Benchmarks

<!-- Rendered by \`npm run bench:report\` from bench-results/*.jsonl: edit those, not this page. -->

The latest recorded run of each benchmark in \`test/bench/\`, with the peers it measured in the
same run. Every run is one JSON line in \`bench-results/NAME.jsonl\`, appended by
\`npm run bench -- NAME [args]\` ([CONTRIBUTING.md](../CONTRIBUTING.md#benchmarks)). Times on a
shared machine are noisy: compare a figure with its peers from the same run, and read the load
average beside it. Keys carry their unit (\`Ms\`, \`PerS\`, \`Mb\`); a list is the runs behind a
median. Measurements that need a story (several runs, profiles, fixes) are dated pages in
[benchmarks/](benchmarks/).
`;

/** A figure as a reader wants it: integers grouped, fractions to three significant digits. */
export function formatFigure(v: unknown): string {
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
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** What a section shows, whichever shape the line had (see FoundRecord). */
interface Shown {
  date: string;
  commit: string;
  dirty: boolean;
  durationS?: number;
  machine: string;
  loadBefore: number[];
  loadAfter: number[];
  args: string;
  figures: Record<string, unknown>;
  peers: Record<string, Record<string, unknown>>;
  note?: string;
}

function shown(r: FoundRecord): Shown {
  const m = r.machine ?? {};
  const machine = [
    m.cpus !== undefined ? `${m.cpus} × ${m.model ?? 'CPU'}` : m.model,
    m.memGiB !== undefined ? `${formatFigure(m.memGiB)} GiB` : undefined,
    m.platform,
    m.node ? `Node ${m.node}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const args = Array.isArray(r.args) ? r.args.join(' ') : r.args === undefined || r.args === null ? '' : typeof r.args === 'string' ? r.args : JSON.stringify(r.args);
  return {
    date: r.date ?? '',
    commit: r.commit ?? '',
    dirty: r.dirty === true,
    durationS: r.durationS,
    machine: machine || 'machine not recorded',
    loadBefore: r.load?.before ?? m.loadavg ?? [],
    loadAfter: r.load?.after ?? [],
    args: args ? `\`${args}\`` : 'defaults',
    figures: r.figures ?? {},
    peers: r.peers ?? {},
    note: r.note,
  };
}

const when = (iso: string) => (iso ? iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC') : 'date not recorded');
const commitOf = (s: Shown) => (s.commit ? `\`${s.commit.slice(0, 10)}\`${s.dirty ? ' (uncommitted changes)' : ''}` : 'not recorded');
const loads = (xs: number[]) => (xs.length ? xs.map((x) => formatFigure(x)).join(' / ') : '—');
const load1 = (s: Shown) => `${formatFigure(s.loadBefore[0])} → ${formatFigure(s.loadAfter[0])}`;

/** The newest run by date; on equal dates the later line, as appended. */
function latest(records: FoundRecord[]): FoundRecord {
  return records.reduce((a, b) => ((b.date ?? '') >= (a.date ?? '') ? b : a));
}

function figureTable(s: Shown): string {
  const peers = Object.keys(s.peers);
  const keys = Object.keys(s.figures);
  for (const p of peers) for (const k of Object.keys(s.peers[p])) if (!keys.includes(k)) keys.push(k);
  const cols = ['measured', ...peers];
  const lines = [`| figure | ${cols.map((c) => formatFigure(c)).join(' | ')} |`, `|---|${cols.map(() => '---:').join('|')}|`];
  for (const k of keys) lines.push(`| ${formatFigure(k)} | ${[formatFigure(s.figures[k]), ...peers.map((p) => formatFigure(s.peers[p][k]))].join(' | ')} |`);
  return lines.join('\n');
}

function benchSection(name: string, records: FoundRecord[]): string {
  const s = shown(latest(records));
  const meta = [
    when(s.date),
    `commit ${commitOf(s)}`,
    s.machine,
    `load ${loads(s.loadBefore)} before, ${loads(s.loadAfter)} after (1 / 5 / 15 min)`,
    ...(s.durationS !== undefined ? [`${formatFigure(s.durationS)} s`] : []),
    `args ${s.args}`,
  ].join(' · ');
  const earlier = records.length - 1;
  const parts = [`## ${name}`, '', meta, ''];
  if (s.note) parts.push(s.note, '');
  parts.push(figureTable(s), '');
  parts.push(`${earlier ? `${earlier} earlier run${earlier > 1 ? 's' : ''} in` : 'All runs:'} [bench-results/${name}.jsonl](../bench-results/${name}.jsonl).`, '');
  return parts.join('\n');
}

/** docs/benchmarks.md from every bench's records, by bench name. */
export function renderBenchmarks(byBench: Map<string, FoundRecord[]>): string {
  const names = [...byBench.keys()].filter((n) => byBench.get(n)!.length).sort();
  const out = [HEADER];
  if (names.length) {
    out.push('| bench | latest run | commit | load (1 min) before → after | args | runs |', '|---|---|---|---|---|---:|');
    for (const n of names) {
      const rs = byBench.get(n)!;
      const s = shown(latest(rs));
      out.push(`| [${n}](#${n}) | ${when(s.date)} | ${commitOf(s)} | ${load1(s)} | ${s.args} | ${rs.length} |`);
    }
    out.push('');
    for (const n of names) out.push(benchSection(n, byBench.get(n)!));
  } else out.push('No results yet.', '');
  return `${out.join('\n').trimEnd()}\n`;
}
