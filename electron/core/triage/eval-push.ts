import type { DuckDBConnection } from '@duckdb/node-api';
import { toErrorValue } from '../../../shared/errors';
import type { RoleMapping } from '../../../shared/roles';
import { evalCasePostResultSchema } from '../../../shared/service-contract';
import { bind, queryRows } from '../db/duckdb';
import { WS } from '../workspace/layout';
import { buildEvalSet } from './eval-set';
import { serviceJson, type ServiceCredentials } from './service-request';

/** Cases per POST: well under the contract's 1000, so one failure costs a small batch. */
const BATCH = 200;

export interface PushState {
  case_id: string;
  status: 'pushed' | 'failed';
  detail: string | null;
  at: string;
}

/**
 * Pushes promoted cases to the service's eval-case sink and records, per case, pushed or
 * failed with the reason. The sink is idempotent by case id (the contract has no
 * Idempotency-Key on this route), so a retry after a lost answer cannot add a case twice.
 * By default every promoted case not yet pushed goes; `onlyFailed` retries the failed ones.
 */
export async function pushEvalCases(conn: DuckDBConnection, roles: RoleMapping | null, creds: ServiceCredentials, onlyFailed: boolean) {
  const states = new Map((await pushStates(conn)).map((s) => [s.case_id, s]));
  const todo = (await buildEvalSet(conn, roles)).filter((c) => (onlyFailed ? states.get(c.id)?.status === 'failed' : states.get(c.id)?.status !== 'pushed'));
  let created = 0;
  let existing = 0;
  const failed: Array<{ case_id: string; message: string }> = [];
  for (let i = 0; i < todo.length; i += BATCH) {
    const batch = todo.slice(i, i + BATCH);
    try {
      const res = await serviceJson(creds, 'POST', '/v1/eval-cases', { cases: batch });
      const r = evalCasePostResultSchema.parse(res.body);
      created += r.created.length;
      existing += r.existing.length;
      await record(conn, r.created, 'pushed', 'created on the service');
      await record(conn, r.existing, 'pushed', 'already on the service');
    } catch (err) {
      const message = toErrorValue(err).message;
      for (const c of batch) failed.push({ case_id: c.id, message });
      await record(conn, batch.map((c) => c.id), 'failed', message);
    }
  }
  return { created, existing, failed, states: await pushStates(conn) };
}

async function record(conn: DuckDBConnection, ids: string[], status: PushState['status'], detail: string): Promise<void> {
  if (!ids.length) return;
  await conn.run(
    `INSERT INTO ${WS}.eval_pushes (case_id, status, detail, "at")
     SELECT unnest($1::VARCHAR[]), $2, $3, current_timestamp
     ON CONFLICT (case_id) DO UPDATE SET status = excluded.status, detail = excluded.detail, "at" = excluded."at"`,
    bind([ids, status, detail]),
  );
}

export function pushStates(conn: DuckDBConnection): Promise<PushState[]> {
  return queryRows<PushState>(
    conn,
    `SELECT case_id, status, detail, strftime("at", '%Y-%m-%dT%H:%M:%S.%gZ') AS at FROM ${WS}.eval_pushes ORDER BY case_id`,
  );
}
