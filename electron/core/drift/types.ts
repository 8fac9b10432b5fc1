import type { Axis } from './axes';
import type { BinningRule } from './binning';
import type { ClusterModel } from './embedding-clusters';
import type { FeatureBins } from './frame';
import type { JudgeMonitorReport } from './judge-monitor';
import type { DriftLevel, FillRule } from './metrics';
import type { DriftWindows, TimeWindow } from './windows';

/** The shape of a drift report: what the CLI prints with --json and the views consume. */

export interface SliceDim {
  dimension: string;
  /** The value as text; null = the SQL NULL value; "(other)" = values beyond the cap. */
  value: string | null;
}

export type SliceStatus = 'ok' | 'baseline_only' | 'current_only' | 'empty';

export interface FeatureDrift {
  feature: string;
  axis: Axis;
  status: SliceStatus;
  /** Rows with a value for this feature, per window. */
  nBaseline: number;
  nCurrent: number;
  psi: number | null;
  kl: number | null;
  js: number | null;
  chiSquare: number | null;
  df: number | null;
  pValue: number | null;
  /** p < alpha / (slices tested for this feature) — Bonferroni. */
  significant: boolean;
  /** min(nBaseline, nCurrent) ≥ minSupport. */
  meetsSupport: boolean;
  level: DriftLevel;
  /** Drift mass: max(0, PSI − E[PSI | no drift]) × min(share of baseline rows, share of current rows); see README. */
  score: number;
  /** Bin counts (same order as the feature's bins), when the report was asked to include them. */
  baselineCounts?: number[];
  currentCounts?: number[];
}

export interface AxisDrift {
  axis: Axis;
  /** The feature with the highest score (ties: highest PSI); its figures are the axis figures. */
  feature: string;
  psi: number | null;
  pValue: number | null;
  significant: boolean;
  meetsSupport: boolean;
  level: DriftLevel;
  score: number;
  features: FeatureDrift[];
}

export interface SliceDrift {
  /** Stable id: "" for all rows, else dimension=value pairs joined by "&" (URI-encoded). */
  id: string;
  dims: SliceDim[];
  /** Rows per window. */
  support: { baseline: number; current: number };
  /** Judge score mean per window (null without judged rows). */
  judge: { baselineMean: number | null; currentMean: number | null; baselineJudged: number; currentJudged: number };
  axes: Partial<Record<Axis, AxisDrift>>;
  /** Highest axis score, for a default sort. */
  score: number;
}

export interface FeatureInfo {
  id: string;
  axis: Axis;
  label: string;
  columns: string[];
  bins: FeatureBins;
}

export interface DriftAlertBase {
  id: string;
  severity: 'alert';
  sliceId: string;
  dims: SliceDim[];
  window: TimeWindow;
  message: string;
}

export interface PsiAlert extends DriftAlertBase {
  kind: 'psi';
  axis: Axis;
  feature: string;
  psi: number;
  pValue: number;
  support: { baseline: number; current: number };
  score: number;
  /** Set when a broader slice (a parent, or all rows) already alerts on the same feature. */
  parentSliceId?: string;
}

export interface JudgeAlert extends DriftAlertBase {
  kind: 'judge';
  axis: 'quality';
  version: string | null;
  /** Flagged hours (newest first); window = the newest. */
  hours: Array<{ hour: string; n: number; mean: number; threshold: number }>;
  baselineMean: number;
}

export type DriftAlert = PsiAlert | JudgeAlert;

export interface DriftConfig {
  bins: number;
  binning: BinningRule;
  fill: FillRule;
  minSupport: number;
  alpha: number;
  dimensions: string[];
  clusters: Omit<ClusterModel, 'centroids'> | null;
}

export interface DriftReport {
  windows: DriftWindows;
  rows: { baseline: number; current: number };
  config: DriftConfig;
  features: FeatureInfo[];
  /** The all-rows slice (id ""). */
  overall: SliceDrift;
  /** Every 1- and 2-dimension slice seen in either window, sorted by score (highest first). */
  slices: SliceDrift[];
  /** Per axis, ids of the slices meeting support and significance, best score first (≤ 20). */
  top: Partial<Record<Axis, string[]>>;
  alerts: DriftAlert[];
  judge: JudgeMonitorReport | null;
  /** Milliseconds per step. */
  timings: Record<string, number>;
  notes: string[];
}
