import type { Command } from 'commander';
import { openDatabase } from '../../core/db/duckdb';
import { exportEvalSet } from '../../core/triage/eval-set';
import { guessRoles } from '../../core/workspace/guess-roles';
import { Workspace } from '../../core/workspace/workspace';
import { printJson, runCommand } from '../output';

export function registerEvalSet(program: Command): void {
  const evalSet = program.command('eval-set').description('the offline eval set built from promoted triage cases');
  evalSet
    .command('export')
    .description('write the promoted cases of a workspace as JSONL (and Parquet beside it)')
    .requiredOption('--dir <dir>', 'the workspace folder')
    .requiredOption('--out <file>', 'the JSONL file to write')
    .option('--no-parquet', 'skip the Parquet copy')
    .option('--json', 'print a JSON summary')
    .action(async (opts: { dir: string; out: string; parquet: boolean; json?: boolean }) => {
      await runCommand(Boolean(opts.json), async () => {
        const db = await openDatabase();
        try {
          const ws = await Workspace.open(db.conn, opts.dir, (c) => guessRoles(c).mapping);
          const r = await exportEvalSet(db.conn, ws.current.roles?.mapping ?? null, opts.out, { parquet: opts.parquet });
          if (opts.json) printJson(r);
          else console.log(`${r.cases} eval case${r.cases === 1 ? '' : 's'} → ${r.files.join(', ')}`);
          await ws.close();
        } finally {
          db.close();
        }
      });
    });
}
