import type { ColumnRef, RoleMapping } from '../../../shared/roles';

/** The five dimensions the design slices by, in log schema v1 names. */
export const DEFAULT_DIMENSIONS = ['route', 'locale', 'tenant_tier', 'model_version', 'deployment'] as const;

/**
 * Role mapping for log schema v1 (ARCHITECTURE.md, "The log record"). The workspace guesses
 * mappings for other exports; the drift engine accepts any mapping and uses this one when
 * the caller has none (the CLI).
 */
export function defaultLogSchemaV1Roles(): RoleMapping {
  const c = (column: string): ColumnRef => ({ column });
  return {
    roles: {
      timestamp: c('ts'),
      request_id: c('request_id'),
      deployment: c('deployment'),
      model_version: c('model_version'),
      prompt_revision: c('prompt_revision'),
      judge_score: c('judge_score'),
      judge_rationale: c('judge_rationale'),
      feedback: c('feedback'),
      refused: c('refused'),
      format_ok: c('format_ok'),
      output_format: c('output_format'),
      output_text: c('response'),
      input_text: c('prompt'),
      latency: c('latency_ms'),
      input_tokens: c('input_tokens'),
      output_tokens: c('output_tokens'),
      input_embedding: c('input_embedding'),
      error: c('error_code'),
      status: c('status'),
      retrieval: c('retrieval'),
      tool_calls: c('tool_calls'),
    },
    dimensions: DEFAULT_DIMENSIONS.map(c),
  };
}

/**
 * Keeps only the roles and dimensions whose column exists in the relation, so a file that
 * lacks, say, embeddings still gets the axes it can support.
 */
export function restrictToColumns(mapping: RoleMapping, columns: ReadonlySet<string>): RoleMapping {
  const roles: RoleMapping['roles'] = {};
  for (const [role, ref] of Object.entries(mapping.roles)) {
    if (ref && columns.has(ref.column)) (roles as Record<string, ColumnRef>)[role] = ref;
  }
  return { roles, dimensions: mapping.dimensions.filter((d) => columns.has(d.column)) };
}
