import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, quoteLiteral } from '../../electron/core/db/duckdb';
import { LOG_SCHEMA_VERSION, logColumnsV1, type LogRecord } from '../../shared/log-schema';
import type { ExportEntry } from '../../shared/service-contract';

const HOUR = 3_600_000;

export const manifestFile = (dir: string) => path.join(dir, 'manifest.json');

/**
 * Records on their way to an export, written to NDJSON on disk as they come, so an hour of live
 * traffic is not held in memory until the hour ends (at 1,000 requests/s an hour of records as
 * JS objects is ~4 GB, past V8's heap limit: the service died at minute 56 of a 60-minute bench).
 */
export class RecordSpool {
  readonly dir: string;
  readonly file: string;
  private readonly out: fs.WriteStream;
  private failure: Error | null = null;
  count = 0;

  constructor(parent = os.tmpdir()) {
    this.dir = fs.mkdtempSync(path.join(parent, 'loupe-export-'));
    this.file = path.join(this.dir, 'records.ndjson');
    this.out = fs.createWriteStream(this.file);
    // Reported when the hour is written, as a failed export (a full disk must not crash the service).
    this.out.on('error', (err) => (this.failure ??= err));
  }

  /** Resolves at once unless the file's buffer is full (then when it drains). */
  add(r: LogRecord): Promise<void> | void {
    if (this.failure) return;
    this.count++;
    const hourStart = new Date(Math.floor(Date.parse(r.ts) / HOUR) * HOUR).toISOString();
    if (!this.out.write(JSON.stringify({ ...r, loupe_date: hourStart.slice(0, 10), loupe_hour: hourStart.slice(11, 13) }) + '\n')) {
      return new Promise<void>((res) => {
        const done = () => {
          this.out.off('drain', done).off('error', done);
          res();
        };
        this.out.once('drain', done).once('error', done);
      });
    }
  }

  /** Writes the spooled records as hourly partitions into `dir` and removes the spool. */
  async writePartitions(conn: DuckDBConnection, dir: string): Promise<ExportEntry[]> {
    await new Promise<void>((res) => this.out.end(() => res()));
    try {
      if (this.failure) throw new Error(`spooling records to ${this.file} failed: ${this.failure.message}`);
      return this.count ? await copyPartitions(conn, dir, this.file, this.dir) : [];
    } finally {
      await fsp.rm(this.dir, { recursive: true, force: true });
    }
  }

  /** Drops the spool unwritten. */
  async discard(): Promise<void> {
    await new Promise<void>((res) => this.out.end(() => res()));
    await fsp.rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Writes records (of one or more whole UTC hours) as hourly zstd Parquet partitions,
 * `date=YYYY-MM-DD/hour=HH/part-0.parquet`, with the schema version in the key-value metadata.
 * Records go through NDJSON into one DuckDB COPY … PARTITION_BY, which is far faster than
 * row-by-row inserts. Returns the manifest entries of the files written.
 */
export async function writeHourlyPartitions(conn: DuckDBConnection, dir: string, records: LogRecord[]): Promise<ExportEntry[]> {
  if (records.length === 0) return [];
  const spool = new RecordSpool();
  for (const r of records) await spool.add(r);
  return spool.writePartitions(conn, dir);
}

async function copyPartitions(conn: DuckDBConnection, dir: string, ndjson: string, tmpDir: string): Promise<ExportEntry[]> {
  const columns = Object.fromEntries([...logColumnsV1.map(([n, t]) => [n, t === 'TIMESTAMP' ? 'VARCHAR' : t]), ['loupe_date', 'VARCHAR'], ['loupe_hour', 'VARCHAR']]);
  const select = logColumnsV1.map(([n, t]) => (t === 'TIMESTAMP' ? `CAST(${n} AS TIMESTAMP) AS ${n}` : n)).join(', ');
  const staging = path.join(tmpDir, 'out');
  await conn.run(
    `COPY (SELECT ${select}, loupe_date AS "date", loupe_hour AS "hour"
             FROM read_json(${quoteLiteral(ndjson)}, format = 'newline_delimited', columns = ${duckStruct(columns)})
            ORDER BY ts)
       TO ${quoteLiteral(staging)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ("date", "hour"),
         FILENAME_PATTERN 'part-{i}', KV_METADATA {loupe_schema_version: '${LOG_SCHEMA_VERSION}'})`,
  );

  // Move finished files into place: each lands whole (rename), replacing an older export of the same hour.
  const entries: ExportEntry[] = [];
  const files = await queryRows<{ file: string }>(conn, 'SELECT file FROM glob($1) ORDER BY file', [path.join(staging, '**', '*.parquet')]);
  for (const { file } of files) {
    const rel = path.relative(staging, file);
    const m = /date=(\d{4}-\d{2}-\d{2})[\\/]hour=(\d{2})/.exec(rel);
    if (!m) continue;
    const dest = path.join(dir, `date=${m[1]}`, `hour=${m[2]}`, 'part-0.parquet');
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.rename(file, dest).catch(async () => {
      await fsp.copyFile(file, dest);
      await fsp.rm(file);
    });
    entries.push(await describeFile(conn, dir, dest));
  }
  return entries;
}

export async function describeFile(conn: DuckDBConnection, dir: string, file: string): Promise<ExportEntry> {
  const rel = path.relative(dir, file);
  const m = /date=(\d{4}-\d{2}-\d{2})[\\/]hour=(\d{2})/.exec(rel)!;
  const start = new Date(`${m[1]}T${m[2]}:00:00Z`);
  const bytes = (await fsp.stat(file)).size;
  const sha256 = await sha256File(file);
  const [meta] = await queryRows<{ n: number }>(conn, 'SELECT num_rows AS n FROM parquet_file_metadata($1)', [file]);
  return {
    id: `${m[1]}T${m[2]}`,
    start: start.toISOString(),
    end: new Date(start.getTime() + HOUR).toISOString(),
    rows: meta?.n ?? 0,
    bytes,
    sha256,
    schema_version: LOG_SCHEMA_VERSION,
  };
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = crypto.createHash('sha256');
    fs.createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

/** Partition file of an export id ("2026-11-09T00"). */
export function fileForId(dir: string, id: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})$/.exec(id);
  return m ? path.join(dir, `date=${m[1]}`, `hour=${m[2]}`, 'part-0.parquet') : null;
}

export async function readManifest(dir: string): Promise<ExportEntry[]> {
  try {
    return (JSON.parse(await fsp.readFile(manifestFile(dir), 'utf8')) as { exports: ExportEntry[] }).exports;
  } catch {
    return [];
  }
}

export async function writeManifest(dir: string, entries: ExportEntry[]): Promise<void> {
  const sorted = [...new Map(entries.map((e) => [e.id, e])).values()].sort((a, b) => a.id.localeCompare(b.id));
  const tmp = `${manifestFile(dir)}.${process.pid}.tmp`;
  await fsp.mkdir(dir, { recursive: true });
  await fsp.writeFile(tmp, JSON.stringify({ exports: sorted }, null, 1));
  await fsp.rename(tmp, manifestFile(dir));
}

function duckStruct(cols: Record<string, string>): string {
  return `{${Object.entries(cols).map(([k, v]) => `${quoteLiteral(k)}: ${quoteLiteral(v)}`).join(', ')}}`;
}
