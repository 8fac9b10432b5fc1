import { refName, roleRef, roleSql, type ResolvedSource } from './relation';

/**
 * The three drift axes and the features each is measured on. An axis's PSI is the largest
 * PSI among its features (the report names which).
 *
 * - input:   embedding cluster (cluster shares; see embedding-clusters.ts), or where there is
 *            no embedding: input length (input_tokens, else character length of the input text);
 * - output:  output length (output_tokens, else character length of the response), refusal
 *            (refused true/false), and format (output_format × format_ok, e.g. "json · broken");
 * - quality: judge-score distribution (rows with a judge score only).
 *
 * Features only exist when their roles are mapped. Numeric features drop NULLs (their support
 * is the non-null count); categorical features keep NULL as its own category.
 */
export const AXES = ['input', 'output', 'quality'] as const;
export type Axis = (typeof AXES)[number];

export interface FeatureDef {
  id: string;
  axis: Axis;
  label: string;
  kind: 'numeric' | 'categorical';
  /** Value expression over the source (alias s). */
  sql: string;
  /** The column(s) it reads, for messages. */
  columns: string[];
}

export function featuresFor(src: ResolvedSource, clusterSql?: string): FeatureDef[] {
  const out: FeatureDef[] = [];
  const col = (role: Parameters<typeof roleRef>[1]) => {
    const r = roleRef(src, role);
    return r ? [refName(r)] : [];
  };

  if (clusterSql) {
    out.push({ id: 'input_cluster', axis: 'input', label: 'input embedding cluster', kind: 'categorical', sql: clusterSql, columns: col('input_embedding') });
  } else if (roleSql(src, 'input_tokens')) {
    out.push({ id: 'input_length', axis: 'input', label: 'input tokens', kind: 'numeric', sql: `CAST(${roleSql(src, 'input_tokens')} AS DOUBLE)`, columns: col('input_tokens') });
  } else if (roleSql(src, 'input_text')) {
    out.push({ id: 'input_length', axis: 'input', label: 'input length (characters)', kind: 'numeric', sql: `CAST(length(CAST(${roleSql(src, 'input_text')} AS VARCHAR)) AS DOUBLE)`, columns: col('input_text') });
  }

  if (roleSql(src, 'output_tokens')) {
    out.push({ id: 'output_length', axis: 'output', label: 'output tokens', kind: 'numeric', sql: `CAST(${roleSql(src, 'output_tokens')} AS DOUBLE)`, columns: col('output_tokens') });
  } else if (roleSql(src, 'output_text')) {
    out.push({ id: 'output_length', axis: 'output', label: 'response length (characters)', kind: 'numeric', sql: `CAST(length(CAST(${roleSql(src, 'output_text')} AS VARCHAR)) AS DOUBLE)`, columns: col('output_text') });
  }
  if (roleSql(src, 'refused')) {
    out.push({ id: 'refused', axis: 'output', label: 'refusal', kind: 'categorical', sql: `CAST(CAST(${roleSql(src, 'refused')} AS BOOLEAN) AS VARCHAR)`, columns: col('refused') });
  }
  const fmt = roleSql(src, 'output_format');
  const ok = roleSql(src, 'format_ok');
  if (fmt || ok) {
    const okSql = ok ? `CASE WHEN CAST(${ok} AS BOOLEAN) THEN 'ok' WHEN NOT CAST(${ok} AS BOOLEAN) THEN 'broken' ELSE 'unchecked' END` : undefined;
    const fmtSql = fmt ? `coalesce(CAST(${fmt} AS VARCHAR), '(none)')` : undefined;
    const sql = fmtSql && okSql ? `${fmtSql} || ' · ' || ${okSql}` : (fmtSql ?? okSql)!;
    out.push({ id: 'format', axis: 'output', label: fmt && ok ? 'output format × format ok' : fmt ? 'output format' : 'format ok', kind: 'categorical', sql, columns: [...col('output_format'), ...col('format_ok')] });
  }

  if (roleSql(src, 'judge_score')) {
    out.push({ id: 'judge_score', axis: 'quality', label: 'judge score', kind: 'numeric', sql: `CAST(${roleSql(src, 'judge_score')} AS DOUBLE)`, columns: col('judge_score') });
  }
  return out;
}
