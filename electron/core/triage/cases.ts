import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, queryRows } from '../db/duckdb';
import { WS } from '../workspace/layout';
import { CASE_STATE_SQL } from './label-store';

export interface NewCase {
  requestId: string;
  /** e.g. 'feed:thumbs_down', 'rule:low_judge', 'slice:route=search' */
  source: string;
  slice?: string | null;
  modelVersion?: string | null;
  request?: unknown;
}

/**
 * Adds cases; a request already in the queue gains the new source instead of a second case,
 * so the queue never holds duplicates and each case knows everything that flagged it.
 */
export async function addCases(conn: DuckDBConnection, cases: NewCase[]): Promise<{ added: number; merged: number }> {
  if (cases.length === 0) return { added: 0, merged: 0 };
  const before = await queryOne<{ n: number }>(conn, `SELECT count(*) AS n FROM ${WS}.triage_cases`);
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(
      `INSERT INTO ${WS}.triage_cases (case_id, request_id, sources, slice, model_version, request)
       SELECT 'req:' || request_id, request_id, list_distinct(list(source)), any_value(slice), any_value(model_version), any_value(request)
         FROM (SELECT unnest(from_json($1, '[{"request_id":"VARCHAR","source":"VARCHAR","slice":"VARCHAR","model_version":"VARCHAR","request":"JSON"}]'), recursive := true))
        GROUP BY request_id
       ON CONFLICT (case_id) DO UPDATE SET sources = list_distinct(list_concat(triage_cases.sources, excluded.sources)),
         slice = coalesce(triage_cases.slice, excluded.slice),
         model_version = coalesce(triage_cases.model_version, excluded.model_version),
         request = coalesce(triage_cases.request, excluded.request)`,
      [
        JSON.stringify(
          cases.map((c) => ({
            request_id: c.requestId,
            source: c.source,
            slice: c.slice ?? null,
            model_version: c.modelVersion ?? null,
            request: c.request === undefined ? null : c.request,
          })),
        ),
      ],
    );
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  }
  const after = await queryOne<{ n: number }>(conn, `SELECT count(*) AS n FROM ${WS}.triage_cases`);
  const added = (after?.n ?? 0) - (before?.n ?? 0);
  return { added, merged: new Set(cases.map((c) => c.requestId)).size - added };
}

export interface CaseFilter {
  status?: Array<'open' | 'labelled' | 'promoted' | 'dismissed'>;
  source?: string;
  slice?: string;
  modelVersion?: string;
}

export interface CaseRow {
  case_id: string;
  request_id: string;
  sources: string[];
  slice: string | null;
  model_version: string | null;
  created_at: string;
  root_cause: string | null;
  from_suggestion: boolean;
  labelled_at: string | null;
  note: string | null;
  expected: string | null;
  status: 'open' | 'labelled' | 'promoted' | 'dismissed';
}

/** The queue in a stable order (oldest case first), filtered by status, source, slice, version. */
export async function listCases(conn: DuckDBConnection, filter: CaseFilter = {}): Promise<CaseRow[]> {
  const where: string[] = [];
  const params: Array<string | string[]> = [];
  if (filter.status?.length) {
    params.push(filter.status);
    where.push(`status IN (SELECT unnest($${params.length}::VARCHAR[]))`);
  }
  if (filter.source) {
    params.push(filter.source);
    where.push(`(list_contains(list_transform(sources, s -> split_part(s, ':', 1)), $${params.length}) OR list_contains(sources, $${params.length}))`);
  }
  if (filter.slice) {
    params.push(filter.slice);
    where.push(`slice = $${params.length}`);
  }
  if (filter.modelVersion) {
    params.push(filter.modelVersion);
    where.push(`model_version = $${params.length}`);
  }
  return queryRows<CaseRow>(
    conn,
    `SELECT * FROM (${CASE_STATE_SQL}) ${where.length ? `WHERE ${where.map((w) => `(${w})`).join(' AND ')}` : ''}
      ORDER BY created_at, case_id`,
    params,
  );
}

export async function getCaseRequest(conn: DuckDBConnection, caseId: string): Promise<unknown> {
  const row = await queryOne<{ request: string | null }>(conn, `SELECT request::VARCHAR AS request FROM ${WS}.triage_cases WHERE case_id = $1`, [caseId]);
  return row?.request ? JSON.parse(row.request) : null;
}
