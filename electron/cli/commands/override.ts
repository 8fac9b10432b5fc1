import type { Command } from 'commander';
import { addActionOptions, runControlAction, type ActFlags } from './rollback';

export function registerOverride(program: Command): void {
  addActionOptions(
    program.command('override').description('re-enable a version an automatic rollback took out of traffic (needs --confirm <deployment name>)'),
  )
    .option('--confirm <name>', 'the deployment name, typed out: an override undoes the automation')
    .action((opts: ActFlags) => runControlAction('override', opts));
}
