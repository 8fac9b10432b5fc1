import type { Command } from 'commander';
import { openDatabase } from '../../core/db/duckdb';
import { workspaceLiveAnalytics } from '../../core/tail/live-analytics';
import { TailRunner } from '../../core/tail/tail-runner';
import { guessRoles } from '../../core/workspace/guess-roles';
import { Workspace } from '../../core/workspace/workspace';
import { LoupeError } from '../../../shared/errors';
import type { TailSnapshot } from '../../../shared/live';
import { runCommand } from '../output';

/** `loupe tail`: the live tail into a workspace on a headless box, printing rates and alerts. */
export function registerTail(program: Command): void {
  program
    .command('tail')
    .description("stream the service's live tail into a workspace, printing rates and alerts (Ctrl-C stops)")
    .requiredOption('--service <url>', 'the service, e.g. http://127.0.0.1:8787')
    .option('--token <token>', 'bearer token (or LOUPE_TOKEN)')
    .option('--dir <dir>', 'the workspace folder', '.')
    .option('--from <where>', "'resume' (after the saved cursor), 'head', or a cursor number", 'resume')
    .option('--every <seconds>', 'seconds between status lines', '2')
    .option('--duration <seconds>', 'stop after this many seconds (default: until Ctrl-C)')
    .option('--json', 'one JSON object per line: {"type":"status"|"alert"|"summary"|"error",…}')
    .action(async (opts: { service: string; token?: string; dir: string; from: string; every: string; duration?: string; json?: boolean }) => {
      await runCommand(Boolean(opts.json), async () => {
        const token = opts.token ?? process.env.LOUPE_TOKEN;
        if (!token) throw new LoupeError({ code: 'bad_input', message: 'no token', hint: 'pass --token or set LOUPE_TOKEN' });
        const from = opts.from === 'head' || opts.from === 'resume' ? opts.from : Number(opts.from);
        if (typeof from === 'number' && !(Number.isInteger(from) && from >= 0)) {
          throw new LoupeError({ code: 'bad_input', message: `--from ${opts.from} is not a cursor`, hint: "use 'resume', 'head' or a whole number" });
        }
        const db = await openDatabase();
        const ws = await Workspace.open(db.conn, opts.dir, (c) => guessRoles(c).mapping);
        const runner = new TailRunner({
          instance: db.instance,
          serviceUrl: opts.service,
          token,
          from,
          analytics: workspaceLiveAnalytics,
        });
        const seen = new Set<string>();
        const out = (v: object) => process.stdout.write(`${JSON.stringify(v)}\n`);
        const report = () => {
          runner.evaluate();
          const s = runner.snapshot();
          if (opts.json) out({ type: 'status', ...statusOf(s) });
          else console.error(statusLine(s));
          for (const a of s.alerts) {
            // Once each, the first time it appears: an episode can start and end between two lines.
            // Not those the replayed stored hour raised: printed before the restart.
            if (seen.has(a.id) || a.replayed) continue;
            seen.add(a.id);
            if (opts.json) out({ type: 'alert', ...a });
            else console.log(`ALERT ${a.title}${a.active ? '' : ' (already over)'} — ${a.detail} (event time ${a.eventTime})`);
          }
        };
        try {
          await runner.start();
          const timer = setInterval(report, Math.max(0.2, Number(opts.every)) * 1000);
          const stop = () => void runner.stop();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          const limit = opts.duration ? setTimeout(stop, Number(opts.duration) * 1000) : null;
          await runner.done;
          clearInterval(timer);
          if (limit) clearTimeout(limit);
          report();
          const s = runner.snapshot();
          if (opts.json) out({ type: 'summary', ...statusOf(s) });
          else console.log(`${s.ingested} requests added, ${s.duplicates} already present, ${s.quarantined} quarantined, ${s.reconnects} reconnects; cursor ${s.cursor ?? '—'}`);
          if (s.error) throw new LoupeError(s.error);
        } finally {
          await ws.close();
          db.close();
        }
      }, { jsonLines: true });
    });
}

function statusOf(s: TailSnapshot) {
  return {
    state: s.state, received: s.received, ingested: s.ingested, duplicates: s.duplicates, quarantined: s.quarantined,
    reconnects: s.reconnects, retry: s.retry, cursor: s.cursor, eventsPerSecond: s.eventsPerSecond, lagMs: s.lagMs, gaps: s.gaps, memory: s.memory,
    versions: s.analytics.versions.map((v) => ({ deployment: v.deployment, version: v.version, judgeMean: v.judgeMean, judged: v.judged, errorRate: v.errorRate, status: v.status })),
    psi: s.analytics.psi.map((p) => ({ axis: p.axis, feature: p.feature, psi: p.psi })),
  };
}

function statusLine(s: TailSnapshot): string {
  const lag = s.lagMs == null ? '—' : `${(s.lagMs / 1000).toFixed(1)} s`;
  const versions = s.analytics.versions.map((v) => `${v.version} ${v.judgeMean == null ? '—' : v.judgeMean.toFixed(2)}${v.status === 'flagged' ? '!' : ''}`).join(' ');
  const rss = s.memory ? `  rss ${Math.round(s.memory.rssBytes / 2 ** 20)} MB` : '';
  const retry = s.retry ? `  retry ${s.retry.attempt}: ${s.retry.reason}` : '';
  return `[${s.state}] ${Math.round(s.eventsPerSecond)}/s  lag ${lag}  added ${s.ingested}  dup ${s.duplicates}  quarantined ${s.quarantined}  reconnects ${s.reconnects}${rss}${retry}${versions ? `  judge ${versions}` : ''}${s.gaps.length ? `  GAPS ${s.gaps.length} (run loupe sync)` : ''}`;
}
