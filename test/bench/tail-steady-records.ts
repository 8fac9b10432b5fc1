import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../service/scenario/load-scenario';
import { historyModel } from '../../service/sim/generate-history';
import { makeRecord } from '../../service/sim/traffic';
import type { LogRecord } from '../../shared/log-schema';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Record i of the tail-steady scenario as the live tail hands it to the TailWriter: one per
 * millisecond of event time from the scenario's start (1,000 events/s, as the real-time benches
 * run it), through JSON as it arrives on the wire.
 */
export async function tailSteadyRecords(): Promise<(i: number) => LogRecord> {
  const scenario = await loadScenario(path.join(root, 'test/fixtures/scenarios/tail-steady.yaml'));
  const model = historyModel(scenario, 1);
  const t0 = Date.parse(scenario.start);
  return (i) => JSON.parse(JSON.stringify(makeRecord(model, t0 + i, i))) as LogRecord;
}
