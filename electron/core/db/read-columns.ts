import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { bind, type Params } from './duckdb';

/**
 * Reads a query's result straight into typed arrays, one per column — for the few places that
 * keep a compact numeric copy of many rows in the core (the drift frame). Each column must be
 * NOT NULL (coalesce in the query): values under NULL entries are undefined in DuckDB's vectors.
 *
 * The query runs to completion in one call (a materialised result), so nothing else on the
 * shared connection can interleave with it; the copy then yields to the event loop every few
 * hundred chunks so other calls keep being served while millions of rows are copied.
 */
export type ColumnKind = 'u8' | 'u16' | 'u32' | 'f32';

type ArrayOf<K extends ColumnKind> = K extends 'u8' ? Uint8Array : K extends 'u16' ? Uint16Array : K extends 'u32' ? Uint32Array : Float32Array;

const CHUNKS_PER_YIELD = 256;

export async function readColumns<const K extends readonly ColumnKind[]>(
  conn: DuckDBConnection,
  sql: string,
  kinds: K,
  params?: Params,
): Promise<{ rows: number; columns: { [I in keyof K]: ArrayOf<K[I]> } }> {
  const result = await conn.run(sql, bind(params));
  if (result.columnCount !== kinds.length) throw new Error(`readColumns: the query returns ${result.columnCount} columns, expected ${kinds.length}`);
  const rows = Number(result.rowCount);
  const make = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, f32: Float32Array } as const;
  const columns = kinds.map((k) => new make[k](rows));
  let offset = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const n = chunk.rowCount;
    for (let k = 0; k < kinds.length; k++) copyVector(chunk.getColumnVector(k), columns[k], offset, n);
    offset += n;
    if (c % CHUNKS_PER_YIELD === CHUNKS_PER_YIELD - 1) await new Promise((r) => setImmediate(r));
  }
  return { rows, columns: columns as { [I in keyof K]: ArrayOf<K[I]> } };
}

/**
 * The node API's numeric vectors hold a typed view of the chunk's data (`items`); copying that
 * view is ~50× faster than a getItem call per value. Checked at run time (it is not part of the
 * typed API), with getItem as the fallback should a new version of the API change it.
 */
function copyVector(vector: DuckDBVector, into: Uint8Array | Uint16Array | Uint32Array | Float32Array, offset: number, n: number): void {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items && (items as object).constructor === into.constructor && (items as ArrayLike<number>).length >= n) {
    into.set((items as typeof into).subarray(0, n), offset);
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = vector.getItem(i);
    into[offset + i] = typeof v === 'number' ? v : Number(v);
  }
}
