import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoupeError } from '../../../shared/errors';
import { openDatabase } from '../../../electron/core/db/duckdb';
import { localPathFor, syncExports, type SyncProgress } from '../../../electron/core/exports/sync-exports';
import { parseFaults } from '../../../service/http/faults';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { generateHistory } from '../../../service/sim/generate-history';
import { startService, type RunningService } from '../../../service/server';
import type { ExportEntry } from '../../../shared/service-contract';
import { tempDir } from '../../support/make-parquet';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
let dataDir: string;
let manifest: ExportEntry[];
const services: RunningService[] = [];
const fast = { attempts: 8, baseMs: 5, maxMs: 50 };

async function serve(faults?: string): Promise<RunningService> {
  const scenario = await loadScenario(path.join(fixtures, 'scenarios', 'canary-regression.yaml'));
  // speed 0: a frozen clock, so no live hour is added while a test syncs.
  const svc = await startService({ scenario: { ...scenario, live_from: '12h' }, dataDir, speed: 0, tokens: { tok: 'viewer' }, faults: parseFaults(faults) });
  services.push(svc);
  return svc;
}

function sameFiles(dir: string) {
  for (const e of manifest) {
    const mine = fs.readFileSync(localPathFor(dir, e));
    const theirs = fs.readFileSync(path.join(dataDir, 'exports', `date=${e.id.slice(0, 10)}`, `hour=${e.id.slice(11)}`, 'part-0.parquet'));
    expect(mine.equals(theirs), e.id).toBe(true);
  }
}

beforeAll(async () => {
  dataDir = tempDir('loupe-sync-svc-');
  const scenario = await loadScenario(path.join(fixtures, 'scenarios', 'canary-regression.yaml'));
  const db = await openDatabase();
  // 12 hourly partitions of ~150 KB each.
  manifest = (await generateHistory(db.conn, { ...scenario, rate: 0.6 }, { seed: 5, days: 0.5, out: path.join(dataDir, 'exports') })).entries;
  db.close();
}, 120_000);
afterAll(async () => {
  for (const s of services) await s.close();
});

describe('sync from the reference service', () => {
  it('downloads everything once, verified; a second sync downloads nothing', async () => {
    const svc = await serve();
    const dir = tempDir('loupe-sync-');
    const progress: SyncProgress[] = [];
    const first = await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: dir, onProgress: (p) => progress.push(p), progressEveryMs: 0 });
    expect(first).toMatchObject({ manifest: 12, downloaded: 12, skipped: 0, failed: [] });
    expect(first.bytes).toBe(manifest.reduce((s, e) => s + e.bytes, 0));
    sameFiles(dir);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ finished: true, filesDone: 12, filesTotal: 12, bytesDone: first.bytes });
    expect(progress.some((p) => p.bytesDone > 0 && p.bytesDone < first.bytes)).toBe(true);

    const second = await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: dir });
    expect(second).toMatchObject({ downloaded: 0, skipped: 12, bytes: 0 });
  });

  it('resumes a download killed halfway with Range and ends byte-identical', async () => {
    const svc = await serve('slow-ms=30');
    const dir = tempDir('loupe-sync-resume-');
    const ac = new AbortController();
    const half = manifest.reduce((s, e) => s + e.bytes, 0) / 2;
    await expect(
      syncExports({
        serviceUrl: svc.url, token: 'tok', exportsDir: dir, concurrency: 2, signal: ac.signal, progressEveryMs: 0,
        onProgress: (p) => { if (p.bytesDone > half) ac.abort(); },
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    const parts = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.part'));
    const done = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.parquet') && !f.includes('/.'));
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(12);

    const again = await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: dir, retry: fast });
    expect(again.failed).toEqual([]);
    expect(again.skipped).toBe(done.length);
    // Resumed parts were not fetched again from byte 0.
    const remaining = manifest.filter((e) => !done.some((d) => d.includes(`hour=${e.id.slice(11)}`))).reduce((s, e) => s + e.bytes, 0);
    expect(parts.length).toBeGreaterThan(0);
    expect(again.bytes).toBeLessThan(remaining);
    sameFiles(dir);
  });

  it('gets through 5xx, 429 with Retry-After and truncated downloads, complete and verified', async () => {
    const svc = await serve('error-rate=0.25,429-rate=0.15,truncate-rate=0.3,seed=11');
    const dir = tempDir('loupe-sync-faults-');
    const r = await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: dir, retry: { attempts: 12, baseMs: 5, maxMs: 40 } });
    expect(r.failed).toEqual([]);
    expect(r.downloaded).toBe(12);
    sameFiles(dir);
  });

  it('never replaces a good file with a download whose sha256 does not match', async () => {
    const svc = await serve();
    const dir = tempDir('loupe-sync-sha-');
    await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: dir });
    const target = manifest[3];
    const good = fs.readFileSync(localPathFor(dir, target));
    // The service now has a different file than its manifest says, and our state forgets ours.
    const served = path.join(dataDir, 'exports', `date=${target.id.slice(0, 10)}`, `hour=${target.id.slice(11)}`, 'part-0.parquet');
    const original = fs.readFileSync(served);
    fs.writeFileSync(served, Buffer.concat([original.subarray(0, original.length - 10), Buffer.alloc(10, 7)]));
    fs.rmSync(path.join(dir, '.loupe-sync.json'));
    try {
      const r = await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: dir, retry: { attempts: 2, baseMs: 1, maxMs: 2 } });
      expect(r.failed).toEqual([expect.objectContaining({ id: target.id, message: expect.stringMatching(/sha256 mismatch/) })]);
      expect(fs.readFileSync(localPathFor(dir, target)).equals(good)).toBe(true);
    } finally {
      fs.writeFileSync(served, original);
    }
  });

  it('stops with a message naming the folder when it cannot write', async () => {
    const svc = await serve();
    const blocker = path.join(tempDir('loupe-sync-ro-'), 'a-file');
    fs.writeFileSync(blocker, 'x');
    const err = await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: path.join(blocker, 'exports') }).catch((e) => e);
    expect(err).toBeInstanceOf(LoupeError);
    expect(err.file).toBe(path.join(blocker, 'exports'));
  });

  it('says so when the token is refused', async () => {
    const svc = await serve();
    await expect(syncExports({ serviceUrl: svc.url, token: 'wrong', exportsDir: tempDir('loupe-sync-401-') })).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
