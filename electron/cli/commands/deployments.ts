import type { Command } from 'commander';
import { ControlClient } from '../../core/control/service-client';
import { defaultActor } from '../../core/control/control-session';
import type { Deployment } from '../../../shared/service-contract';
import { printJson, runCommand } from '../output';

export interface ServiceFlags {
  service: string;
  token?: string;
  actor?: string;
}

/** The control client for --service/--token (or LOUPE_TOKEN), acting as --actor or the OS user. */
export function clientFrom(opts: ServiceFlags): ControlClient {
  const token = opts.token ?? process.env.LOUPE_TOKEN;
  if (!token) throw new Error('no token: pass --token or set LOUPE_TOKEN');
  return new ControlClient({ url: opts.service, token, actor: opts.actor ?? defaultActor() });
}

export function trafficText(d: Deployment): string {
  return Object.entries(d.traffic)
    .map(([v, w]) => `${v} ${Math.round(w * 100)}%`)
    .join(', ');
}

export function registerDeployments(program: Command): void {
  program
    .command('deployments')
    .description("list the service's deployments: versions, traffic split, state, SLOs and the revision to act on")
    .requiredOption('--service <url>', 'the service, e.g. http://127.0.0.1:8787')
    .option('--token <token>', 'bearer token (or LOUPE_TOKEN)')
    .option('--json', 'print JSON')
    .action(async (opts: ServiceFlags & { json?: boolean }) => {
      await runCommand(Boolean(opts.json), async () => {
        const client = clientFrom(opts);
        const [who, deployments] = await Promise.all([client.role(), client.deployments()]);
        if (opts.json) return printJson({ role: who.role, serviceNow: who.now, deployments });
        console.log(`service ${opts.service} · token role ${who.role}${who.role === 'viewer' ? ' (read only: rollback and override need an operator token)' : ''}`);
        for (const d of deployments) {
          console.log(`\n${d.id}${d.name !== d.id ? ` (${d.name})` : ''}  ${d.state}${d.pinned_version ? ` → pinned ${d.pinned_version}` : ''}  revision ${d.revision}`);
          console.log(`  traffic   ${trafficText(d)}`);
          console.log(`  SLO       judge mean ≥ ${d.slo.judge_mean_min}, error rate ≤ ${(d.slo.error_rate_max * 100).toFixed(1)}% over ${d.slo.window_minutes} min`);
          for (const v of d.versions) console.log(`  ${v.version.padEnd(9)} ${v.model} · prompt ${v.prompt_revision} · since ${v.created_at}`);
        }
      });
    });
}
