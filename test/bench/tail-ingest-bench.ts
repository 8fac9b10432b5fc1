/**
 * Live-tail ingest throughput: parse + validate + TailWriter (dedupe query + Appender into the
 * workspace's requests table + cursor, one transaction per batch) against the bare row Appender
 * into a plain table of the same rows, measured in the same run. Prints medians of RUNS runs of
 * N events.
 *   node --import tsx test/bench/tail-ingest-bench.ts [N] [RUNS]
 */
import { openDatabase } from '../../electron/core/db/duckdb';
import { parseTailEvent } from '../../electron/core/tail/parse-tail-event';
import { prepareTailTables } from '../../electron/core/tail/tail-tables';
import { TailWriter } from '../../electron/core/tail/tail-writer';
import { guessRoles } from '../../electron/core/workspace/guess-roles';
import { Workspace } from '../../electron/core/workspace/workspace';
import { loadScenario } from '../../service/scenario/load-scenario';
import { historyModel } from '../../service/sim/generate-history';
import { makeRecord } from '../../service/sim/traffic';
import { logColumnsV1 } from '../../shared/log-schema';
import { tempDir } from '../support/make-parquet';
import { reportResult } from './harness/report-result';

const N = Number(process.argv[2] ?? 50_000);
const RUNS = Number(process.argv[3] ?? 3);
const scenario = await loadScenario('test/fixtures/scenarios/tail-steady.yaml');
const model = historyModel(scenario, 1);
const t0 = Date.parse(scenario.start);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tailRates: number[] = [];
const appenderRates: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const events = Array.from({ length: N }, (_, i) => JSON.stringify(makeRecord(model, t0 + (run * N + i) * 50, run * N + i)));
  const db = await openDatabase({ memoryLimit: '1GB' });
  const ws = await Workspace.open(db.conn, tempDir('loupe-bench-tail-'), (c) => guessRoles(c).mapping);
  const conn = await db.instance.connect();
  await prepareTailTables(conn);
  const writer = new TailWriter(conn, 'tail:bench');
  let start = performance.now();
  for (let i = 0; i < N; i++) {
    const p = parseTailEvent(events[i], i + 1);
    if (p.ok) {
      const w = writer.add(p.record, i + 1);
      if (w) await w;
    }
  }
  await writer.flush();
  tailRates.push(N / ((performance.now() - start) / 1000));

  // Baseline: the row Appender alone, the same rows, into a plain TEMP table of schema v1 with
  // the embedding as JSON text and a cursor column (the shape the tail used to stage).
  await conn.run(`CREATE TEMP TABLE bare (${logColumnsV1.map(([n, t]) => `"${n}" ${n === 'input_embedding' ? 'VARCHAR' : t}`).join(', ')}, _cursor BIGINT)`);
  const records = events.map((e) => JSON.parse(e));
  start = performance.now();
  const a = await conn.createAppender('bare', 'main', 'temp');
  for (const r of records) {
    a.appendVarchar(r.request_id);
    a.appendVarchar(r.ts); // cast on append; the tail path converts to TIMESTAMP itself
    for (const k of ['deployment', 'model_version', 'prompt_revision', 'route', 'locale', 'tenant_tier', 'session_id', 'trace_id', 'prompt', 'retrieval', 'tool_calls', 'response']) r[k] == null ? a.appendNull() : a.appendVarchar(r[k]);
    for (const k of ['latency_ms', 'input_tokens', 'output_tokens']) a.appendInteger(r[k]);
    a.appendVarchar(r.status);
    r.error_code == null ? a.appendNull() : a.appendVarchar(r.error_code);
    a.appendBoolean(r.refused);
    a.appendVarchar(r.output_format);
    a.appendBoolean(r.format_ok);
    r.feedback == null ? a.appendNull() : a.appendVarchar(r.feedback);
    r.judge_score == null ? a.appendNull() : a.appendDouble(r.judge_score);
    r.judge_rationale == null ? a.appendNull() : a.appendVarchar(r.judge_rationale);
    r.input_embedding == null ? a.appendNull() : a.appendVarchar(JSON.stringify(r.input_embedding));
    a.appendNull();
    a.endRow();
  }
  a.closeSync();
  appenderRates.push(N / ((performance.now() - start) / 1000));
  conn.closeSync();
  await ws.close();
  db.close();
}
const tail = median(tailRates);
const bare = median(appenderRates);
console.log(`tail ingest (parse + validate + dedupe + cursor): median ${Math.round(tail)} events/s over ${RUNS} runs of ${N}`);
console.log(`bare Appender, same rows:                        median ${Math.round(bare)} rows/s`);
console.log(`ratio tail / Appender: ${(tail / bare).toFixed(2)}`);
reportResult({
  figures: { events: N, runs: RUNS, ratePerS: Math.round(tail), runsPerS: tailRates.map(Math.round), ratioToAppender: tail / bare },
  peers: { 'bare row Appender, same rows': { ratePerS: Math.round(bare), runsPerS: appenderRates.map(Math.round) } },
});
