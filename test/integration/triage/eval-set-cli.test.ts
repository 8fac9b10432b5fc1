import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHourlyExport } from '../../support/make-export';
import { tempDir } from '../../support/make-parquet';
import { runLoupe } from '../../support/run-cli';
import { kill9, startWebProcess } from '../../support/web-process';

type Queue = { cases: Array<{ case_id: string }> };

describe('loupe eval-set export', () => {
  it('writes the promoted cases of a workspace as JSONL', async () => {
    const dir = tempDir('loupe-evalset-');
    await writeHourlyExport(path.join(dir, 'exports'), 3, 60);
    const p = await startWebProcess({ LOUPE_HOME: tempDir('loupe-home-') });
    await p.call('openWorkspace', { dir });
    await p.call('triageCollect', {});
    const [a, b] = (await p.call<Queue>('triageQueue', { filter: {} })).cases;
    await p.call('triageAct', { caseId: a.case_id, action: 'label', rootCause: 'format_break' });
    await p.call('triageAct', { caseId: a.case_id, action: 'promote', expected: 'valid JSON' });
    await p.call('triageAct', { caseId: b.case_id, action: 'dismiss' });
    await p.call('closeWorkspace', {});
    await kill9(p);

    const out = path.join(dir, 'out', 'eval.jsonl');
    const res = await runLoupe(['eval-set', 'export', '--dir', dir, '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('1 eval case');
    const [line] = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(line).toMatchObject({ id: a.case_id, expected: 'valid JSON', root_cause: 'format_break', source_request_id: a.case_id.slice(4) });
    expect(fs.existsSync(path.join(dir, 'out', 'eval.parquet'))).toBe(true);
  }, 120_000);
});
