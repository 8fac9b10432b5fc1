import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import type { RoleMapping, SingleRole } from '../../../shared/roles';
import { queryOne, queryRows, quoteIdent, quoteLiteral } from '../db/duckdb';
import { REQUESTS } from '../workspace/ingest-partitions';
import { WS } from '../workspace/layout';
import { listCases } from './cases';

/** One offline eval case, the shape the next PR's eval run reads. */
export const evalCaseSchema = z.object({
  id: z.string(),
  input: z.string(),
  context: z.object({ retrieval: z.unknown().nullable(), tool_calls: z.unknown().nullable() }),
  expected: z.string(),
  tags: z.array(z.string()),
  source_request_id: z.string(),
  root_cause: z.string().nullable(),
  versions: z.object({
    deployment: z.string().nullable(),
    model_version: z.string().nullable(),
    prompt_revision: z.string().nullable(),
  }),
});
export type EvalCase = z.infer<typeof evalCaseSchema>;

type RequestRecord = Record<string, unknown>;

/**
 * Builds the eval set from promoted cases: the request comes from the workspace's requests
 * table (or, for cases from the service's feed that are not synced yet, the copy the feed sent).
 */
export async function buildEvalSet(conn: DuckDBConnection, roles: RoleMapping | null): Promise<EvalCase[]> {
  const promoted = await listCases(conn, { status: ['promoted'] });
  if (promoted.length === 0) return [];
  const byId = await requestsById(conn, roles, promoted.map((c) => c.request_id));
  const snapshots = new Map(
    (await queryRows<{ case_id: string; request: string | null }>(
      conn,
      `SELECT case_id, request::VARCHAR AS request FROM ${WS}.triage_cases WHERE case_id IN (SELECT unnest($1::VARCHAR[]))`,
      [promoted.map((c) => c.case_id)],
    )).map((r) => [r.case_id, r.request ? (JSON.parse(r.request) as RequestRecord) : null]),
  );
  return promoted.map((c) => {
    const fromTable = byId.get(c.request_id);
    const snap = snapshots.get(c.case_id) ?? null;
    const pick = (role: SingleRole, fallbackKey: string): unknown => {
      if (fromTable && roles?.roles[role]) return fromTable[roles.roles[role]!.column];
      return snap?.[fallbackKey] ?? null;
    };
    const text = (v: unknown) => (v == null ? null : String(v));
    const json = (v: unknown) => {
      if (typeof v !== 'string') return v ?? null;
      try {
        return JSON.parse(v);
      } catch {
        return v;
      }
    };
    return {
      id: c.case_id,
      input: text(pick('input_text', 'prompt')) ?? '',
      context: { retrieval: json(pick('retrieval', 'retrieval')), tool_calls: json(pick('tool_calls', 'tool_calls')) },
      expected: c.expected ?? '',
      tags: [...c.sources, ...(c.slice ? [`slice:${c.slice}`] : []), ...(c.root_cause ? [`root_cause:${c.root_cause}`] : [])],
      source_request_id: c.request_id,
      root_cause: c.root_cause,
      versions: {
        deployment: text(pick('deployment', 'deployment')),
        model_version: text(pick('model_version', 'model_version')) ?? c.model_version,
        prompt_revision: text(pick('prompt_revision', 'prompt_revision')),
      },
    };
  });
}

async function requestsById(conn: DuckDBConnection, roles: RoleMapping | null, ids: string[]): Promise<Map<string, RequestRecord>> {
  const rid = roles?.roles.request_id?.column;
  const exists = await queryOne<{ n: number }>(
    conn,
    `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = '${WS}' AND table_name = 'requests'`,
  );
  if (!rid || !exists?.n) return new Map();
  const rows = await queryRows<RequestRecord>(
    conn,
    `SELECT * FROM ${REQUESTS} WHERE ${quoteIdent(rid)}::VARCHAR IN (SELECT unnest($1::VARCHAR[]))`,
    [ids],
  );
  return new Map(rows.map((r) => [String(r[rid]), r]));
}

/** Writes the eval set as JSONL (and Parquet beside it when asked); returns the case count. */
export async function exportEvalSet(
  conn: DuckDBConnection,
  roles: RoleMapping | null,
  out: string,
  opts: { parquet?: boolean } = {},
): Promise<{ cases: number; files: string[] }> {
  const cases = await buildEvalSet(conn, roles);
  await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
  const tmp = `${out}.tmp`;
  await fs.writeFile(tmp, cases.map((c) => JSON.stringify(c)).join('\n') + (cases.length ? '\n' : ''));
  await fs.rename(tmp, out);
  const files = [out];
  if (opts.parquet) {
    const pq = out.replace(/\.jsonl?$/i, '') + '.parquet';
    if (cases.length) {
      await conn.run(`COPY (SELECT * FROM read_json(${quoteLiteral(out)}, format = 'newline_delimited')) TO ${quoteLiteral(pq)} (FORMAT parquet, COMPRESSION zstd)`);
      files.push(pq);
    }
  }
  return { cases: cases.length, files };
}
