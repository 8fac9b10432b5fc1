import {
  Bool,
  Float64,
  Int32,
  TimestampMillisecond,
  Utf8,
  Table,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { DuckDBTypeId, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { bind, type Params } from '../db/duckdb';

/**
 * DuckDB's Node client has no Arrow export, so results are rebuilt as Arrow here, column by
 * column from DuckDB's chunks. Types the UI only displays (nested, decimals, UUIDs…) become
 * text; timestamps become millisecond timestamps; 64-bit integers become doubles (display
 * only — exact ids stay in DuckDB).
 */
export async function queryArrowIPC(conn: DuckDBConnection, sql: string, params?: Params): Promise<Uint8Array> {
  const reader = await conn.runAndReadAll(sql, bind(params));
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const columns = reader.getColumnsJS();
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => {
    vectors[uniqueName(vectors, name)] = toVector(columns[i] as unknown[], types[i]);
  });
  return tableToIPC(new Table(vectors), 'stream');
}

function uniqueName(taken: Record<string, unknown>, name: string): string {
  let n = name;
  for (let i = 2; n in taken; i++) n = `${name}_${i}`;
  return n;
}

function toVector(values: unknown[], type: DuckDBType): Vector {
  const arrowType = arrowTypeFor(type.typeId);
  if (arrowType instanceof Bool) return vectorFromArray(values as (boolean | null)[], arrowType);
  if (arrowType instanceof Int32) return vectorFromArray(values as (number | null)[], arrowType);
  if (arrowType instanceof Float64) return vectorFromArray(values.map(toNumber), arrowType);
  if (arrowType instanceof TimestampMillisecond) return vectorFromArray(values.map(toDate), arrowType);
  return vectorFromArray(values.map(toText), new Utf8());
}

function arrowTypeFor(id: DuckDBTypeId): DataType {
  switch (id) {
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return new Int32();
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return new Float64();
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.DATE:
      return new TimestampMillisecond();
    default:
      return new Utf8();
  }
}

function toNumber(v: unknown): number | null {
  if (v == null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const n = Number(String(v));
  return Number.isNaN(n) ? null : n;
}

function toDate(v: unknown): Date | null {
  if (v == null) return null;
  if (v instanceof Date) return v;
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
}

function toText(v: unknown): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
}
