import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '../../../shared/errors';
import type { RoleMapping, SingleRole } from '../../../shared/roles';
import { queryOne, quoteIdent } from '../db/duckdb';

export interface DeploymentScope {
  /** A temp table holding the deployment's requests in the evidence window. */
  table: string;
  roles: RoleMapping;
  /** SQL for a role's column in `table` (null when the role is not mapped). */
  col(role: SingleRole): string | null;
  window: { since: string; until: string } | null;
  rows: number;
  notes: string[];
  drop(): Promise<void>;
}

let seq = 0;

/**
 * The workspace's requests for one deployment over the evidence window (the last `hours` of
 * its data), copied into a temp table once so every figure of the evidence reads the same rows.
 * Values are bound parameters; column names come from the saved role mapping.
 */
export async function openDeploymentScope(
  conn: DuckDBConnection,
  relation: string,
  roles: RoleMapping,
  deployment: string,
  hours = 24,
): Promise<DeploymentScope> {
  const col = (r: SingleRole) => (roles.roles[r] ? quoteIdent(roles.roles[r]!.column) : null);
  if (!col('model_version')) {
    throw new LoupeError({ code: 'bad_input', message: 'no column is mapped to the model version role', hint: 'map it in the Data view: evidence is per version' });
  }
  const notes: string[] = [];
  const where: string[] = [];
  const params: string[] = [];
  const dep = col('deployment');
  if (dep) {
    params.push(deployment);
    where.push(`${dep}::VARCHAR = $${params.length}`);
  } else notes.push('no deployment column is mapped: evidence covers every request in the workspace');
  const ts = col('timestamp');
  let window: DeploymentScope['window'] = null;
  if (ts) {
    const last = await queryOne<{ until: string | null }>(
      conn,
      `SELECT strftime(max(${ts})::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%gZ') AS until FROM ${relation} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    if (last?.until) {
      const until = last.until;
      const since = new Date(Date.parse(until) - hours * 3_600_000).toISOString();
      window = { since, until };
      params.push(since);
      where.push(`${ts}::TIMESTAMP >= $${params.length}::TIMESTAMP`);
    }
  } else notes.push('no timestamp column is mapped: evidence covers all time and alerts cannot be placed in time');
  const table = `loupe_control_scope_${++seq}`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${relation} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params);
  const n = await queryOne<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${table}`);
  return {
    table,
    roles,
    col,
    window,
    rows: n?.n ?? 0,
    notes,
    drop: async () => void (await conn.run(`DROP TABLE IF EXISTS ${table}`)),
  };
}
