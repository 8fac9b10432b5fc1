import crypto from 'node:crypto';
import type { Command } from 'commander';
import { checkConfirmation } from '../../core/control/confirmation';
import { describeChanges } from '../../core/control/what-changed';
import type { ControlKind } from '../../core/control/service-client';
import { LoupeError, toErrorValue } from '../../../shared/errors';
import { printJson, runCommand } from '../output';
import { clientFrom, trafficText, type ServiceFlags } from './deployments';

export interface ActFlags extends ServiceFlags {
  deployment: string;
  to: string;
  reason: string;
  revision?: string;
  idempotencyKey?: string;
  confirm?: string;
  json?: boolean;
}

/** Exit code for a 409/412: the deployment changed or the action does not apply; look, then decide again. */
export const EXIT_CONFLICT = 3;

/**
 * One rollback or override: the deployment is read first (its revision becomes If-Match unless
 * --revision pins the one the user looked at), one Idempotency-Key is used for every attempt
 * and printed on a network failure, so re-running with it cannot act twice.
 */
export async function runControlAction(kind: ControlKind, opts: ActFlags): Promise<void> {
  await runCommand(Boolean(opts.json), async () => {
    const client = clientFrom(opts);
    const before = await client.deployment(opts.deployment);
    if (kind === 'override') checkConfirmation(before.id, before.name, opts.confirm);
    const key = opts.idempotencyKey ?? `loupe-cli-${crypto.randomUUID()}`;
    const revision = opts.revision ?? before.revision;
    let r;
    try {
      r = await client.act({ kind, deployment: opts.deployment, revision, idempotencyKey: key, action: { version: opts.to, reason: opts.reason } }, before);
    } catch (err) {
      const e = toErrorValue(err);
      if (e.code === 'network') {
        throw new LoupeError({ ...e, hint: `nothing was confirmed; re-run with --idempotency-key ${key} --revision ${revision}: the service will not act twice` });
      }
      throw err;
    }
    if (opts.json) printJson({ idempotencyKey: key, ...r });
    if (r.outcome === 'conflict') {
      // A stale --revision is compared with what the user looked at, not with a fresh read.
      const changes = r.current && opts.revision && opts.revision !== before.revision ? describeChanges({ ...before, revision: opts.revision }, r.current) : r.changes;
      if (!opts.json) {
        console.error(`loupe: ${kind} refused (${r.status} ${r.code}): ${r.message}`);
        for (const c of changes) console.error(`  ${c.field}: ${c.before} → ${c.after}`);
        if (r.current) console.error(`  now: ${r.current.state}, traffic ${trafficText(r.current)}, revision ${r.current.revision}`);
        console.error('  look again (loupe deployments) and decide; nothing was changed by this request');
      }
      process.exitCode = EXIT_CONFLICT;
      return;
    }
    if (!opts.json) {
      console.log(`${r.replayed ? 'already done (replayed)' : 'done'}: ${kind} of ${r.deployment.id} to ${opts.to} — state ${r.deployment.state}, traffic ${trafficText(r.deployment)}, revision ${r.deployment.revision}`);
      console.log(`audit ${r.audit.id} by ${r.audit.actor} at ${r.audit.at}: ${r.audit.reason}`);
    }
  });
}

export function addActionOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--service <url>', 'the service, e.g. http://127.0.0.1:8787')
    .option('--token <token>', 'bearer token (or LOUPE_TOKEN); must be an operator token')
    .requiredOption('--deployment <id>', 'the deployment')
    .requiredOption('--to <version>', 'the version to send traffic to')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .option('--revision <rev>', 'act only if the deployment is still at this revision (as printed by loupe deployments)')
    .option('--idempotency-key <key>', 'reuse the key of an attempt that failed on the network')
    .option('--actor <name>', 'who acts, for the audit log (default: the OS user)')
    .option('--json', 'print JSON');
}

export function registerRollback(program: Command): void {
  addActionOptions(program.command('rollback').description('pin a deployment to a version (a rollback the automation missed)')).action((opts: ActFlags) =>
    runControlAction('rollback', opts),
  );
}
