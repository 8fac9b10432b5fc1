import type { DuckDBConnection } from '@duckdb/node-api';
import type { RoleMapping, SingleRole } from '../../../shared/roles';
import { queryRows, quoteIdent } from '../db/duckdb';
import { REQUESTS } from '../workspace/ingest-partitions';

/** The order a request is shown in: what was asked, what was found, what was said, how it scored. */
const FIELD_ORDER: SingleRole[] = [
  'input_text', 'retrieval', 'tool_calls', 'output_text', 'judge_score', 'judge_rationale', 'feedback',
  'refused', 'format_ok', 'output_format', 'model_version', 'prompt_revision', 'deployment', 'latency',
  'input_tokens', 'output_tokens', 'status', 'error', 'timestamp', 'request_id',
];

export interface RequestField {
  role: string;
  column: string;
  text: string | null;
}

/** One request of the workspace table by id (without the source-file column), or null. */
export async function readRequest(conn: DuckDBConnection, roles: RoleMapping | null, requestId: string): Promise<Record<string, unknown> | null> {
  const rid = roles?.roles.request_id?.column;
  if (!rid) return null;
  const rows = await queryRows<Record<string, unknown>>(
    conn,
    `SELECT * EXCLUDE (_file) FROM ${REQUESTS} WHERE ${quoteIdent(rid)}::VARCHAR = $1 LIMIT 1`,
    [requestId],
  );
  return rows[0] ?? null;
}

/**
 * A logged request as text fields in reading order, role by role, then the slice dimensions.
 * Everything becomes text here (JSON pretty-printed) because logged content is untrusted and
 * the views render it as inert text only.
 */
export function requestFields(roles: RoleMapping | null, record: Record<string, unknown>): RequestField[] {
  const fields: RequestField[] = [];
  const shown = new Set<string>();
  for (const role of FIELD_ORDER) {
    const ref = roles?.roles[role];
    const column: string | null = ref?.column ?? (role in record ? role : null);
    if (!column || !(column in record) || shown.has(column)) continue;
    shown.add(column);
    fields.push({ role, column, text: asText(pick(record[column], ref?.path)) });
  }
  for (const d of roles?.dimensions ?? []) {
    if (d.column in record && !shown.has(d.column)) {
      shown.add(d.column);
      fields.push({ role: 'dimension', column: d.column, text: asText(record[d.column]) });
    }
  }
  return fields;
}

function pick(value: unknown, path?: string[]): unknown {
  let v = value;
  for (const key of path ?? []) {
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        return null;
      }
    }
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : null;
  }
  return v;
}

function asText(v: unknown): string | null {
  if (v == null) return null;
  if (typeof v === 'string') {
    const t = v.trim();
    if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
      try {
        return JSON.stringify(JSON.parse(t), null, 2);
      } catch {
        return v;
      }
    }
    return v;
  }
  if (typeof v === 'object') return JSON.stringify(v, null, 2);
  return String(v);
}
