import fsp from 'node:fs/promises';
import path from 'node:path';
import { LoupeError } from '../../../shared/errors';
import { exportManifestSchema, type ExportEntry } from '../../../shared/service-contract';
import { downloadOnce } from './download-file';
import { runPool } from './pool';
import { RetryableError, parseRetryAfter, withRetry } from './retry';

export interface SyncProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  current: string[];
  finished: boolean;
}

export interface SyncOptions {
  serviceUrl: string;
  token: string;
  /** The workspace's exports folder. */
  exportsDir: string;
  concurrency?: number;
  /** Only the partitions overlapping these hours (ISO times of hour starts); all when absent. */
  hours?: string[];
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  /** Smallest interval between progress reports. */
  progressEveryMs?: number;
  retry?: { attempts?: number; baseMs?: number; maxMs?: number };
}

export interface SyncResult {
  manifest: number;
  downloaded: number;
  /** Up to date already, of the partitions considered (all, or those of the hours asked for). */
  skipped: number;
  /** Bytes received over the network (resumed bytes already on disk are not counted). */
  bytes: number;
  failed: Array<{ id: string; file: string; message: string }>;
  seconds: number;
}

const STATE_FILE = '.loupe-sync.json';
type SyncState = Record<string, { sha256: string; bytes: number; file: string }>;

/** Does a partition [start, end) share any instant with one of these hours [h, h + 1 h)? */
function overlapsHours(hours: string[]): (e: Pick<ExportEntry, 'start' | 'end'>) => boolean {
  const starts = hours.map((h) => Date.parse(h));
  return (e) => {
    const s = Date.parse(e.start);
    const end = Date.parse(e.end);
    return starts.some((h) => s < h + 3_600_000 && h < end);
  };
}

/** Where a partition lives locally: the service's own date=/hour= layout. */
export function localPathFor(exportsDir: string, e: ExportEntry): string {
  const t = new Date(e.start);
  const date = Number.isNaN(t.getTime()) ? 'unknown' : t.toISOString().slice(0, 10);
  const hour = Number.isNaN(t.getTime()) ? '00' : String(t.getUTCHours()).padStart(2, '0');
  const safeId = e.id.replace(/[^A-Za-z0-9._=-]/g, '_');
  return path.join(exportsDir, `date=${date}`, `hour=${hour}`, `${safeId}.parquet`);
}

/**
 * Brings a workspace's exports in line with the service's manifest: only new or changed
 * partitions are fetched, several at a time, each resumable and verified by sha256 before it
 * replaces anything. Partitions that still fail after retries are reported; the rest land.
 */
export async function syncExports(opts: SyncOptions): Promise<SyncResult> {
  const t0 = Date.now();
  const base = opts.serviceUrl.replace(/\/+$/, '');
  const retry = { attempts: 6, baseMs: 250, maxMs: 15_000, ...opts.retry, signal: opts.signal };
  const manifest = await withRetry(() => fetchManifest(base, opts.token, opts.signal), retry);
  await fsp.mkdir(opts.exportsDir, { recursive: true }).catch((err) => {
    throw new LoupeError({ code: 'bad_input', message: `cannot create the exports folder (${(err as NodeJS.ErrnoException).code})`, file: opts.exportsDir, hint: 'pick a folder you can write to' });
  });
  const state = await readState(opts.exportsDir);

  const todo: ExportEntry[] = [];
  const considered = opts.hours ? manifest.filter(overlapsHours(opts.hours)) : manifest;
  for (const e of considered) {
    const file = localPathFor(opts.exportsDir, e);
    const known = state[e.id];
    const size = await fsp.stat(file).then((s) => s.size, () => -1);
    if (known && known.sha256 === e.sha256 && size === e.bytes) continue;
    todo.push(e);
  }

  const progress: SyncProgress = {
    filesDone: 0,
    filesTotal: todo.length,
    bytesDone: 0,
    bytesTotal: todo.reduce((s, e) => s + e.bytes, 0),
    bytesPerSecond: 0,
    etaSeconds: null,
    current: [],
    finished: false,
  };
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!force && now - lastReport < (opts.progressEveryMs ?? 200)) return;
    lastReport = now;
    const secs = Math.max(0.001, (now - t0) / 1000);
    progress.bytesPerSecond = progress.bytesDone / secs;
    progress.etaSeconds = progress.bytesPerSecond > 0 ? (progress.bytesTotal - progress.bytesDone) / progress.bytesPerSecond : null;
    opts.onProgress?.({ ...progress, current: [...progress.current] });
  };
  report(true);

  const failed: SyncResult['failed'] = [];
  let transferred = 0;
  // Lanes finish in any order; state writes go one after another.
  let stateWrites = Promise.resolve();
  const saveState = () => (stateWrites = stateWrites.then(() => writeState(opts.exportsDir, state)));
  await runPool(todo, opts.concurrency ?? 3, async (e) => {
    const file = localPathFor(opts.exportsDir, e);
    progress.current.push(e.id);
    let counted = 0;
    try {
      await withRetry(
        async () => {
          // A retry resumes; bytes counted by the failed attempt are not counted twice.
          progress.bytesDone -= counted;
          counted = 0;
          await downloadOnce({
            url: `${base}/v1/exports/${encodeURIComponent(e.id)}`,
            token: opts.token,
            dest: file,
            bytes: e.bytes,
            sha256: e.sha256,
            signal: opts.signal,
            onBytes: (n) => {
              counted += n;
              transferred += n;
              progress.bytesDone += n;
              report();
            },
            onResume: (n) => {
              counted += n;
              progress.bytesDone += n;
            },
          });
        },
        retry,
      );
      state[e.id] = { sha256: e.sha256, bytes: e.bytes, file: path.relative(opts.exportsDir, file) };
      await saveState();
    } catch (err) {
      if (opts.signal?.aborted) throw new LoupeError({ code: 'cancelled', message: 'sync cancelled; verified files are kept and partial ones resume next time' });
      if (err instanceof LoupeError && err.code !== 'network') throw err;
      progress.bytesDone -= counted;
      failed.push({ id: e.id, file, message: (err as Error).message });
    } finally {
      progress.current = progress.current.filter((id) => id !== e.id);
      progress.filesDone++;
      report();
    }
  });
  await stateWrites;
  progress.finished = true;
  report(true);

  return {
    manifest: manifest.length,
    downloaded: todo.length - failed.length,
    skipped: considered.length - todo.length,
    bytes: transferred,
    failed,
    seconds: (Date.now() - t0) / 1000,
  };
}

async function fetchManifest(base: string, token: string, signal?: AbortSignal): Promise<ExportEntry[]> {
  let res: Response;
  try {
    res = await fetch(`${base}/v1/exports`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new RetryableError(`cannot reach ${base}: ${(err as Error).message}`);
  }
  if (res.status === 429 || res.status >= 500) throw new RetryableError(`manifest: ${res.status}`, parseRetryAfter(res.headers.get('retry-after')));
  if (res.status === 401 || res.status === 403) {
    throw new LoupeError({ code: res.status === 401 ? 'unauthorized' : 'forbidden', message: `${base} refused the token (${res.status})`, hint: 'check the service token' });
  }
  if (!res.ok) throw new LoupeError({ code: 'network', message: `${base}/v1/exports answered ${res.status}`, hint: 'check the service URL' });
  const parsed = exportManifestSchema.safeParse(await res.json());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoupeError({ code: 'bad_input', message: `the export manifest is not valid: ${issue.path.join('.')} ${issue.message}`, file: `${base}/v1/exports` });
  }
  return parsed.data.exports;
}

async function readState(dir: string): Promise<SyncState> {
  try {
    return JSON.parse(await fsp.readFile(path.join(dir, STATE_FILE), 'utf8')) as SyncState;
  } catch {
    return {};
  }
}

/** Write-then-rename, so a crash never leaves half a state file. */
async function writeState(dir: string, state: SyncState): Promise<void> {
  const file = path.join(dir, STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(state));
  await fsp.rename(tmp, file);
}
