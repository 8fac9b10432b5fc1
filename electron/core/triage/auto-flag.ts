import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import type { RoleMapping, SingleRole } from '../../../shared/roles';
import { queryRows, quoteIdent } from '../db/duckdb';
import { REQUESTS } from '../workspace/ingest-partitions';
import { addCases } from './cases';

/** The local rules that put requests in the queue; editable, saved in the workspace. */
export const autoFlagRulesSchema = z.object({
  judgeBelow: z.number().min(0).max(1).nullable().default(0.4),
  formatBreak: z.boolean().default(true),
  refusalWithNegativeFeedback: z.boolean().default(true),
  /** Newest first, at most this many per rule per run, so a bad day cannot flood the queue. */
  limitPerRule: z.number().int().min(1).max(10_000).default(200),
});
export type AutoFlagRules = z.infer<typeof autoFlagRulesSchema>;

interface Rule {
  source: string;
  needs: SingleRole[];
  where: (c: (r: SingleRole) => string) => string;
}

/**
 * Runs each enabled rule over the workspace's requests and adds the matches as cases. A rule
 * whose roles are not mapped is skipped and reported, rather than guessed at.
 */
export async function runAutoFlags(
  conn: DuckDBConnection,
  roles: RoleMapping,
  rules: AutoFlagRules,
): Promise<{ added: number; merged: number; skipped: Array<{ rule: string; missing: SingleRole[] }> }> {
  const col = (r: SingleRole) => quoteIdent(roles.roles[r]!.column);
  const list: Rule[] = [];
  if (rules.judgeBelow != null) {
    list.push({ source: 'rule:low_judge', needs: ['judge_score'], where: (c) => `${c('judge_score')} < ${Number(rules.judgeBelow)}` });
  }
  if (rules.formatBreak) list.push({ source: 'rule:format_break', needs: ['format_ok'], where: (c) => `NOT ${c('format_ok')}` });
  if (rules.refusalWithNegativeFeedback) {
    list.push({
      source: 'rule:refusal_negative_feedback',
      needs: ['refused', 'feedback'],
      where: (c) => `${c('refused')} AND ${c('feedback')} IN ('down', 'edit', 'abandon')`,
    });
  }
  const skipped: Array<{ rule: string; missing: SingleRole[] }> = [];
  let added = 0;
  let merged = 0;
  for (const rule of list) {
    const missing = [...rule.needs, 'request_id' as const].filter((r) => !roles.roles[r]);
    if (missing.length) {
      skipped.push({ rule: rule.source, missing });
      continue;
    }
    const version = roles.roles.model_version ? col('model_version') : 'NULL';
    const order = roles.roles.timestamp ? `ORDER BY ${col('timestamp')} DESC` : '';
    const rows = await queryRows<{ request_id: string; model_version: string | null }>(
      conn,
      `SELECT ${col('request_id')}::VARCHAR AS request_id, ${version}::VARCHAR AS model_version
         FROM ${REQUESTS} WHERE ${rule.where(col)} ${order} LIMIT ${rules.limitPerRule}`,
    );
    const r = await addCases(conn, rows.map((x) => ({ requestId: x.request_id, source: rule.source, modelVersion: x.model_version })));
    added += r.added;
    merged += r.merged;
  }
  return { added, merged, skipped };
}
