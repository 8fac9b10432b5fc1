import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '../../../shared/errors';
import { queryOne, queryRows } from '../db/duckdb';
import { WS } from '../workspace/layout';
import { rootCauses, type RootCause } from './root-causes';

/**
 * Labels are events, never updates: a label, a note, a promotion, a dismissal, an undo. Each
 * is one INSERT committed before the call returns, so what the UI shows as saved has reached
 * DuckDB's write-ahead log and survives a crash. A case's state is a fold over its events.
 */
export type LabelEventKind = 'label' | 'note' | 'promote' | 'dismiss' | 'reopen' | 'undo';

export interface LabelEventInput {
  caseId: string;
  kind: Exclude<LabelEventKind, 'undo'>;
  rootCause?: RootCause;
  note?: string;
  expected?: string;
  suggestion?: { confidence: number; rationale: string; model: string } | null;
  actor: string;
}

export interface LabelEvent {
  event_id: number;
  case_id: string;
  kind: LabelEventKind;
  root_cause: string | null;
  note: string | null;
  expected: string | null;
  suggestion: string | null;
  undoes: number | null;
  actor: string;
  at: string;
}

export async function appendLabelEvent(conn: DuckDBConnection, e: LabelEventInput): Promise<LabelEvent> {
  if (e.kind === 'label' && (!e.rootCause || !rootCauses.includes(e.rootCause))) {
    throw new LoupeError({ code: 'bad_input', message: `a label needs a root cause (${rootCauses.join(', ')})` });
  }
  const exists = await queryOne(conn, `SELECT 1 AS x FROM ${WS}.triage_cases WHERE case_id = $1`, [e.caseId]);
  if (!exists) throw new LoupeError({ code: 'not_found', message: `no triage case ${e.caseId}` });
  const row = await queryOne<LabelEvent>(
    conn,
    `INSERT INTO ${WS}.label_events (case_id, kind, root_cause, note, expected, suggestion, actor)
     VALUES ($1, $2, $3, $4, $5, $6::JSON, $7)
     RETURNING event_id, case_id, kind, root_cause, note, expected, suggestion::VARCHAR AS suggestion, undoes, actor, strftime("at", '%Y-%m-%dT%H:%M:%S.%gZ') AS at`,
    [e.caseId, e.kind, e.rootCause ?? null, e.note ?? null, e.expected ?? null, e.suggestion ? JSON.stringify(e.suggestion) : null, e.actor],
  );
  return row!;
}

/**
 * Undoes the actor's most recent action that is not already undone, wherever it was, and
 * returns it so the UI can go back to that case. Undo is itself an event.
 */
export async function undoLast(conn: DuckDBConnection, actor: string): Promise<LabelEvent | null> {
  const target = await queryOne<{ event_id: number; case_id: string }>(
    conn,
    `SELECT e.event_id, e.case_id FROM ${WS}.label_events e
      WHERE e.actor = $1 AND e.kind <> 'undo'
        AND NOT EXISTS (SELECT 1 FROM ${WS}.label_events u WHERE u.kind = 'undo' AND u.undoes = e.event_id)
      ORDER BY e.event_id DESC LIMIT 1`,
    [actor],
  );
  if (!target) return null;
  return (await queryOne<LabelEvent>(
    conn,
    `INSERT INTO ${WS}.label_events (case_id, kind, undoes, actor) VALUES ($1, 'undo', $2, $3)
     RETURNING event_id, case_id, kind, root_cause, note, expected, suggestion::VARCHAR AS suggestion, undoes, actor, strftime("at", '%Y-%m-%dT%H:%M:%S.%gZ') AS at`,
    [target.case_id, target.event_id, actor],
  ))!;
}

/** Every event of a case, oldest first, with whether it was undone: the visible history. */
export async function caseHistory(conn: DuckDBConnection, caseId: string): Promise<Array<LabelEvent & { undone: boolean }>> {
  return queryRows(
    conn,
    `SELECT e.event_id, e.case_id, e.kind, e.root_cause, e.note, e.expected, e.suggestion::VARCHAR AS suggestion, e.undoes, e.actor,
            strftime(e."at", '%Y-%m-%dT%H:%M:%S.%gZ') AS at,
            EXISTS (SELECT 1 FROM ${WS}.label_events u WHERE u.kind = 'undo' AND u.undoes = e.event_id) AS undone
       FROM ${WS}.label_events e WHERE e.case_id = $1 ORDER BY e.event_id`,
    [caseId],
  );
}

/**
 * The state of every case, folded from its live (not undone) events: the latest label's root
 * cause, the latest note, and the status from the latest promote/dismiss/reopen.
 */
export const CASE_STATE_SQL = `
  WITH live AS (
    SELECT e.* FROM ${WS}.label_events e
     WHERE e.kind <> 'undo'
       AND NOT EXISTS (SELECT 1 FROM ${WS}.label_events u WHERE u.kind = 'undo' AND u.undoes = e.event_id)
  ),
  last_label AS (
    SELECT case_id, arg_max(root_cause, event_id) AS root_cause, arg_max(suggestion, event_id) AS suggestion,
           max("at") AS labelled_at
      FROM live WHERE kind = 'label' GROUP BY case_id
  ),
  last_note AS (SELECT case_id, arg_max(note, event_id) AS note FROM live WHERE kind = 'note' GROUP BY case_id),
  last_status AS (
    SELECT case_id, arg_max(kind, event_id) AS kind, arg_max(expected, event_id) AS expected
      FROM live WHERE kind IN ('promote', 'dismiss', 'reopen') GROUP BY case_id
  )
  SELECT c.case_id, c.request_id, c.sources, c.slice, c.model_version, c.created_at,
         l.root_cause, l.suggestion IS NOT NULL AS from_suggestion, l.labelled_at, n.note, s.expected,
         CASE WHEN s.kind = 'promote' THEN 'promoted'
              WHEN s.kind = 'dismiss' THEN 'dismissed'
              WHEN l.root_cause IS NOT NULL THEN 'labelled'
              ELSE 'open' END AS status
    FROM ${WS}.triage_cases c
    LEFT JOIN last_label l USING (case_id)
    LEFT JOIN last_note n USING (case_id)
    LEFT JOIN last_status s USING (case_id)`;
