import type { ColumnRef, RoleMapping, SingleRole } from '../../../shared/roles';
import { columnKind } from './column-kind';

/**
 * Guesses which column plays which role from names and types, across the dialects our users
 * export: Loupe's log schema v1, OpenInference spans as Arize Phoenix writes them
 * (`attributes.llm.model_name`, `attributes.llm.token_count.prompt`, `start_time`…), and OTel
 * GenAI attributes (`gen_ai.request.model`, `gen_ai.usage.input_tokens`…). Struct columns are
 * searched by path, so `attributes` as a STRUCT maps as well as flattened dotted names.
 */
export interface ColumnInfo {
  name: string;
  type: string;
  distinct?: number | null;
  rows?: number;
}

export interface RoleReason {
  role: SingleRole | 'dimension';
  column: string;
  path?: string[];
  reason: string;
}

type Want = 'time' | 'number' | 'bool' | 'text' | 'vector' | 'any';

/** Names in priority order; a column matches when its dotted name equals or ends with one. */
const ROLE_NAMES: Array<[SingleRole, Want, string[]]> = [
  ['timestamp', 'time', ['ts', 'timestamp', 'start_time', 'starttime', 'starttimeunixnano', 'start_time_unix_nano', 'time', 'created_at', 'event_time', 'tstamp', 'datetime', '@timestamp']],
  ['request_id', 'any', ['request_id', 'requestid', 'context.span_id', 'span_id', 'spanid', 'run_id', 'id', 'uuid', 'trace_id']],
  ['deployment', 'text', ['deployment', 'deployment_name', 'service.name', 'service_name', 'app', 'application', 'project_name']],
  ['model_version', 'text', ['model_version', 'llm.model_name', 'gen_ai.request.model', 'gen_ai.response.model', 'model_name', 'model', 'model_id', 'ls_model_name']],
  ['prompt_revision', 'text', ['prompt_revision', 'prompt_version', 'llm.prompt_template.version', 'prompt_template.version', 'prompt_id']],
  ['judge_score', 'number', ['judge_score', 'eval_score', 'quality_score', 'score', 'rating']],
  ['judge_rationale', 'text', ['judge_rationale', 'rationale', 'judgment', 'judgement', 'explanation']],
  ['feedback', 'text', ['feedback', 'user_feedback', 'thumbs']],
  ['refused', 'bool', ['refused', 'refusal', 'is_refusal']],
  ['format_ok', 'bool', ['format_ok', 'valid_format', 'valid_json', 'parse_ok', 'is_valid']],
  ['output_format', 'text', ['output_format', 'response_format', 'format']],
  ['output_text', 'text', ['response', 'output.value', 'gen_ai.completion', 'gen_ai.output.messages', 'completion', 'output', 'answer', 'model_output']],
  ['input_text', 'text', ['prompt', 'input.value', 'gen_ai.prompt', 'gen_ai.input.messages', 'user_prompt', 'query', 'question', 'input', 'messages']],
  ['latency', 'number', ['latency_ms', 'latency', 'duration_ms', 'duration', 'elapsed_ms', 'response_time_ms', 'response_time']],
  ['input_tokens', 'number', ['input_tokens', 'llm.token_count.prompt', 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'usage.prompt_tokens', 'prompt_tokens']],
  ['output_tokens', 'number', ['output_tokens', 'llm.token_count.completion', 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'usage.completion_tokens', 'completion_tokens']],
  ['input_embedding', 'vector', ['input_embedding', 'embedding.embeddings', 'embedding', 'embeddings', 'vector']],
  ['error', 'any', ['error_code', 'error.type', 'error', 'exception.type', 'exception.message', 'status_message']],
  ['status', 'any', ['status', 'status_code', 'http_status']],
  ['retrieval', 'any', ['retrieval', 'retrieval.documents', 'documents', 'sources']],
  ['tool_calls', 'any', ['tool_calls', 'llm.tools', 'gen_ai.tool.calls', 'tools']],
];

/** Roles that are also natural slices when their cardinality is low. */
const DIMENSION_ROLES: SingleRole[] = ['model_version', 'deployment', 'prompt_revision'];
const MAX_DIMENSION_DISTINCT = 50;

interface Candidate {
  ref: ColumnRef;
  dotted: string;
  type: string;
  info: ColumnInfo;
}

export function guessRoles(columns: ColumnInfo[]): { mapping: RoleMapping; reasons: RoleReason[] } {
  const candidates = columns.flatMap(expand);
  const used = new Set<string>();
  const roles: RoleMapping['roles'] = {};
  const reasons: RoleReason[] = [];

  for (const [role, want, names] of ROLE_NAMES) {
    const found = findCandidate(candidates, names, want, used);
    if (!found) continue;
    used.add(found.c.dotted);
    roles[role] = found.c.ref;
    reasons.push({ role, column: found.c.ref.column, ...(found.c.ref.path ? { path: found.c.ref.path } : {}), reason: found.why });
  }

  const dimensions: ColumnRef[] = [];
  for (const c of candidates) {
    const kind = columnKind(c.type);
    const d = c.info.distinct;
    const rows = c.info.rows;
    if (kind !== 'text' || d == null || d < 2 || d > MAX_DIMENSION_DISTINCT) continue;
    if (rows && d / rows > 0.5) continue;
    const asRole = (Object.entries(roles) as Array<[SingleRole, ColumnRef]>).find(([, r]) => sameRef(r, c.ref));
    if (asRole && !DIMENSION_ROLES.includes(asRole[0])) continue;
    if (/(^|[._])(id|uuid|session|trace|span)([._]|$)/i.test(c.dotted)) continue;
    dimensions.push(c.ref);
    reasons.push({ role: 'dimension', column: c.ref.column, ...(c.ref.path ? { path: c.ref.path } : {}), reason: `${d} distinct text values` });
  }
  return { mapping: { roles, dimensions }, reasons };
}

function findCandidate(candidates: Candidate[], names: string[], want: Want, used: Set<string>) {
  for (const name of names) {
    for (const exact of [true, false]) {
      const c = candidates.find(
        (x) => !used.has(x.dotted) && fits(x.type, want) && (exact ? x.dotted === name : x.dotted.endsWith(`.${name}`)),
      );
      if (c) return { c, why: `${exact ? 'named' : 'ends in'} "${name}", ${c.type}` };
    }
  }
  return null;
}

function fits(type: string, want: Want): boolean {
  const kind = columnKind(type);
  switch (want) {
    case 'time':
      return kind === 'temporal' || kind === 'numeric' || kind === 'text';
    case 'number':
      return kind === 'numeric';
    case 'bool':
      return kind === 'boolean' || /^(TINYINT|SMALLINT|INTEGER|UTINYINT)$/i.test(type);
    case 'text':
      return kind === 'text' || kind === 'nested';
    case 'vector':
      return /^(FLOAT|DOUBLE|REAL|DECIMAL[^[]*)\[\d*\]$/i.test(type);
    default:
      return true;
  }
}

function sameRef(a: ColumnRef, b: ColumnRef): boolean {
  return a.column === b.column && (a.path ?? []).join('.') === (b.path ?? []).join('.');
}

/** A column and, for STRUCTs, every leaf field as a path inside it. */
function expand(info: ColumnInfo): Candidate[] {
  const norm = (s: string) => s.toLowerCase();
  const out: Candidate[] = [{ ref: { column: info.name }, dotted: norm(info.name), type: info.type, info }];
  const walk = (type: string, prefix: string[]) => {
    for (const f of structFields(type)) {
      const p = [...prefix, f.name];
      const leaves = structFields(f.type);
      if (leaves.length) walk(f.type, p);
      else out.push({ ref: { column: info.name, path: p }, dotted: norm([info.name, ...p].join('.')), type: f.type, info: { ...info, distinct: null } });
    }
  };
  walk(info.type, []);
  return out;
}

/** Parses DuckDB's `STRUCT(a INTEGER, "b.c" STRUCT(d VARCHAR))` into its top-level fields. */
export function structFields(type: string): Array<{ name: string; type: string }> {
  const t = type.trim();
  if (!/^STRUCT\s*\(/i.test(t) || !t.endsWith(')')) return [];
  const body = t.slice(t.indexOf('(') + 1, -1);
  const fields: Array<{ name: string; type: string }> = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const push = (part: string) => {
    const m = /^\s*(?:"((?:[^"]|"")*)"|([^\s]+))\s+([\s\S]+)$/.exec(part);
    if (m) fields.push({ name: (m[1] ?? m[2]).replace(/""/g, '"'), type: m[3].trim() });
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && ch === ',') {
      push(body.slice(start, i));
      start = i + 1;
    }
  }
  push(body.slice(start));
  return fields;
}
