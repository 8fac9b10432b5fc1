import { Command } from 'commander';
import { formatError, toErrorValue } from '../shared/errors';
import { openDatabase } from '../electron/core/db/duckdb';
import { loadScenario } from './scenario/load-scenario';
import { generateHistory } from './sim/generate-history';
import { parseFaults } from './http/faults';
import { startService } from './server';

/** `npm run service -- …`: the reference service, or `export` to write a sample data set. */
const program = new Command('loupe-service').description('Loupe reference service: simulated LLM production traffic behind the service contract');

program
  .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '8787')
  .option('--scenario <file>', 'scenario file (JSON or YAML); default service/scenarios/default.yaml')
  .option('--seed <n>', 'random seed', '42')
  .option('--speed <x>', 'simulated seconds per real second', '1')
  .option('--data-dir <dir>', 'exports and durable state', '.loupe-service')
  .option('--token <t>', 'operator token (read + control)', 'operator-token')
  .option('--viewer-token <t>', 'viewer token (read only)', 'viewer-token')
  .option('--faults <spec>', 'fault injection, e.g. drop-every=500,error-rate=0.1,429-rate=0.05,slow-ms=200,truncate-rate=0.2,malformed-rate=0.01')
  .option('--rate <r>', 'override the scenario request rate (requests/s)')
  .action(async (o: { port: string; scenario?: string; seed: string; speed: string; dataDir: string; token: string; viewerToken: string; faults?: string; rate?: string }) => {
    const scenario = await loadScenario(o.scenario, { rate: o.rate ? Number(o.rate) : undefined });
    const service = await startService({
      port: Number(o.port),
      scenario,
      seed: Number(o.seed),
      speed: Number(o.speed),
      dataDir: o.dataDir,
      tokens: { [o.token]: 'operator', [o.viewerToken]: 'viewer' },
      faults: parseFaults(o.faults),
    });
    console.log(`listening on ${service.url}`);
    const stop = () => void service.close().finally(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program
  .command('export')
  .description('write hourly Parquet exports of a scenario without serving (deterministic for a seed)')
  .option('--scenario <file>', 'scenario file; default service/scenarios/default.yaml')
  .option('--days <n>', 'days of traffic from the scenario start', '14')
  .requiredOption('--out <dir>', 'output folder')
  .option('--seed <n>', 'random seed', '42')
  .option('--rate <r>', 'override the scenario request rate (requests/s)')
  .action(async (o: { scenario?: string; days: string; out: string; seed: string; rate?: string }) => {
    const scenario = await loadScenario(o.scenario, { rate: o.rate ? Number(o.rate) : undefined });
    const db = await openDatabase();
    const t0 = performance.now();
    try {
      const r = await generateHistory(db.conn, scenario, {
        seed: Number(o.seed),
        days: Number(o.days),
        out: o.out,
        onDay: (day, rows) => process.stderr.write(`day ${day}: ${rows} requests\n`),
      });
      const secs = (performance.now() - t0) / 1000;
      const bytes = r.entries.reduce((s, e) => s + e.bytes, 0);
      console.log(`wrote ${r.rows} requests in ${r.entries.length} hourly partitions to ${o.out} (${(bytes / 2 ** 20).toFixed(1)} MB, ${(bytes / Math.max(1, r.rows)).toFixed(0)} bytes/row) in ${secs.toFixed(1)} s (${Math.round(r.rows / secs)} rows/s)`);
    } finally {
      db.close();
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`loupe-service: ${formatError(toErrorValue(err))}`);
  process.exit(1);
});
