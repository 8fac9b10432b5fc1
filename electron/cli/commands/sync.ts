import type { Command } from 'commander';
import { syncExports, type SyncProgress } from '../../core/exports/sync-exports';
import { workspaceLayout } from '../../core/workspace/layout';
import { printJson, runCommand } from '../output';

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;

export function registerSync(program: Command): void {
  program
    .command('sync')
    .description("download new or changed export partitions from the service into a workspace's exports/ folder")
    .requiredOption('--service <url>', 'the service, e.g. http://127.0.0.1:8787')
    .option('--token <token>', 'bearer token (or LOUPE_TOKEN)')
    .requiredOption('--dir <dir>', 'the workspace folder')
    .option('--concurrency <n>', 'partitions downloaded at once', '3')
    .option('--json', 'print a JSON summary')
    .action(async (opts: { service: string; token?: string; dir: string; concurrency: string; json?: boolean }) => {
      await runCommand(Boolean(opts.json), async () => {
        const token = opts.token ?? process.env.LOUPE_TOKEN;
        if (!token) throw new Error('no token: pass --token or set LOUPE_TOKEN');
        const tty = process.stderr.isTTY && !opts.json;
        const ac = new AbortController();
        process.once('SIGINT', () => ac.abort());
        let lastLine = 0;
        const onProgress = (p: SyncProgress) => {
          const line = `${p.filesDone}/${p.filesTotal} files  ${mb(p.bytesDone)} / ${mb(p.bytesTotal)}  ${mb(p.bytesPerSecond)}/s${p.etaSeconds != null ? `  ETA ${Math.ceil(p.etaSeconds)} s` : ''}`;
          if (tty) {
            const width = 24;
            const filled = p.bytesTotal ? Math.round((p.bytesDone / p.bytesTotal) * width) : width;
            process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${line}   `);
            if (p.finished) process.stderr.write('\n');
          } else if (!opts.json && (p.finished || Date.now() - lastLine > 2000)) {
            // Plain lines for logs and CI: one every couple of seconds, and the last.
            lastLine = Date.now();
            process.stderr.write(`${line}\n`);
          }
        };
        const r = await syncExports({
          serviceUrl: opts.service,
          token,
          exportsDir: workspaceLayout(opts.dir).exportsDir,
          concurrency: Number(opts.concurrency),
          signal: ac.signal,
          onProgress,
        });
        if (opts.json) printJson(r);
        else {
          console.log(`${r.downloaded} downloaded, ${r.skipped} up to date, ${mb(r.bytes)} in ${r.seconds.toFixed(1)} s (${mb(r.bytes / Math.max(r.seconds, 0.001))}/s)`);
          for (const f of r.failed) console.error(`loupe: ${f.file}: ${f.message}`);
        }
        if (r.failed.length) process.exitCode = 1;
      });
    });
}
