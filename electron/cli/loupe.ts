import { Command } from 'commander';
import { commands } from './commands/index';

const program = new Command('loupe')
  .description('Loupe: inspect, drift-check and triage LLM production logs from the command line')
  .showHelpAfterError();

for (const register of commands) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
