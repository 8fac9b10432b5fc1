import type { ColumnKind } from '../../../shared/api';

/** Classifies a DuckDB type string (as DESCRIBE prints it) into what the UI can chart. */
export function columnKind(type: string): ColumnKind {
  const t = type.toUpperCase();
  if (/\[\d*\]$/.test(t) || /^(STRUCT|MAP|UNION)\b/.test(t)) return 'nested';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(t))
    return 'numeric';
  if (/^(TIMESTAMP|DATE)/.test(t)) return 'temporal';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'VARCHAR' || t.startsWith('ENUM') || t === 'UUID') return 'text';
  return 'other';
}
