import type { DriftReportView, SliceRow } from '../../../shared/drift-schemas';
import type { DriftReport, SliceDrift } from './types';

/** A slice as a table row: per axis the figures of its leading feature, no bin counts. */
export function sliceRow(s: SliceDrift): SliceRow {
  const axes: SliceRow['axes'] = {};
  for (const [axis, a] of Object.entries(s.axes)) {
    if (!a) continue;
    axes[axis as keyof SliceRow['axes']] = {
      feature: a.feature,
      psi: a.psi,
      pValue: a.pValue,
      significant: a.significant,
      meetsSupport: a.meetsSupport,
      level: a.level,
      score: a.score,
    };
  }
  return { id: s.id, dims: s.dims, support: s.support, judge: s.judge, axes, score: s.score };
}

/** The report as the views receive it (bin counts stay in the core until a slice is opened). */
export function reportView(r: DriftReport, reused: boolean): DriftReportView {
  const c = r.config.clusters;
  return {
    windows: r.windows,
    rows: r.rows,
    config: {
      bins: r.config.bins,
      binning: r.config.binning,
      minSupport: r.config.minSupport,
      alpha: r.config.alpha,
      dimensions: r.config.dimensions,
      clusters: c ? { k: c.k, sampleSize: c.sampleSize, seed: c.seed, distance: c.distance, meanDistance: c.meanDistance } : null,
    },
    features: r.features.map((f) => ({ id: f.id, axis: f.axis, label: f.label, binLabels: f.bins.labels })),
    overall: sliceRow(r.overall),
    slices: r.slices.map(sliceRow),
    top: r.top,
    alerts: r.alerts.map((a) =>
      a.kind === 'psi'
        ? { id: a.id, kind: a.kind, axis: a.axis, sliceId: a.sliceId, dims: a.dims, window: a.window, message: a.message, feature: a.feature, psi: a.psi, pValue: a.pValue, score: a.score, parentSliceId: a.parentSliceId }
        : { id: a.id, kind: a.kind, axis: a.axis, sliceId: a.sliceId, dims: a.dims, window: a.window, message: a.message, version: a.version, baselineMean: a.baselineMean, hours: a.hours },
    ),
    judge: r.judge
      ? {
          by: r.judge.by,
          rule: r.judge.rule,
          versions: r.judge.versions.map((v) => ({
            version: v.version,
            status: v.status,
            reason: v.reason,
            reference: v.reference,
            referenceBaseline: v.referenceBaseline,
            baseline: v.baseline,
            current: v.current,
            hours: v.hours.map((h) => ({ hour: h.hour, n: h.n, mean: h.mean, threshold: h.threshold, status: h.status })),
            flaggedHours: v.flaggedHours,
          })),
        }
      : null,
    timings: r.timings,
    notes: r.notes,
    reused,
  };
}
