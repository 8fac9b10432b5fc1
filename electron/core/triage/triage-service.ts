import os from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CallOutput, CallParsedInput } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';
import type { RoleMapping } from '../../../shared/roles';
import { queryOne, quoteIdent } from '../db/duckdb';
import { REQUESTS } from '../workspace/ingest-partitions';
import { WS } from '../workspace/layout';
import { readSetting, writeSetting } from '../workspace/state-db';
import type { WorkspaceSession } from '../workspace/workspace-session';
import { autoFlagRulesSchema, runAutoFlags, type AutoFlagRules } from './auto-flag';
import { getCaseRequest, listCases, type CaseRow } from './cases';
import { exportEvalSet } from './eval-set';
import { appendLabelEvent, caseHistory, undoLast } from './label-store';
import { readRequest, requestFields } from '../requests/request-fields';
import { snapshotRoles } from './snapshot-roles';

/** Triage calls, on the open workspace. The actor is the OS user, recorded on every event. */
export class TriageService {
  private readonly actor = safeUser();

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly workspace: WorkspaceSession,
  ) {}

  private roles(): RoleMapping | null {
    const ws = this.workspace.workspace;
    if (!ws) throw new LoupeError({ code: 'not_found', message: 'no workspace is open', hint: 'triage works in a workspace: open one in the Data view' });
    return ws.current.roles?.mapping ?? null;
  }

  async queue(input: CallParsedInput<'triageQueue'>): Promise<CallOutput<'triageQueue'>> {
    this.roles();
    const all = await listCases(this.conn);
    const cases = await listCases(this.conn, input.filter);
    const counts = { open: 0, labelled: 0, promoted: 0, dismissed: 0 };
    for (const c of all) counts[c.status]++;
    const decided = counts.labelled + counts.promoted + counts.dismissed;
    const lastHour = await queryOne<{ n: number }>(
      this.conn,
      `SELECT count(*) AS n FROM ${WS}.label_events WHERE kind = 'label' AND actor = $1 AND "at" >= current_timestamp::TIMESTAMP - INTERVAL 1 HOUR
         AND NOT EXISTS (SELECT 1 FROM ${WS}.label_events u WHERE u.kind = 'undo' AND u.undoes = label_events.event_id)`,
      [this.actor],
    );
    return {
      cases: cases as CallOutput<'triageQueue'>['cases'],
      counts,
      labelsLastHour: lastHour?.n ?? 0,
      conversion: decided ? counts.promoted / decided : null,
      versions: [...new Set(all.map((c) => c.model_version).filter((v): v is string => Boolean(v)))].sort(),
      sources: [...new Set(all.flatMap((c) => c.sources.map((s) => s.split(':')[0])))].sort(),
      rootCauses: rootCauseCounts(all),
    };
  }

  async caseDetail(caseId: string): Promise<CallOutput<'triageCase'>> {
    const roles = this.roles();
    const row = await this.row(caseId);
    const record = (await this.requestRecord(roles, row.request_id)) ?? ((await getCaseRequest(this.conn, caseId)) as Record<string, unknown> | null);
    const fields = record ? requestFields(roles ?? snapshotRoles(record), record) : [];
    return {
      case: row as CallOutput<'triageCase'>['case'],
      fields,
      history: (await caseHistory(this.conn, caseId)) as CallOutput<'triageCase'>['history'],
      similar: await this.similar(roles, row, record),
    };
  }

  async act(input: CallParsedInput<'triageAct'>): Promise<CallOutput<'triageAct'>> {
    this.roles();
    if (input.action === 'promote' && !input.expected?.trim()) {
      throw new LoupeError({ code: 'bad_input', message: 'promoting to the eval set needs the expected behaviour', hint: 'write what the answer should have been' });
    }
    const event = await appendLabelEvent(this.conn, {
      caseId: input.caseId,
      kind: input.action,
      rootCause: input.rootCause,
      note: input.note,
      expected: input.expected,
      suggestion: input.suggestion ?? null,
      actor: this.actor,
    });
    return { event: event as CallOutput<'triageAct'>['event'], case: (await this.row(input.caseId)) as CallOutput<'triageAct'>['case'] };
  }

  async undo(): Promise<CallOutput<'triageUndo'>> {
    this.roles();
    const event = await undoLast(this.conn, this.actor);
    return {
      event: event as CallOutput<'triageUndo'>['event'],
      case: event ? ((await this.row(event.case_id)) as CallOutput<'triageUndo'>['case']) : null,
    };
  }

  async collect(): Promise<CallOutput<'triageCollect'>> {
    const roles = this.roles();
    if (!roles || !this.workspace.workspace?.current.dataset) {
      throw new LoupeError({ code: 'not_found', message: 'the workspace has no requests yet', hint: 'sync or copy exports into it first' });
    }
    return runAutoFlags(this.conn, roles, await this.rules());
  }

  async rules(set?: AutoFlagRules): Promise<AutoFlagRules> {
    this.roles();
    if (set) await writeSetting(this.conn, 'triage_rules', autoFlagRulesSchema.parse(set));
    return autoFlagRulesSchema.parse((await readSetting(this.conn, 'triage_rules')) ?? {});
  }

  async exportEvalSet(out: string, parquet: boolean): Promise<CallOutput<'exportEvalSet'>> {
    return exportEvalSet(this.conn, this.roles(), out, { parquet });
  }

  private async row(caseId: string): Promise<CaseRow> {
    const row = (await listCases(this.conn)).find((c) => c.case_id === caseId);
    if (!row) throw new LoupeError({ code: 'not_found', message: `no triage case ${caseId}` });
    return row;
  }

  private async requestRecord(roles: RoleMapping | null, requestId: string): Promise<Record<string, unknown> | null> {
    if (!this.workspace.workspace?.current.dataset) return null;
    return readRequest(this.conn, roles, requestId);
  }

  private async similar(roles: RoleMapping | null, row: CaseRow, record: Record<string, unknown> | null) {
    const sameSliceCases = row.slice
      ? ((await queryOne<{ n: number }>(this.conn, `SELECT count(*) AS n FROM ${WS}.triage_cases WHERE slice = $1 AND case_id <> $2`, [row.slice, row.case_id]))?.n ?? 0)
      : 0;
    let sameSliceRequests: number | null = null;
    const filters = parseSlice(row.slice);
    const hasTable = Boolean(this.workspace.workspace?.current.dataset);
    const columns = new Set(this.workspace.workspace?.current.dataset?.summary.columns.map((c) => c.name) ?? []);
    if (hasTable && filters.length && filters.every(([k]) => columns.has(k))) {
      const where = filters.map(([k], i) => `${quoteIdent(k)}::VARCHAR = $${i + 1}`).join(' AND ');
      sameSliceRequests = (await queryOne<{ n: number }>(this.conn, `SELECT count(*) AS n FROM ${REQUESTS} WHERE ${where}`, filters.map(([, v]) => v)))?.n ?? null;
    }
    let nearEmbeddings: number | null = null;
    const emb = roles?.roles.input_embedding?.column;
    const rid = roles?.roles.request_id?.column;
    if (hasTable && emb && rid && record && Array.isArray(record[emb])) {
      nearEmbeddings =
        (await queryOne<{ n: number }>(
          this.conn,
          `WITH me AS (SELECT ${quoteIdent(emb)}::DOUBLE[] AS e FROM ${REQUESTS} WHERE ${quoteIdent(rid)}::VARCHAR = $1 LIMIT 1)
           SELECT count(*) AS n FROM ${REQUESTS}, me
            WHERE ${quoteIdent(rid)}::VARCHAR <> $1 AND list_cosine_similarity(${quoteIdent(emb)}::DOUBLE[], me.e) >= 0.95`,
          [row.request_id],
        ))?.n ?? null;
    }
    return { sameSliceCases, sameSliceRequests, nearEmbeddings };
  }
}

/** Counts of labelled root causes per version and per slice (a few hundred cases: counted here). */
function rootCauseCounts(cases: CaseRow[]): CallOutput<'triageQueue'>['rootCauses'] {
  type Entry = CallOutput<'triageQueue'>['rootCauses'][number];
  const counts = new Map<string, Entry>();
  const bump = (by: Entry['by'], key: string, root_cause: Entry['root_cause']) => {
    const k = `${by}\u0000${key}\u0000${root_cause}`;
    const e = counts.get(k) ?? { by, key, root_cause, n: 0 };
    e.n++;
    counts.set(k, e);
  };
  for (const c of cases) {
    if (!c.root_cause || c.status === 'dismissed') continue;
    const rc = c.root_cause as Entry['root_cause'];
    if (c.model_version) bump('version', c.model_version, rc);
    if (c.slice) bump('slice', c.slice, rc);
  }
  return [...counts.values()];
}

/** "route=search × locale=de" → [['route','search'], ['locale','de']] */
export function parseSlice(slice: string | null): Array<[string, string]> {
  if (!slice) return [];
  return slice
    .split(' × ')
    .map((p) => p.split('='))
    .filter((kv) => kv.length >= 2)
    .map(([k, ...v]) => [k.trim(), v.join('=').trim()] as [string, string]);
}

function safeUser(): string {
  try {
    return os.userInfo().username || 'analyst';
  } catch {
    return 'analyst';
  }
}
