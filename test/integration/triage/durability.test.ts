import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHourlyExport } from '../../support/make-export';
import { tempDir } from '../../support/make-parquet';
import { kill9, startWebProcess } from '../../support/web-process';

type Queue = { cases: Array<{ case_id: string; root_cause: string | null; status: string; note: string | null }> };
const CAUSES = ['retrieval_miss', 'hallucination', 'format_break', 'safety', 'other'];
const RUNS = 5;

describe('labels survive a crash', () => {
  it(`every acknowledged label is there after SIGKILL and restart (${RUNS} runs)`, async () => {
    const dir = tempDir('loupe-durable-');
    const home = tempDir('loupe-home-');
    await writeHourlyExport(path.join(dir, 'exports'), 6, 60);
    const acknowledged = new Map<string, { root_cause?: string; note?: string; status?: string }>();

    let p = await startWebProcess({ LOUPE_HOME: home });
    await p.call('openWorkspace', { dir });
    await p.call('triageCollect', {});
    const cases = (await p.call<Queue>('triageQueue', { filter: {} })).cases.map((c) => c.case_id);
    expect(cases.length).toBeGreaterThanOrEqual(RUNS * 4);

    for (let run = 0; run < RUNS; run++) {
      // Acknowledged means the call returned: that is when the UI shows "saved".
      const mine = cases.slice(run * 4, run * 4 + 4);
      for (const [i, caseId] of mine.entries()) {
        const root_cause = CAUSES[(run + i) % CAUSES.length];
        await p.call('triageAct', { caseId, action: 'label', rootCause: root_cause });
        acknowledged.set(caseId, { ...acknowledged.get(caseId), root_cause });
      }
      await p.call('triageAct', { caseId: mine[0], action: 'note', note: `run ${run}` });
      acknowledged.set(mine[0], { ...acknowledged.get(mine[0]), note: `run ${run}` });
      // Kill straight after the last acknowledgement: no graceful shutdown, no checkpoint.
      await kill9(p);

      p = await startWebProcess({ LOUPE_HOME: home });
      await p.call('openWorkspace', { dir });
      const after = new Map((await p.call<Queue>('triageQueue', { filter: {} })).cases.map((c) => [c.case_id, c]));
      for (const [caseId, want] of acknowledged) {
        expect(after.get(caseId)?.root_cause, `${caseId} after run ${run}`).toBe(want.root_cause);
        if (want.note) expect(after.get(caseId)?.note).toBe(want.note);
      }
    }
    await kill9(p);
  }, 240_000);
});
