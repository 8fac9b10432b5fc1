import type { Command } from 'commander';
import { registerEvalSet } from './eval-set';
import { registerInspect } from './inspect';
import { registerSync } from './sync';
import { registerDrift } from './drift';
import { registerPsi } from './psi';
import { registerJudge } from './judge';
import { registerDeployments } from './deployments';
import { registerRollback } from './rollback';
import { registerOverride } from './override';
import { registerTail } from './tail';

/** Each command lives in its own file and registers itself; this list is the whole CLI. */
export const commands: Array<(program: Command) => void> = [registerInspect, registerSync, registerEvalSet, registerDrift, registerPsi, registerJudge];
commands.push(registerDeployments, registerRollback, registerOverride);
commands.push(registerTail);
