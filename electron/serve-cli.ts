import { Command } from 'commander';
import { runBrowserMode, stopOnSignals } from './browser-mode';

/** `npm run web`: browser mode on loopback, printing the URL with its token. */
const program = new Command('loupe-web')
  .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '0')
  .option('--token <t>', 'use this token instead of a random one (tests)')
  .parse(process.argv);
const opts = program.opts<{ port: string; token?: string }>();

const server = await runBrowserMode({ port: Number(opts.port), token: opts.token });
console.log(`Loupe (browser mode) on ${server.openUrl}`);
stopOnSignals(server.close);
