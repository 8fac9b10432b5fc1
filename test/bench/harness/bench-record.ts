import fs from 'node:fs';
import path from 'node:path';
import type { BenchResult, Figures } from './report-result';

/** One line of bench-results/NAME.jsonl: one run of one bench, as `npm run bench` writes it. */
export interface BenchRecord {
  bench: string;
  commit: string;
  /** Uncommitted changes in the worktree when the run started (bench-results and the rendered page aside). */
  dirty: boolean;
  /** ISO time the run started. */
  date: string;
  durationS: number;
  machine: { cpus: number; model: string; memGiB: number; platform: string; node: string };
  /** os.loadavg() (1, 5, 15 min) before and after the run. */
  load: { before: number[]; after: number[] };
  args: string[];
  figures: Figures;
  peers: Record<string, Figures>;
  note?: string;
}

/**
 * A line as it may be found: written by hand before `npm run bench` existed (the interim shape
 * `{bench, commit, date, machine: {cpus, loadavg}, args, figures}`) or by a later version.
 * The renderer reads this and fills what is missing.
 */
export interface FoundRecord {
  bench?: string;
  commit?: string;
  dirty?: boolean;
  date?: string;
  durationS?: number;
  machine?: Partial<BenchRecord['machine']> & { loadavg?: number[] };
  load?: Partial<BenchRecord['load']>;
  args?: unknown;
  figures?: Record<string, unknown>;
  peers?: Record<string, Record<string, unknown>>;
  note?: string;
}

/** A bench may report more than once; later figures of the same key win, notes add up. */
export function mergeResults(results: BenchResult[]): Required<Pick<BenchResult, 'figures' | 'peers'>> & { note?: string } {
  const figures: Figures = {};
  const peers: Record<string, Figures> = {};
  const notes: string[] = [];
  for (const r of results) {
    Object.assign(figures, r.figures);
    for (const [name, f] of Object.entries(r.peers ?? {})) peers[name] = { ...peers[name], ...f };
    if (r.note) notes.push(r.note);
  }
  return notes.length ? { figures, peers, note: notes.join(' ') } : { figures, peers };
}

/** Parses JSON lines, naming the file and line of one that is not an object. */
export function parseJsonLines<T>(text: string, file: string): T[] {
  const out: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${file}:${i + 1}: expected a JSON object`);
    out.push(v as T);
  });
  return out;
}

/** Every bench's records from a bench-results folder, by bench name (the file's name). */
export function readBenchResults(dir: string): Map<string, FoundRecord[]> {
  const byBench = new Map<string, FoundRecord[]>();
  if (!fs.existsSync(dir)) return byBench;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.jsonl')).sort()) {
    const file = path.join(dir, f);
    byBench.set(f.replace(/\.jsonl$/, ''), parseJsonLines<FoundRecord>(fs.readFileSync(file, 'utf8'), file));
  }
  return byBench;
}
