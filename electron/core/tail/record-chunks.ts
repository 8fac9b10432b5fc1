import { DuckDBDataChunk, DuckDBListValue, DuckDBTimestampValue, DuckDBTypeId, type DuckDBAppender, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { logColumnsV1, type LogRecord } from '../../../shared/log-schema';

/**
 * Log records into the Appender a column at a time, as DuckDB data chunks. Row by row the
 * Appender costs one native call per value (28 a row); a chunk's numbers, booleans, timestamps
 * and embedding floats are written into typed arrays over the vector's own memory and copied
 * once per column, so only the text values cost a native call each. The embedding goes in as a
 * real FLOAT[] this way (the row Appender's list path built one JS value per float, which is why
 * it used to be staged as JSON text and cast in SQL — the cast alone took ~7 µs a row).
 */

/** A target column: where its values come from, and its type as the table declares it. */
export interface ChunkColumn {
  name: string;
  type: DuckDBType;
  value: ((r: LogRecord) => DuckDBValue) | null;
}

type Getter = (r: LogRecord) => DuckDBValue;

const v1Getters: Record<string, Getter> = Object.fromEntries(
  logColumnsV1.map(([name]): [string, Getter] => {
    if (name === 'ts') return [name, (r) => new DuckDBTimestampValue(BigInt(Date.parse(r.ts)) * 1000n)];
    if (name === 'input_embedding') return [name, (r) => (r.input_embedding === null ? null : new DuckDBListValue(r.input_embedding))];
    return [name, (r) => r[name as keyof LogRecord] as DuckDBValue];
  }),
);
const v1Types = new Map<string, string>(logColumnsV1.map(([n, t]) => [n, t]));

/** Column types whose NULL is only a validity bit (nested ones would need their children written). */
const flat = new Set<DuckDBTypeId>([
  DuckDBTypeId.BOOLEAN, DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT, DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL, DuckDBTypeId.VARCHAR,
  DuckDBTypeId.BLOB, DuckDBTypeId.ENUM, DuckDBTypeId.UUID, DuckDBTypeId.DATE, DuckDBTypeId.TIME, DuckDBTypeId.TIME_TZ,
  DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ, DuckDBTypeId.INTERVAL,
]);

/**
 * The columns of a table as the Appender sees them (`names` in table order),
 * each schema-v1 column filled from the record, `extra` (e.g. the source-file column) with a
 * constant, and any other column left NULL — what an INSERT naming only our columns would give
 * it. Returns null when the table cannot take chunks as they are: a v1 column with another type
 * (an export that founded it differently), or another column that has a default, is NOT NULL,
 * or is not flat. The caller stages those.
 */
export function chunkLayout(
  appender: DuckDBAppender,
  names: readonly string[],
  extra: Record<string, DuckDBValue>,
  constrained: ReadonlySet<string>,
): ChunkColumn[] | null {
  if (appender.columnCount !== names.length) return null;
  const cols: ChunkColumn[] = [];
  let v1 = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const type = appender.columnType(i);
    if (v1Types.has(name)) {
      if (String(type) !== v1Types.get(name)) return null;
      cols.push({ name, type, value: v1Getters[name] });
      v1++;
    } else if (name in extra) {
      const c = extra[name];
      cols.push({ name, type, value: () => c });
    } else {
      if (constrained.has(name) || !flat.has(type.typeId)) return null;
      cols.push({ name, type, value: null });
    }
  }
  return v1 === logColumnsV1.length ? cols : null;
}

/** The v1 columns in schema order, for a table created with exactly those (the staging table). */
export function v1Layout(types: readonly DuckDBType[]): ChunkColumn[] {
  return logColumnsV1.map(([name], i) => ({ name, type: types[i], value: v1Getters[name] }));
}

/** True when the Appender's table still has exactly these columns' types (nothing was altered). */
export function sameLayout(appender: DuckDBAppender, cols: readonly ChunkColumn[]): boolean {
  if (appender.columnCount !== cols.length) return false;
  for (let i = 0; i < cols.length; i++) if (String(appender.columnType(i)) !== String(cols[i].type)) return false;
  return true;
}

/** DuckDB's vector size: the most rows one chunk holds. */
export const CHUNK_ROWS = 2048;

/**
 * The records as filled data chunks of `cols`, ready for `appender.appendDataChunk` (which
 * copies them). Chunks come from and go back to `pool`, so a long stream reuses a few instead
 * of leaving each batch's native memory to the garbage collector.
 */
export function fillChunks(cols: readonly ChunkColumn[], records: readonly LogRecord[], pool: DuckDBDataChunk[]): DuckDBDataChunk[] {
  const chunks: DuckDBDataChunk[] = [];
  for (let from = 0; from < records.length; from += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, records.length - from);
    const chunk = pool.pop() ?? DuckDBDataChunk.create(cols.map((c) => c.type));
    chunk.reset();
    chunk.rowCount = n; // also drops the chunk's cached vector views, so each fill writes fresh ones
    for (let c = 0; c < cols.length; c++) {
      const vector = chunk.getColumnVector(c);
      const get = cols[c].value;
      if (get) for (let i = 0; i < n; i++) vector.setItem(i, get(records[from + i]));
      else for (let i = 0; i < n; i++) vector.setItem(i, null);
      vector.flush();
    }
    chunks.push(chunk);
  }
  return chunks;
}
