import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '../../../shared/errors';
import type { RoleMapping } from '../../../shared/roles';
import { queryRows, quoteIdent } from '../db/duckdb';
import type { RejudgeItem } from '../judge/rejudge';
import { requestFields } from '../requests/request-fields';
import { REQUESTS } from '../workspace/ingest-partitions';
import { parseSlice } from './triage-service';

/**
 * Requests the online judge scored, from one slice (and version), to re-judge. The sample is
 * deterministic — ordered by a hash of the request id — so running it twice compares the same
 * requests, and a rubric change is the only thing that moves the agreement.
 */
export async function sliceSample(
  conn: DuckDBConnection,
  roles: RoleMapping | null,
  opts: { slice?: string; modelVersion?: string; n: number; columns: Set<string> },
): Promise<RejudgeItem[]> {
  const rid = roles?.roles.request_id?.column;
  const judge = roles?.roles.judge_score?.column;
  if (!rid || !judge) {
    throw new LoupeError({ code: 'bad_input', message: 're-judging needs the request id and judge score roles', hint: 'map them in the Data view' });
  }
  const where = [`${quoteIdent(judge)} IS NOT NULL`];
  const params: Array<string | number> = [];
  for (const [k, v] of parseSlice(opts.slice ?? null)) {
    if (!opts.columns.has(k)) {
      throw new LoupeError({ code: 'bad_input', message: `the slice "${opts.slice}" names a column the workspace does not have`, column: k, hint: 'write a slice as column=value, joined by " × "' });
    }
    params.push(v);
    where.push(`${quoteIdent(k)}::VARCHAR = $${params.length}`);
  }
  if (opts.modelVersion) {
    const mv = roles.roles.model_version?.column;
    if (!mv) throw new LoupeError({ code: 'bad_input', message: 'filtering by version needs the model version role', hint: 'map it in the Data view' });
    params.push(opts.modelVersion);
    where.push(`${quoteIdent(mv)}::VARCHAR = $${params.length}`);
  }
  params.push(opts.n);
  const rows = await queryRows<Record<string, unknown>>(
    conn,
    `SELECT * EXCLUDE (_file) FROM ${REQUESTS} WHERE ${where.join(' AND ')}
      ORDER BY hash(${quoteIdent(rid)}::VARCHAR), ${quoteIdent(rid)} LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({ request_id: String(r[rid]), online: Number(r[judge]), fields: requestFields(roles, r) }));
}

/** One case's request, when the online judge scored it. */
export function caseItem(requestId: string, fields: Array<{ role: string; text: string | null }>): RejudgeItem {
  const score = Number(fields.find((f) => f.role === 'judge_score')?.text);
  if (!Number.isFinite(score)) {
    throw new LoupeError({ code: 'not_found', message: `request ${requestId} has no online judge score to compare with`, hint: 're-judge a slice instead: it samples requests the judge scored' });
  }
  return { request_id: requestId, online: score, fields };
}
