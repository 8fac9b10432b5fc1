import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../../shared/api';
import { tempDir, writeRequestLog } from '../../support/make-parquet';
import { runLoupe } from '../../support/run-cli';

let dir: string;
let big: string;

beforeAll(async () => {
  dir = tempDir('loupe-cli-');
  big = path.join(dir, 'million.parquet');
  await writeRequestLog(big, 1_000_000);
});

describe('loupe inspect', () => {
  it('prints rows, time range and column stats of a 1M-row file as JSON', async () => {
    const res = await runLoupe(['inspect', big, '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const s = JSON.parse(res.stdout) as DatasetSummary;
    expect(s.rows).toBe(1_000_000);
    // One row a minute from 2026-11-01: row 999,999 is 999,999 minutes later = 2028-09-25 10:39.
    expect(s.timeRange).toEqual({ min: '2026-11-01T00:00:00.000Z', max: '2028-09-25T10:39:00.000Z' });
    const judge = s.columns.find((c) => c.name === 'judge_score')!;
    expect(judge.nullRate).toBeCloseTo(0.95, 10);
    expect(s.columns.find((c) => c.name === 'route')!.distinct).toBe(3);
  });

  it('prints a readable table without --json', async () => {
    const res = await runLoupe(['inspect', big]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('1,000,000 rows');
    expect(res.stdout).toMatch(/judge_score\s+DOUBLE\s+95\.0%\s+5\n/);
  });

  it('exits non-zero on a corrupt file, naming it', async () => {
    const bad = path.join(dir, 'broken.parquet');
    fs.writeFileSync(bad, fs.readFileSync(big).subarray(0, 4096));
    const res = await runLoupe(['inspect', bad, '--json']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(bad);
    expect(res.stderr).toMatch(/truncated or corrupt Parquet/);
    expect(JSON.parse(res.stdout).error).toMatchObject({ code: 'corrupt_parquet', file: bad });
  });

  it('reports the good files and still exits non-zero when one of several is bad', async () => {
    const notParquet = path.join(dir, 'readme.parquet');
    fs.writeFileSync(notParquet, '# not parquet');
    const res = await runLoupe(['inspect', big, notParquet, '--json']);
    expect(res.code).toBe(1);
    const s = JSON.parse(res.stdout) as DatasetSummary;
    expect(s.rows).toBe(1_000_000);
    expect(s.problems).toEqual([expect.objectContaining({ file: notParquet, code: 'not_parquet' })]);
    expect(res.stderr).toContain(notParquet);
  });

  it('exits non-zero on an empty folder', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const res = await runLoupe(['inspect', empty]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(empty);
    expect(res.stderr).toMatch(/no \.parquet files/);
  });
});
