import path from 'node:path';

/**
 * A workspace is a folder: synced exports under exports/ (the service's own date=/hour=
 * layout, so a folder synced here and one copied from a colleague read alike), one DuckDB file
 * for Loupe's state and the materialised requests table, and a quarantine for files that
 * could not be read.
 */
export function workspaceLayout(dir: string) {
  const root = path.resolve(dir);
  return {
    root,
    exportsDir: path.join(root, 'exports'),
    stateFile: path.join(root, 'loupe.duckdb'),
    quarantineDir: path.join(root, 'quarantine'),
  };
}
export type WorkspaceLayout = ReturnType<typeof workspaceLayout>;

/** The schema name a workspace's DuckDB file is attached under in the core's database. */
export const WS = 'ws';
