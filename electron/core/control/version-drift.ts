import type { DuckDBConnection } from '@duckdb/node-api';
import type { RoleMapping } from '../../../shared/roles';
import { quoteIdent } from '../db/duckdb';
import { runDrift } from '../drift/engine';
import type { DeploymentScope } from './deployment-scope';

export interface DriftingSlice {
  sliceId: string;
  label: string;
  axis: string;
  feature: string;
  psi: number | null;
  pValue: number | null;
  /** Rows of the older (baseline) and the newer version in this slice. */
  support: { older: number; newer: number };
  judge: { older: number | null; newer: number | null };
}

// The drift engine compares two time windows; here the "windows" are the two versions over the
// same period, so each version's rows get a stand-in timestamp inside its own window.
const OLDER_AT = '2000-01-01 12:00:00';
const NEWER_AT = '2000-01-02 12:00:00';
const WINDOWS = {
  baseline: { start: '2000-01-01T00:00:00.000Z', end: '2000-01-02T00:00:00.000Z' },
  current: { start: '2000-01-02T00:00:00.000Z', end: '2000-01-03T00:00:00.000Z' },
};

/**
 * Where the newer version differs from the older one: the drift engine (PSI, chi-square,
 * score; electron/core/drift/README.md) run with the older version's requests as the baseline
 * and the newer version's as the current window, over the same evidence period, so time of day
 * and traffic mix cancel out. Top slices by score across the input, output and quality axes.
 */
export async function topDriftingSlices(
  conn: DuckDBConnection,
  scope: DeploymentScope,
  older: string,
  newer: string,
  limit = 8,
): Promise<DriftingSlice[]> {
  const version = scope.col('model_version')!;
  const table = `${scope.table}_cmp`;
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
       SELECT *, CASE WHEN ${version}::VARCHAR = $1 THEN TIMESTAMP '${OLDER_AT}' ELSE TIMESTAMP '${NEWER_AT}' END AS loupe_cmp_ts
         FROM ${scope.table} WHERE ${version}::VARCHAR IN ($1, $2)`,
    [older, newer],
  );
  try {
    const excluded = new Set([scope.roles.roles.model_version?.column, scope.roles.roles.deployment?.column, scope.roles.roles.prompt_revision?.column]);
    const { request_id: _rid, timestamp: _ts, ...rest } = scope.roles.roles;
    // Without a request id the cluster assignment runs inline and leaves no cache tables behind.
    const roles: RoleMapping = {
      roles: { ...rest, timestamp: { column: 'loupe_cmp_ts' } },
      dimensions: scope.roles.dimensions.filter((d) => !excluded.has(d.column)),
    };
    const report = await runDrift(conn, { relation: quoteIdent(table), roles, cacheKey: `control:${older}:${newer}` }, {
      windows: WINDOWS,
      minSupport: 50,
      includeCounts: false,
      clusters: { refit: true },
    });
    const byId = new Map(report.slices.map((s) => [s.id, s]));
    const picked: Array<{ slice: DriftingSlice; score: number }> = [];
    for (const [axis, ids] of Object.entries(report.top)) {
      for (const id of ids ?? []) {
        const s = byId.get(id);
        const a = s?.axes[axis as keyof typeof s.axes];
        if (!s || !a || id === '') continue;
        picked.push({
          score: a.score,
          slice: {
            sliceId: id,
            label: s.dims.map((d) => `${d.dimension}=${d.value ?? 'null'}`).join(' & '),
            axis,
            feature: a.feature,
            psi: a.psi,
            pValue: a.pValue,
            support: { older: s.support.baseline, newer: s.support.current },
            judge: { older: s.judge.baselineMean, newer: s.judge.currentMean },
          },
        });
      }
    }
    return picked.sort((a, b) => b.score - a.score).slice(0, limit).map((p) => p.slice);
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${table}`);
  }
}
