import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoupeError } from '../../../shared/errors';
import { openDatabase, type Database } from '../../../electron/core/db/duckdb';
import { openDataset } from '../../../electron/core/workspace/open-dataset';
import { profileColumn } from '../../../electron/core/workspace/column-profile';
import { tempDir, writeRequestLog } from '../../support/make-parquet';

let db: Database;
let dir: string;
let n = 0;
const open = (paths: string[]) => openDataset(db.conn, String(++n), paths);

async function rejection(p: Promise<unknown>): Promise<LoupeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(LoupeError);
    return err as LoupeError;
  }
  throw new Error('expected the promise to reject');
}

beforeAll(async () => {
  db = await openDatabase();
  dir = tempDir('loupe-open-');
  await writeRequestLog(path.join(dir, 'log.parquet'), 1000);
  // A hive-partitioned export: date=…/hour=…/part.parquet
  for (const [date, hour, from] of [['2026-11-01', '00', 0], ['2026-11-01', '01', 60]] as const) {
    const part = path.join(dir, 'export', `date=${date}`, `hour=${hour}`);
    fs.mkdirSync(part, { recursive: true });
    await db.conn.run(`COPY (SELECT 'r' || i AS request_id, TIMESTAMP '${date}' + to_minutes(i) AS ts FROM range(${from}, ${from + 60}) t(i))
                       TO '${path.join(part, 'part-0.parquet')}' (FORMAT parquet)`);
  }
});

afterAll(() => db.close());

describe('opening Parquet', () => {
  it('reads schema, rows, time range, null rates and distinct counts', async () => {
    const { summary } = await open([path.join(dir, 'log.parquet')]);
    expect(summary.rows).toBe(1000);
    expect(summary.fileCount).toBe(1);
    expect(summary.timestampColumn).toBe('ts');
    // Row i is at minute i: the last of 1000 rows is 16h39m after midnight.
    expect(summary.timeRange).toEqual({ min: '2026-11-01T00:00:00.000Z', max: '2026-11-01T16:39:00.000Z' });
    const col = (name: string) => summary.columns.find((c) => c.name === name)!;
    expect(col('judge_score')).toMatchObject({ kind: 'numeric', nullCount: 950, nullRate: 0.95, distinct: 5 });
    expect(col('route')).toMatchObject({ kind: 'text', nullRate: 0, distinct: 3 });
    expect(col('locale').distinct).toBe(4);
    expect(col('refused').kind).toBe('boolean');
    expect(summary.problems).toEqual([]);
  });

  it('opens a folder recursively with its hive partitions', async () => {
    const { summary } = await open([path.join(dir, 'export')]);
    expect(summary.fileCount).toBe(2);
    expect(summary.rows).toBe(120);
    expect(summary.hivePartitions.sort()).toEqual(['date', 'hour']);
    expect(summary.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['request_id', 'ts', 'date', 'hour']));
    expect(summary.timestampColumn).toBe('ts');
  });

  it('opens a glob', async () => {
    const { summary } = await open([path.join(dir, 'export', '*', 'hour=01', '*.parquet')]);
    expect(summary.rows).toBe(60);
  });

  it('profiles columns as histograms and top values', async () => {
    const d = await open([path.join(dir, 'log.parquet')]);
    const stats = (name: string) => d.summary.columns.find((c) => c.name === name)!;
    const latency = await profileColumn(db.conn, d.relation, stats('latency_ms'), 10);
    expect(latency.kind).toBe('histogram');
    if (latency.kind === 'histogram') {
      expect(latency.bins).toHaveLength(10);
      expect(latency.bins.reduce((s, b) => s + b.count, 0)).toBe(1000);
      // latency = 100 + (i·37 mod 900) spans 100..999; the last bin is closed at the maximum.
      expect(latency.bins[0].start).toBe(100);
      expect(latency.bins[9].end).toBe(999);
    }
    const route = await profileColumn(db.conn, d.relation, stats('route'));
    expect(route).toEqual({
      kind: 'top-values',
      column: 'route',
      values: [
        { value: 'support', count: 334 },
        { value: 'billing', count: 333 },
        { value: 'search', count: 333 },
      ],
      otherCount: 0,
    });
  });
});

describe('bad input', () => {
  it('a file that is not Parquet names the file', async () => {
    const f = path.join(dir, 'notes.parquet');
    fs.writeFileSync(f, 'hello, I am a CSV\n1,2,3\n');
    const err = await rejection(open([f]));
    expect(err.code).toBe('not_parquet');
    expect(err.file).toBe(f);
  });

  it('a truncated file is reported as truncated, and good files beside it still load', async () => {
    const good = path.join(dir, 'log.parquet');
    const cut = path.join(dir, 'cut.parquet');
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await rejection(open([cut]));
    expect(err.code).toBe('corrupt_parquet');
    expect(err.message).toMatch(/truncated/);
    expect(err.file).toBe(cut);

    const { summary } = await open([good, cut]);
    expect(summary.rows).toBe(1000);
    expect(summary.problems).toEqual([expect.objectContaining({ file: cut, code: 'corrupt_parquet' })]);
  });

  it('a file with damaged data pages is set aside once the scan finds it', async () => {
    const good = path.join(dir, 'log.parquet');
    const damaged = path.join(dir, 'damaged.parquet');
    const bytes = Buffer.from(fs.readFileSync(good));
    // Keep the header magic and the footer; scramble the column chunks in between.
    for (let i = 8; i < bytes.length - 2000; i++) bytes[i] = (bytes[i] * 31 + 7) & 0xff;
    fs.writeFileSync(damaged, bytes);
    const { summary } = await open([good, damaged]);
    expect(summary.rows).toBe(1000);
    expect(summary.problems.map((p) => p.file)).toContain(damaged);
  });

  it('an empty file is named', async () => {
    const f = path.join(dir, 'empty.parquet');
    fs.writeFileSync(f, '');
    const err = await rejection(open([f]));
    expect(err.message).toMatch(/empty/);
    expect(err.file).toBe(f);
  });

  it('an empty folder and a missing path say so', async () => {
    const empty = path.join(dir, 'nothing-here');
    fs.mkdirSync(empty);
    expect((await rejection(open([empty]))).code).toBe('empty_folder');
    expect((await rejection(open([path.join(dir, 'missing.parquet')]))).code).toBe('not_found');
  });

  it('a file without a usable timestamp opens with a problem naming it', async () => {
    const f = path.join(dir, 'no-time.parquet');
    await db.conn.run(`COPY (SELECT range AS id, 'x' AS label FROM range(10)) TO '${f}' (FORMAT parquet)`);
    const { summary } = await open([f]);
    expect(summary.rows).toBe(10);
    expect(summary.timeRange).toBeNull();
    expect(summary.problems).toEqual([expect.objectContaining({ code: 'no_timestamp', file: f })]);
  });
});

describe('timestamp detection', () => {
  it.each([
    ['epoch seconds', 'tstamp', '1762000000 + i'],
    ['epoch milliseconds', 'timestamp', '1762000000000 + i * 1000'],
    ['epoch nanoseconds', 'start_time', '1762000000000000000 + i * 1000000000'],
    ['ISO text', 'created_at', "strftime(TIMESTAMP '2025-11-01 12:26:40' + to_seconds(i), '%Y-%m-%dT%H:%M:%S')"],
  ])('finds %s', async (_label, name, expr) => {
    const f = path.join(dir, `${name}.parquet`);
    await db.conn.run(`COPY (SELECT ${expr} AS ${name}, i FROM range(5) t(i)) TO '${f}' (FORMAT parquet)`);
    const { summary } = await open([f]);
    expect(summary.timestampColumn).toBe(name);
    expect(summary.timeRange).toEqual({ min: '2025-11-01T12:26:40.000Z', max: '2025-11-01T12:26:44.000Z' });
  });
});
