import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { LoupeError } from '../../../shared/errors';
import type { ColumnRef, RoleMapping, SingleRole } from '../../../shared/roles';
import { queryRows, quoteIdent, quoteLiteral } from '../db/duckdb';

/**
 * What the drift engine reads: a relation (a table or view name, or a read_parquet([...])
 * expression built by the core, never free user text) and the role mapping that says which
 * column is which. Column names come from the relation's schema and are quoted with quoteIdent.
 */
export interface DriftSource {
  /** SQL relation: a quoted table/view name or a read_parquet(...) call. */
  relation: string;
  roles: RoleMapping;
  /** A stable name for caches (e.g. the workspace table name); defaults to the relation text. */
  cacheKey?: string;
}

export interface ResolvedSource {
  relation: string;
  roles: RoleMapping;
  cacheKey: string;
  /** Column name → DuckDB type. */
  columns: Map<string, string>;
}

export async function describeSource(conn: DuckDBConnection, source: DriftSource): Promise<ResolvedSource> {
  let rows: Array<{ column_name: string; column_type: string }>;
  try {
    rows = await queryRows(conn, `DESCRIBE SELECT * FROM ${source.relation}`);
  } catch (err) {
    throw new LoupeError({
      code: 'bad_input',
      message: `cannot read the data: ${(err as Error).message.split('\n')[0]}`,
      hint: 'check the files or the table name',
    });
  }
  const columns = new Map(rows.map((r) => [r.column_name, r.column_type]));
  for (const ref of [...Object.values(source.roles.roles), ...source.roles.dimensions]) {
    if (ref && !columns.has(ref.column)) {
      throw new LoupeError({
        code: 'bad_input',
        message: 'the role mapping names a column the data does not have',
        column: ref.column,
        hint: `columns: ${[...columns.keys()].slice(0, 20).join(', ')}`,
      });
    }
  }
  return { relation: source.relation, roles: source.roles, cacheKey: source.cacheKey ?? source.relation, columns };
}

/** SQL expression for a column reference: a column, a struct field path, or a JSON key path. */
export function refSql(src: ResolvedSource, ref: ColumnRef, alias = 's'): string {
  const col = `${alias}.${quoteIdent(ref.column)}`;
  if (!ref.path || ref.path.length === 0) return col;
  const type = src.columns.get(ref.column) ?? '';
  if (type.startsWith('STRUCT')) return [col, ...ref.path.map(quoteIdent)].join('.');
  const jsonPath = '$.' + ref.path.map((p) => `"${p.replace(/["\\]/g, '')}"`).join('.');
  return `json_extract_string(${col}, ${quoteLiteral(jsonPath)})`;
}

export function roleRef(src: ResolvedSource, role: SingleRole): ColumnRef | undefined {
  return src.roles.roles[role];
}

export function roleSql(src: ResolvedSource, role: SingleRole, alias = 's'): string | undefined {
  const ref = roleRef(src, role);
  return ref ? refSql(src, ref, alias) : undefined;
}

export function refType(src: ResolvedSource, ref: ColumnRef): string {
  return ref.path?.length ? 'VARCHAR' : (src.columns.get(ref.column) ?? 'VARCHAR');
}

/** The timestamp role as a naive UTC TIMESTAMP expression. */
export function timestampSql(src: ResolvedSource, alias = 's'): string {
  const ref = roleRef(src, 'timestamp');
  if (!ref) {
    throw new LoupeError({
      code: 'no_timestamp',
      message: 'drift needs a timestamp column to split baseline and current windows',
      hint: 'map the timestamp role in the Data view (schema v1: ts)',
    });
  }
  const sql = refSql(src, ref, alias);
  const type = refType(src, ref);
  if (type === 'TIMESTAMP WITH TIME ZONE') return `timezone('UTC', ${sql})`;
  return `CAST(${sql} AS TIMESTAMP)`;
}

/** A display name for a column reference: column or column.path. */
export function refName(ref: ColumnRef): string {
  return ref.path?.length ? `${ref.column}.${ref.path.join('.')}` : ref.column;
}

/** Collects bound parameters while SQL is composed; placeholders are $1, $2, … */
export class SqlParams {
  readonly values: DuckDBValue[] = [];
  bind = (v: DuckDBValue): string => {
    this.values.push(v);
    return `$${this.values.length}`;
  };
}
