import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, queryOne, type Database } from '../../../electron/core/db/duckdb';
import { guessRoles } from '../../../electron/core/workspace/guess-roles';
import { workspaceLayout } from '../../../electron/core/workspace/layout';
import { EXACT_DISTINCT_MAX_VALUES } from '../../../electron/core/workspace/column-stats';
import { Workspace } from '../../../electron/core/workspace/workspace';
import { writeHourlyExport } from '../../support/make-export';
import { tempDir } from '../../support/make-parquet';

const guess = (cols: Array<{ name: string; type: string }>) => guessRoles(cols).mapping;
let db: Database;
let dir: string;

beforeEach(async () => {
  process.env.LOUPE_HOME = tempDir('loupe-home-');
  db = await openDatabase();
  dir = tempDir('loupe-ws-');
});
afterEach(() => db.close());

const exportsDir = () => workspaceLayout(dir).exportsDir;
const count = async () => (await queryOne<{ n: number }>(db.conn, 'SELECT count(*) AS n FROM ws.requests'))!.n;

describe('a workspace', () => {
  it('imports every partition once, then only new ones', async () => {
    await writeHourlyExport(exportsDir(), 6, 50);
    const ws = await Workspace.open(db.conn, dir, guess);
    expect(ws.current.lastIngest).toMatchObject({ filesSeen: 6, filesIngested: 6, rowsAdded: 300, duplicates: 0 });
    expect(ws.current.dataset?.summary.rows).toBe(300);
    expect(ws.current.dataset?.summary.timeRange).toEqual({ min: '2026-11-01T00:00:00.000Z', max: '2026-11-01T05:58:48.000Z' });

    const again = await ws.refresh();
    expect(again.lastIngest.filesIngested).toBe(0);

    await writeHourlyExport(exportsDir(), 2, 50, 6);
    const grown = await ws.refresh();
    expect(grown.lastIngest).toMatchObject({ filesIngested: 2, rowsAdded: 100 });
    expect(await count()).toBe(400);
  });

  it('survives a reopen: state, rows and roles are on disk', async () => {
    await writeHourlyExport(exportsDir(), 3, 20);
    const ws = await Workspace.open(db.conn, dir, guess);
    expect(ws.current.roles?.guessed).toBe(true);
    const mapping = ws.current.roles!.mapping;
    await ws.setRoles({ ...mapping, dimensions: [{ column: 'route' }] });
    await ws.close();

    const reopened = await Workspace.open(db.conn, dir, guess);
    expect(reopened.current.lastIngest.filesIngested).toBe(0);
    expect(reopened.current.dataset?.summary.rows).toBe(60);
    expect(reopened.current.roles).toEqual({ mapping: { ...mapping, dimensions: [{ column: 'route' }] }, guessed: false });
  });

  it('counts distinct values exactly where there are few, and estimates ids and text, live rows included', async () => {
    await writeHourlyExport(exportsDir(), 1, 10);
    const ws = await Workspace.open(db.conn, dir, guess);
    expect(ws.current.dataset?.summary.distinctApprox).toBe(false);
    expect(ws.current.dataset?.summary.columns.every((c) => !c.distinctApprox)).toBe(true);
    // A live tail: rows with no file of their own, more request ids than are counted exactly.
    const live = EXACT_DISTINCT_MAX_VALUES + 50_000;
    await db.conn.run(
      `INSERT INTO ws.requests (request_id, ts, model_version, _file)
       SELECT 'live-' || range, TIMESTAMP '2026-11-02' + range * INTERVAL 1 MILLISECOND, 'live-v' || (range % 3), 'tail:test' FROM range(${live})`,
    );
    await ws.close();
    const summary = (await Workspace.open(db.conn, dir, guess)).current.dataset!.summary;
    expect(summary.rows).toBe(live + 10);
    expect(summary.distinctApprox).toBe(true);
    const column = (name: string) => summary.columns.find((c) => c.name === name)!;
    expect(column('request_id').distinctApprox).toBe(true);
    // DuckDB's HyperLogLog has 64 registers: ~13 % standard error (9 % off on these ids).
    expect(Math.abs(column('request_id').distinct! / (live + 10) - 1)).toBeLessThan(0.3);
    const exportVersions = (await queryOne<{ n: number }>(db.conn, "SELECT count(DISTINCT model_version) AS n FROM ws.requests WHERE _file NOT LIKE 'tail:%'"))!.n;
    expect(column('model_version')).toMatchObject({ distinct: exportVersions + 3, distinctApprox: false });
  });

  it('rejects a role mapped to a column that does not exist', async () => {
    await writeHourlyExport(exportsDir(), 1, 10);
    const ws = await Workspace.open(db.conn, dir, guess);
    await expect(ws.setRoles({ roles: { timestamp: { column: 'when' } }, dimensions: [] })).rejects.toThrow(/no column named "when"/);
  });

  it('re-imports a partition whose file changed, replacing its rows', async () => {
    const [first] = await writeHourlyExport(exportsDir(), 2, 30);
    const ws = await Workspace.open(db.conn, dir, guess);
    await db.conn.run(`COPY (SELECT * FROM read_parquet('${first}') LIMIT 10) TO '${first}.new' (FORMAT parquet)`);
    fs.renameSync(`${first}.new`, first);
    const r = await ws.refresh();
    expect(r.lastIngest.filesIngested).toBe(1);
    expect(await count()).toBe(40);
  });
});

describe('bad input in a workspace', () => {
  it('quarantines a truncated partition, lists it, and imports the rest', async () => {
    const files = await writeHourlyExport(exportsDir(), 3, 40);
    const bytes = fs.readFileSync(files[1]);
    fs.writeFileSync(files[1], bytes.subarray(0, 300));
    const ws = await Workspace.open(db.conn, dir, guess);
    expect(await count()).toBe(80);
    const q = ws.current.quarantined;
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ code: 'corrupt_parquet' });
    expect(q[0].file).toContain(path.join('quarantine', 'date=2026-11-01', 'hour=01'));
    expect(q[0].message).toContain(files[1]);
    expect(fs.existsSync(files[1])).toBe(false);
    // Still listed after a reopen, and not re-imported.
    await ws.close();
    const again = await Workspace.open(db.conn, dir, guess);
    expect(again.current.quarantined).toHaveLength(1);
  });

  it('quarantines an empty (0-byte) file and a non-Parquet file', async () => {
    await writeHourlyExport(exportsDir(), 1, 10);
    const empty = path.join(exportsDir(), 'date=2026-11-02', 'hour=00', 'part-0.parquet');
    fs.mkdirSync(path.dirname(empty), { recursive: true });
    fs.writeFileSync(empty, '');
    const text = path.join(exportsDir(), 'notes.parquet');
    fs.writeFileSync(text, 'request_id,ts\n1,2\n');
    const ws = await Workspace.open(db.conn, dir, guess);
    expect(await count()).toBe(10);
    expect(ws.current.quarantined.map((p) => p.code).sort()).toEqual(['corrupt_parquet', 'not_parquet']);
    expect(ws.current.quarantined.find((p) => p.code === 'corrupt_parquet')!.message).toMatch(/empty/);
  });

  it('imports a partition whose column type changed, casting it and listing the conflict', async () => {
    await writeHourlyExport(exportsDir(), 2, 20);
    const odd = path.join(exportsDir(), 'date=2026-11-01', 'hour=05', 'part-0.parquet');
    fs.mkdirSync(path.dirname(odd), { recursive: true });
    await db.conn.run(`COPY (SELECT 'odd' || i AS request_id, TIMESTAMP '2026-11-01 05:00:00' AS ts,
                              CASE WHEN i = 0 THEN 'n/a' ELSE '250' END AS latency_ms, 'x' AS new_column
                         FROM range(4) t(i)) TO '${odd}' (FORMAT parquet)`);
    const ws = await Workspace.open(db.conn, dir, guess);
    expect(await count()).toBe(44);
    const conflict = ws.current.quarantined.find((p) => p.code === 'schema_conflict');
    expect(conflict).toMatchObject({ column: 'latency_ms' });
    expect(conflict!.message).toMatch(/VARCHAR here but INTEGER in the workspace/);
    const row = await queryOne<{ n: number; nulls: number; extra: number }>(
      db.conn,
      `SELECT count(*) AS n, count(*) FILTER (latency_ms IS NULL) AS nulls, count(new_column) AS extra FROM ws.requests WHERE request_id LIKE 'odd%'`,
    );
    expect(row).toEqual({ n: 4, nulls: 1, extra: 4 });
  });

  it('lists a partition without the timestamp column and imports the others', async () => {
    await writeHourlyExport(exportsDir(), 2, 20);
    const noTime = path.join(exportsDir(), 'date=2026-11-01', 'hour=07', 'part-0.parquet');
    fs.mkdirSync(path.dirname(noTime), { recursive: true });
    await db.conn.run(`COPY (SELECT 'nt' || range AS request_id, 'search' AS route FROM range(5)) TO '${noTime}' (FORMAT parquet)`);
    const ws = await Workspace.open(db.conn, dir, guess);
    expect(await count()).toBe(40);
    expect(ws.current.quarantined).toEqual([expect.objectContaining({ code: 'no_timestamp', column: 'ts', file: noTime })]);
  });

  it('counts duplicate request ids across partitions and keeps one of each', async () => {
    await writeHourlyExport(exportsDir(), 2, 25);
    // A re-export of hour 1 under another name: the same 25 request ids again.
    const copy = path.join(exportsDir(), 'date=2026-11-01', 'hour=01', 'part-1.parquet');
    fs.copyFileSync(path.join(exportsDir(), 'date=2026-11-01', 'hour=01', 'part-0.parquet'), copy);
    const ws = await Workspace.open(db.conn, dir, guess);
    expect(await count()).toBe(50);
    expect(ws.current.duplicates).toBe(25);
    const distinct = await queryOne<{ n: number }>(db.conn, 'SELECT count(DISTINCT request_id) AS n FROM ws.requests');
    expect(distinct!.n).toBe(50);
  });

  it('names the folder when it cannot be created', async () => {
    const blocker = path.join(dir, 'file-not-folder');
    fs.writeFileSync(blocker, 'x');
    await expect(Workspace.open(db.conn, path.join(blocker, 'ws'), guess)).rejects.toMatchObject({
      code: 'bad_input',
      file: path.join(blocker, 'ws'),
    });
  });
});
