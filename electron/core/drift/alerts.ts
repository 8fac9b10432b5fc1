import { PSI_ALERT } from './metrics';
import type { JudgeMonitorReport } from './judge-monitor';
import type { DriftAlert, JudgeAlert, PsiAlert, SliceDrift } from './types';
import type { DriftWindows } from './windows';

/**
 * Alerts, each linking to a slice (id + dims) and a window:
 * - psi:   a feature's PSI > 0.2 on all rows, or on a slice whose feature support meets the
 *          minimum in both windows and whose chi-square test is significant (Bonferroni);
 *          window = the current window. A 2-way slice whose 1-way parent already alerts on
 *          the same feature carries parentSliceId (the best-scoring such parent), so views can fold it under the parent.
 * - judge: a version with flagged hours (judge-monitor.ts); window = the newest flagged hour.
 * Sorted: judge alerts first (quality is what users feel), then PSI alerts by score.
 */
export function buildAlerts(overall: SliceDrift, slices: SliceDrift[], judge: JudgeMonitorReport | null, windows: DriftWindows): DriftAlert[] {
  const psiAlerts: PsiAlert[] = [];
  const alerting = new Map<string, number>();
  const key = (sliceId: string, feature: string) => `${feature}#${sliceId}`;

  for (const s of [overall, ...slices]) {
    for (const axis of Object.values(s.axes)) {
      for (const f of axis.features) {
        if (f.psi === null || !(f.psi > PSI_ALERT)) continue;
        const isOverall = s.dims.length === 0;
        if (!isOverall && !(f.meetsSupport && f.significant)) continue;
        if (isOverall && !f.significant) continue;
        alerting.set(key(s.id, f.feature), f.score);
        psiAlerts.push({
          id: `psi:${f.feature}:${s.id}`,
          kind: 'psi',
          severity: 'alert',
          axis: f.axis,
          feature: f.feature,
          sliceId: s.id,
          dims: s.dims,
          window: windows.current,
          psi: f.psi,
          pValue: f.pValue ?? 1,
          support: s.support,
          score: f.score,
          message: `${f.axis} drift on ${f.feature}: PSI ${f.psi.toFixed(3)} in ${describe(s)} (n ${f.nBaseline} → ${f.nCurrent})`,
        });
      }
    }
  }
  const byId = new Map([overall, ...slices].map((s) => [s.id, s]));
  for (const a of psiAlerts) {
    const parents = parentIds(byId.get(a.sliceId)!);
    // The alerting parent with the highest score on the same feature (the likelier cause).
    const parent = parents
      .filter((p) => alerting.has(key(p, a.feature)))
      .sort((x, y) => alerting.get(key(y, a.feature))! - alerting.get(key(x, a.feature))!)[0];
    if (parent !== undefined) a.parentSliceId = parent;
  }
  psiAlerts.sort((a, b) => b.score - a.score);

  const judgeAlerts: JudgeAlert[] = [];
  for (const v of judge?.versions ?? []) {
    if (v.flaggedHours.length === 0) continue;
    const hours = v.hours
      .filter((h) => h.status === 'flagged')
      .map((h) => ({ hour: h.hour, n: h.n, mean: h.mean, threshold: h.threshold! }))
      .reverse();
    const newest = hours[0];
    const dims = [{ dimension: judge!.by, value: v.version }];
    judgeAlerts.push({
      id: `judge:${v.version ?? ''}:${newest.hour}`,
      kind: 'judge',
      severity: 'alert',
      axis: 'quality',
      version: v.version,
      sliceId: `${encodeURIComponent(judge!.by)}=${v.version === null ? '%00' : encodeURIComponent(v.version)}`,
      dims,
      window: { start: newest.hour, end: new Date(Date.parse(newest.hour) + 3_600_000).toISOString() },
      hours,
      baselineMean: v.referenceBaseline.mean!,
      message: `judge mean of ${judge!.by}=${v.version ?? '(null)'} fell to ${newest.mean.toFixed(3)} at ${newest.hour} (n ${newest.n}; threshold ${newest.threshold.toFixed(3)} = ${v.reference === 'own' ? 'its baseline' : 'baseline of all versions'} ${v.referenceBaseline.mean!.toFixed(3)} − 2 SE); ${hours.length} hour${hours.length === 1 ? '' : 's'} flagged`,
    });
  }
  return [...judgeAlerts, ...psiAlerts];
}

function describe(s: SliceDrift): string {
  return s.dims.length === 0 ? 'all rows' : s.dims.map((d) => `${d.dimension}=${d.value ?? '(null)'}`).join(', ');
}

/** Ids of a pair's two single-dimension slices (other slices have no foldable parent). */
function parentIds(s: SliceDrift): string[] {
  if (s.dims.length < 2) return [];
  return s.dims.map((_, i) => s.id.split('&').filter((_, j) => j !== i).join('&'));
}
