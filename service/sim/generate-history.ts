import type { DuckDBConnection } from '@duckdb/node-api';
import type { ExportEntry } from '../../shared/service-contract';
import { writeHourlyPartitions, writeManifest } from '../exports/write-partitions';
import type { Scenario } from '../scenario/scenario-schema';
import { arrivals, makeRecord, scheduledWeights, type TrafficModel } from './traffic';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export function historyModel(scenario: Scenario, seed: number): TrafficModel {
  const startMs = Date.parse(scenario.start);
  return { scenario, seed, startMs, weights: (d, t) => scheduledWeights(d, t - startMs) };
}

/**
 * Writes `days` of traffic from the scenario's start as an hourly export, one day per DuckDB
 * COPY. Sequence numbers run over the whole history, so the output depends only on the
 * scenario and the seed.
 */
export async function generateHistory(
  conn: DuckDBConnection,
  scenario: Scenario,
  opts: { seed: number; days: number; out: string; onDay?: (day: number, rows: number) => void },
): Promise<{ rows: number; entries: ExportEntry[] }> {
  const model = historyModel(scenario, opts.seed);
  const entries: ExportEntry[] = [];
  let seq = 0;
  let carry = 0;
  let rows = 0;
  const endMs = model.startMs + opts.days * DAY;
  for (let dayStart = model.startMs; dayStart < endMs; dayStart += DAY) {
    const records = [];
    for (let h = dayStart; h < Math.min(dayStart + DAY, endMs); h += HOUR) {
      const a = arrivals(model, h, h + HOUR, carry);
      carry = a.carry;
      for (const t of a.times) records.push(makeRecord(model, t, seq++));
    }
    entries.push(...(await writeHourlyPartitions(conn, opts.out, records)));
    rows += records.length;
    opts.onDay?.((dayStart - model.startMs) / DAY + 1, records.length);
  }
  await writeManifest(opts.out, entries);
  return { rows, entries };
}
